using System;
using System.Collections.Generic;

namespace SkillForge.Skills
{
    /// <summary>What Export-Skill is asked to write.</summary>
    public sealed class SkillWriteRequest
    {
        public string Content { get; set; } = "";
        public IReadOnlyList<string> SourceIds { get; set; } = Array.Empty<string>();
        public string? Fingerprint { get; set; }
        public string? Model { get; set; }
        public DateTimeOffset Date { get; set; } = DateTimeOffset.UtcNow;
        /// <summary>Replace an existing skill of the same name instead of suffixing -2 … -99.</summary>
        public bool Force { get; set; }
    }

    /// <summary>Where and what Export-Skill will write, decided before anything is written (for -WhatIf).</summary>
    public sealed class SkillWritePlan
    {
        public string Name { get; set; } = "";
        public string Directory { get; set; } = "";
        public string FilePath { get; set; } = "";
        /// <summary>The final text: name rewritten on collision, provenance in metadata.</summary>
        public string Content { get; set; } = "";
        public SkillWriteStatus Status { get; set; }
        public SkillWriteRequest Request { get; set; } = new SkillWriteRequest();
    }

    /// <summary>A folder of skills, each in &lt;root&gt;/&lt;name&gt;/SKILL.md.</summary>
    public sealed class SkillLibrary
    {
        public SkillLibrary(string root) => Root = root;

        public string Root { get; }

        /// <summary>Validates and picks the target. Throws SkillForgeException (SkillInvalid, SkillInvalidName,
        /// SkillTooManyCollisions, SkillOutsideRoot) instead of planning anything unsafe.</summary>
        public SkillWritePlan Plan(SkillWriteRequest request) => throw new NotImplementedException();

        /// <summary>Writes the plan atomically (temporary file, then rename). Throws SkillForgeException (SkillWriteFailed).</summary>
        public SkillFile Commit(SkillWritePlan plan) => throw new NotImplementedException();
    }
}

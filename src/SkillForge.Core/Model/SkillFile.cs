using System;

namespace SkillForge
{
    public enum SkillWriteStatus { Written, Replaced, Skipped }

    /// <summary>A SKILL.md that Export-Skill wrote (or would write, or skipped).</summary>
    public sealed class SkillFile
    {
        public string Name { get; set; } = "";
        public string Path { get; set; } = "";
        public string[] SourceIds { get; set; } = Array.Empty<string>();
        public string Fingerprint { get; set; } = "";
        public SkillWriteStatus Status { get; set; }
        public string? Model { get; set; }

        public override string ToString() => Path;
    }
}

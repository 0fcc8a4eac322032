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
        /// <summary>Tokens of the sources / tokens of the SKILL.md written (0 when the sources are unknown); under 1 means the skill is longer than its sources.</summary>
        public double CompressionRatio { get; set; }
        /// <summary>Share (0–1) of the source's failures or documents the skill draws on (0 when unknown).</summary>
        public double Coverage { get; set; }
        /// <summary>references/evidence.md beside SKILL.md, when one was written.</summary>
        public string? EvidencePath { get; set; }
        /// <summary>
        /// How many secrets and personal values of each kind were kept out of this skill: by the write check, and
        /// in the prompt it was distilled from when that is known (Invoke-SkillCrystallization, a DistillationResult).
        /// </summary>
        public RedactionCounts Redactions { get; set; } = new RedactionCounts();

        public override string ToString() => Path;
    }
}

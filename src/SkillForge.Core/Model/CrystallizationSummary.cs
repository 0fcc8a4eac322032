namespace SkillForge
{
    /// <summary>What one Invoke-SkillCrystallization run did.</summary>
    public sealed class CrystallizationSummary
    {
        public int Documents { get; set; }
        public int Clusters { get; set; }
        public int AlreadyCrystallized { get; set; }
        public int SkillsWritten { get; set; }
        public int Failed { get; set; }
        public int SourceTokens { get; set; }
        public int SkillTokens { get; set; }
        /// <summary>Source tokens / skill tokens over the skills written.</summary>
        public double CompressionRatio { get; set; }
        /// <summary>Secrets and personal values replaced over the run, by kind: in the prompts built and by the write check.</summary>
        public RedactionCounts Redactions { get; set; } = new RedactionCounts();
        public string SkillsPath { get; set; } = "";
        public string Model { get; set; } = "";
    }
}

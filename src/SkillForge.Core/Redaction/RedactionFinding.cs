namespace SkillForge.Redaction
{
    /// <summary>
    /// Where one secret or piece of personal data sits in a text: its kind and span, never its value
    /// (the caller has the text; a finding printed or logged says nothing it should not).
    /// </summary>
    public sealed class RedactionFinding
    {
        public RedactionFinding(string kind, RedactionCategory category, int start, int length, string replacement)
        {
            Kind = kind;
            Category = category;
            Start = start;
            Length = length;
            Replacement = replacement;
        }

        /// <summary>The detector's kind, e.g. "github-token", "email", "home-path".</summary>
        public string Kind { get; }
        public RedactionCategory Category { get; }
        /// <summary>0-based offset of the value in the text.</summary>
        public int Start { get; }
        public int Length { get; }
        public int End => Start + Length;
        /// <summary>What the value becomes: "[redacted:&lt;kind&gt;]", or "~" for a home folder.</summary>
        public string Replacement { get; }

        public override string ToString() => $"{Kind} at {Start} ({Length} chars)";
    }
}

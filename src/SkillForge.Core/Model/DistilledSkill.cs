using System;

namespace SkillForge
{
    /// <summary>When a distilled skill should be retrieved.</summary>
    public sealed class SkillTrigger
    {
        public string Persona { get; set; } = "";
        public string UrlPattern { get; set; } = "";
        public string[] TaskKeywords { get; set; } = Array.Empty<string>();

        public override string ToString() => string.Join(", ", TaskKeywords);
    }

    /// <summary>A skill distilled from a trace (the JSON-array answer of a trace prompt).</summary>
    public sealed class DistilledSkill
    {
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public string WhenToApply { get; set; } = "";
        /// <summary>"global", or the domain the skill is scoped to.</summary>
        public string Scope { get; set; } = "global";
        /// <summary>"success" or "failure".</summary>
        public string Source { get; set; } = "";
        public string Domain { get; set; } = "";
        public SkillTrigger Trigger { get; set; } = new SkillTrigger();
        public string Code { get; set; } = "";
        /// <summary>Provenance carried from the prompt, when known.</summary>
        public string[] SourceIds { get; set; } = Array.Empty<string>();
        public string Fingerprint { get; set; } = "";
        public string Model { get; set; } = "";

        public bool IsGlobal => string.Equals(Scope, "global", StringComparison.OrdinalIgnoreCase) || Scope.Length == 0;

        public override string ToString() => Name;
    }
}

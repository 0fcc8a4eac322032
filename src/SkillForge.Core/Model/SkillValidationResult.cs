using System;
using System.Linq;

namespace SkillForge
{
    public enum DiagnosticSeverity { Error, Warning }

    /// <summary>One problem found in a SKILL.md.</summary>
    public sealed class SkillDiagnostic
    {
        /// <summary>Stable code such as SF1001 (see docs/diagnostics.md).</summary>
        public string Code { get; set; } = "";
        public DiagnosticSeverity Severity { get; set; }
        public string Message { get; set; } = "";
        /// <summary>1-based line in the file, 0 when the problem is not tied to a line.</summary>
        public int Line { get; set; }

        public override string ToString() => $"{Severity} {Code} (line {Line}): {Message}";
    }

    /// <summary>The outcome of checking one SKILL.md against the Agent Skills rules.</summary>
    public sealed class SkillValidationResult
    {
        public string? Path { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public bool IsValid { get; set; }
        public SkillDiagnostic[] Diagnostics { get; set; } = Array.Empty<SkillDiagnostic>();
        /// <summary>The text that was checked (null when the file could not be read).</summary>
        public string? Content { get; set; }

        public int ErrorCount => Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        public int WarningCount => Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);

        public override string ToString() => Path ?? Name ?? "";
    }
}

using System;

namespace SkillForge
{
    /// <summary>A model's (or the offline distiller's) answer to one DistillPrompt.</summary>
    public sealed class DistillationResult
    {
        public DistillPrompt Prompt { get; set; } = new DistillPrompt();
        /// <summary>The raw answer.</summary>
        public string Text { get; set; } = "";
        /// <summary>The skill name from the answer's frontmatter (SKILL.md answers), when it has one.</summary>
        public string? Name { get; set; }
        public string Model { get; set; } = "";
        /// <summary>Host of the endpoint used, or "offline".</summary>
        public string Endpoint { get; set; } = "";
        public int InputTokens { get; set; }
        public int OutputTokens { get; set; }
        public TimeSpan Duration { get; set; }
        public string FinishReason { get; set; } = "";
        public int Retries { get; set; }
        /// <summary>Whether a repair round was needed to get a valid SKILL.md.</summary>
        public bool Repaired { get; set; }
        /// <summary>Tokens of the source events or memories the skill was built from / tokens of the answer (the SKILL.md for skill answers).</summary>
        public double CompressionRatio { get; set; }
        /// <summary>Share (0–1) of the prompt's failures (traces) or documents (memories) the answer draws on.</summary>
        public double Coverage { get; set; }
        /// <summary>The full evidence for references/evidence.md beside SKILL.md, when the source has more than the skill cites.</summary>
        public string? Evidence { get; set; }

        public string[] SourceIds => Prompt.SourceIds;
        public string Fingerprint => Prompt.Fingerprint;

        public override string ToString() => Text;
    }
}

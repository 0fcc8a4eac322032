using System;

namespace SkillForge
{
    public enum DistillPromptKind { MemoryCluster, TraceSuccess, TraceFailure, TracePattern }

    public enum DistillOutputKind { SkillMarkdown, SkillJsonArray }

    /// <summary>A prompt that asks a model to distill sources into skills.</summary>
    public sealed class DistillPrompt
    {
        public DistillPromptKind Kind { get; set; }
        public DistillOutputKind ExpectedOutput { get; set; }
        /// <summary>The whole prompt text sent as the user message.</summary>
        public string Text { get; set; } = "";
        public string[] SourceIds { get; set; } = Array.Empty<string>();
        /// <summary>Cluster fingerprint, or for traces the SHA-256 of trace id, kind and action ids.</summary>
        public string Fingerprint { get; set; } = "";
        public int EstimatedTokens { get; set; }
        /// <summary>Estimated tokens of the source material alone (for compression ratios).</summary>
        public int SourceTokens { get; set; }
        public string Scope { get; set; } = "";
        /// <summary>The cluster this prompt came from, when it came from one.</summary>
        public MemoryCluster? Cluster { get; set; }
        /// <summary>The trace pattern this prompt came from, when it came from one.</summary>
        public TracePattern? Pattern { get; set; }
        /// <summary>The trace partition this prompt came from, when it came from one.</summary>
        public TracePartition? Partition { get; set; }
        /// <summary>How many secrets and personal values of each kind the redaction pass replaced in Text.</summary>
        public RedactionCounts Redactions { get; set; } = new RedactionCounts();

        /// <summary>A copy with every property (the objects it refers to are shared), for a pass that changes Text.</summary>
        public DistillPrompt Copy() => (DistillPrompt)MemberwiseClone();

        public override string ToString() => $"{Kind} {Fingerprint}";
    }
}

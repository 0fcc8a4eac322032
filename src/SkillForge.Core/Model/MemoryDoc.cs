using System;

namespace SkillForge
{
    /// <summary>One memory document from an agent's memory store.</summary>
    public sealed class MemoryDoc
    {
        public string Id { get; set; } = "";
        public string Text { get; set; } = "";
        /// <summary>Memory tier as the export names it (Core, Working, Archive, ...). Compared case-insensitively.</summary>
        public string Tier { get; set; } = "Core";
        public string Scope { get; set; } = "";
        public string[] Tags { get; set; } = Array.Empty<string>();
        public string Kind { get; set; } = "";
        public long AccessCount { get; set; }
        public float[]? Embedding { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        /// <summary>The file the doc was read from, and its 1-based line (or record number for whole-document formats).</summary>
        public string? SourceFile { get; set; }
        public long SourceLine { get; set; }

        public bool HasTag(string tag) => Array.Exists(Tags, t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase));

        /// <summary>A shallow copy (arrays shared), for a pass that replaces some of its text.</summary>
        public MemoryDoc Copy() => (MemoryDoc)MemberwiseClone();

        public override string ToString() => Id;
    }
}

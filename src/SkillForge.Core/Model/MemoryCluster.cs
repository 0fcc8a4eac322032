using System;
using System.Collections.Generic;

namespace SkillForge
{
    public enum SimilarityMethod { Auto, Lexical, Embedding }

    /// <summary>A group of near-duplicate memory docs around one source doc.</summary>
    public sealed class MemoryCluster
    {
        /// <summary>SHA-256 (lower-case hex) of the sorted member ids: order-invariant and stable everywhere.</summary>
        public string Fingerprint { get; set; } = "";
        public string SourceId { get; set; } = "";
        public string Scope { get; set; } = "";
        /// <summary>Members, the source doc first.</summary>
        public MemoryDoc[] Documents { get; set; } = Array.Empty<MemoryDoc>();
        public int Size => Documents.Length;
        /// <summary>Similarity of each member to the source doc, same order as Documents (the source scores 1).</summary>
        public double[] Similarities { get; set; } = Array.Empty<double>();
        public double MinSimilarity { get; set; }
        public double MeanSimilarity { get; set; }
        public SimilarityMethod Method { get; set; }
        public double Threshold { get; set; }

        public IEnumerable<string> DocumentIds
        {
            get { foreach (var d in Documents) yield return d.Id; }
        }

        /// <summary>A shallow copy (arrays shared), for a pass that replaces some of its text.</summary>
        public MemoryCluster Copy() => (MemoryCluster)MemberwiseClone();

        public override string ToString() => $"{SourceId} ({Size} docs)";
    }
}

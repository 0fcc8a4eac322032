using System;
using System.Collections.Generic;

namespace SkillForge.Clustering
{
    /// <summary>Settings of Find-MemoryCluster.</summary>
    public sealed class ClusterOptions
    {
        public const double DefaultLexicalThreshold = 0.6;
        public const double DefaultEmbeddingThreshold = 0.85;

        /// <summary>Null: the method's default (0.6 lexical; for embeddings the model's, see EmbeddingModelCatalog, else 0.85).</summary>
        public double? SimilarityThreshold { get; set; }
        public int MinSize { get; set; } = 3;
        public SimilarityMethod Method { get; set; } = SimilarityMethod.Auto;
        /// <summary>All-pairs comparison instead of the candidate index: the ground truth.</summary>
        public bool Exact { get; set; }
        public string Tier { get; set; } = "Core";
        /// <summary>Null: every scope, each clustered separately.</summary>
        public string? Scope { get; set; }
        public bool IncludeCrystallized { get; set; }
        /// <summary>Doc ids a crystallization ledger already covers; treated like the crystallized tag.</summary>
        public ISet<string> CrystallizedIds { get; set; } = new HashSet<string>(StringComparer.Ordinal);
    }
}

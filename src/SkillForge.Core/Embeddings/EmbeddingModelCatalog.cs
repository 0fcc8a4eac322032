using System;
using System.Collections.Generic;

namespace SkillForge.Embeddings
{
    /// <summary>
    /// The embedding models SkillForge knows, with the cosine threshold Find-MemoryCluster uses for each when
    /// -SimilarityThreshold is not given. Thresholds are per model: cosines of one model are not comparable
    /// with another's. A threshold marked calibrated comes from bench/data/embedding-pairs.tsv (see the
    /// embeddings benchmark); any other model gets <see cref="UncalibratedThreshold"/>.
    /// </summary>
    public static class EmbeddingModelCatalog
    {
        /// <summary>The local model of the SkillForge.LocalEmbeddings companion module.</summary>
        public const string LocalModel = "all-MiniLM-L6-v2";

        /// <summary>The default model on api.openai.com.</summary>
        public const string DefaultOpenAIModel = "text-embedding-3-small";

        /// <summary>For models without a calibration of their own (and for embeddings an export carries).</summary>
        public const double UncalibratedThreshold = 0.85;

        /// <summary>
        /// Calibrated on the labelled pairs, scored beyond word overlap (<see cref="OverlapDiscount"/>): the threshold with
        /// the best F1 among those with precision ≥ 0.8.
        /// </summary>
        public const double LocalModelThreshold = 0.47;

        private static readonly Dictionary<string, double> Calibrated = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase)
        {
            [LocalModel] = LocalModelThreshold,
        };

        /// <summary>The models with a calibrated threshold, for help and the benchmark output.</summary>
        public static IReadOnlyDictionary<string, double> CalibratedThresholds => Calibrated;

        /// <summary>The default threshold for vectors of this model (null: unknown, e.g. an export's own embeddings).</summary>
        public static double DefaultThreshold(string? model) =>
            model != null && Calibrated.TryGetValue(model, out var t) ? t : UncalibratedThreshold;

        /// <summary>
        /// Whether Find-MemoryCluster scores this model's vectors beyond word overlap (<see cref="OverlapDiscount"/>):
        /// the calibrated models, whose thresholds were chosen on that score. Other vectors are compared by plain cosine.
        /// </summary>
        public static bool DiscountsWordOverlap(string? model) => model != null && Calibrated.ContainsKey(model);

        /// <summary>Whether a model name means the local model.</summary>
        public static bool IsLocal(string? model) =>
            model != null && (string.Equals(model, LocalModel, StringComparison.OrdinalIgnoreCase)
                              || string.Equals(model, "sentence-transformers/" + LocalModel, StringComparison.OrdinalIgnoreCase)
                              || string.Equals(model, "local", StringComparison.OrdinalIgnoreCase));
    }
}

using System;
using SkillForge.Clustering;

namespace SkillForge.Embeddings
{
    /// <summary>
    /// Embedding similarity beyond word overlap: (cosine − J) / (1 − J), where J is the lexical Jaccard similarity of
    /// the two embedded texts (Find-MemoryCluster's Lexical similarity). A sentence model scores two memories of one
    /// template high even when they say different things ("The user prefers replies in German" / "... in Spanish":
    /// cosine 0.82, J 0.69, discounted 0.41), because the shared words carry most of the vector; paraphrases share
    /// few words and keep nearly their cosine (cosine 0.65, J 0.05: 0.63); a verbatim duplicate scores 1. The result is
    /// never above the cosine, so the cosine index still finds every candidate. Used for the models whose threshold
    /// was calibrated this way (<see cref="EmbeddingModelCatalog.DiscountsWordOverlap"/>).
    /// </summary>
    public static class OverlapDiscount
    {
        public static double Apply(double cosine, double jaccard)
        {
            if (jaccard >= 1 - 1e-9) return cosine;
            if (jaccard <= 0) return cosine;
            double score = (cosine - jaccard) / (1 - jaccard);
            return score < -1 ? -1 : score > 1 ? 1 : score;
        }

        /// <summary>The discounted similarity of two docs' embeddings (for calibration and tests; clustering precomputes the parts).</summary>
        public static double Similarity(MemoryDoc a, MemoryDoc b)
        {
            if (a?.Embedding == null || b?.Embedding == null) throw new ArgumentException("Both docs need an embedding.");
            double dot = 0, na = 0, nb = 0;
            int n = Math.Min(a.Embedding.Length, b.Embedding.Length);
            for (int i = 0; i < n; i++)
            {
                dot += (double)a.Embedding[i] * b.Embedding[i];
                na += (double)a.Embedding[i] * a.Embedding[i];
                nb += (double)b.Embedding[i] * b.Embedding[i];
            }
            double cosine = na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
            return Apply(cosine, LexicalSimilarity.Jaccard(EmbeddingText.For(a), EmbeddingText.For(b)));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Embeddings
{
    /// <summary>What one embedding run did.</summary>
    public sealed class EmbeddingRun
    {
        /// <summary>Every input doc in order: the same object when it kept its embedding, else a copy with one.</summary>
        public IReadOnlyList<MemoryDoc> Docs { get; internal set; } = Array.Empty<MemoryDoc>();
        /// <summary>Docs that kept the embedding they came with.</summary>
        public int Kept { get; internal set; }
        /// <summary>Distinct texts embedded (several docs may share one text).</summary>
        public int Texts { get; internal set; }
        public int CacheHits { get; internal set; }
        public int Computed { get; internal set; }
        public TimeSpan Elapsed { get; internal set; }
    }

    /// <summary>
    /// Attaches embeddings to memory docs: prepares each doc's text (<see cref="EmbeddingText"/>), embeds each
    /// distinct text once, answers from the cache what it can, and sends the rest in batches. A doc keeps the
    /// embedding it came with unless forced, or unless SkillForge made it with another model.
    /// </summary>
    public static class MemoryEmbedder
    {
        public const string ProgressActivity = "Embedding memory docs";

        /// <summary>Runs on the calling thread (progress and verbose go to the sink from here).</summary>
        public static EmbeddingRun Embed(IReadOnlyList<MemoryDoc> docs, ITextEmbedder embedder, EmbeddingCache? cache, bool force,
            IOperationSink? sink = null, CancellationToken cancellationToken = default)
        {
            if (docs == null) throw new ArgumentNullException(nameof(docs));
            if (embedder == null) throw new ArgumentNullException(nameof(embedder));
            sink ??= NullSink.Instance;
            var clock = Stopwatch.StartNew();
            var run = new EmbeddingRun();
            var output = new MemoryDoc[docs.Count];
            var textOf = new string?[docs.Count];
            var vectors = new Dictionary<string, float[]?>(StringComparer.Ordinal);
            for (int i = 0; i < docs.Count; i++)
            {
                var doc = docs[i];
                if (!force && Keeps(doc, embedder.Model))
                {
                    output[i] = doc;
                    run.Kept++;
                    continue;
                }
                string text = EmbeddingText.For(doc);
                textOf[i] = text;
                vectors[text] = null;
            }
            run.Texts = vectors.Count;

            var missing = new List<string>();
            foreach (var text in vectors.Keys.ToList())
            {
                var hit = cache?.TryGet(embedder.Model, text);
                if (hit != null) { vectors[text] = hit; run.CacheHits++; }
                else missing.Add(text);
            }
            if (cache != null)
                sink.Verbose(string.Format(CultureInfo.InvariantCulture, "{0} of {1} distinct texts were in the embedding cache ({2}).", run.CacheHits, run.Texts, cache.Root));

            var computeClock = Stopwatch.StartNew();
            int done = 0;
            int? dimensions = null;
            for (int start = 0; start < missing.Count; start += embedder.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = missing.GetRange(start, Math.Min(embedder.BatchSize, missing.Count - start));
                float[][] result;
                try
                {
                    result = embedder.EmbedAsync(batch, cancellationToken).GetAwaiter().GetResult();
                }
                finally
                {
                    if (embedder is GeneratorTextEmbedder endpoint)
                        while (endpoint.Notes.TryDequeue(out var note)) sink.Verbose(note);
                }
                if (result == null || result.Length != batch.Count)
                    throw new SkillForgeException(ErrorIds.EmbeddingInvalidResult, FailureCategory.InvalidResult,
                        $"{embedder.Source} model '{embedder.Model}' returned {result?.Length ?? 0} vector(s) for {batch.Count} text(s).", embedder.Model);
                for (int k = 0; k < batch.Count; k++)
                {
                    var v = result[k];
                    dimensions ??= v.Length;
                    if (v.Length != dimensions)
                        throw new SkillForgeException(ErrorIds.EmbeddingInvalidResult, FailureCategory.InvalidResult,
                            $"{embedder.Source} model '{embedder.Model}' returned vectors of {dimensions} and of {v.Length} values in one run. One model gives one length: check the model name.", embedder.Model);
                    vectors[batch[k]] = v;
                    cache?.TryPut(embedder.Model, batch[k], v);
                }
                done += batch.Count;
                run.Computed = done;
                sink.Progress(Progress(done, missing.Count, computeClock.Elapsed));
            }
            if (missing.Count > 0)
            {
                sink.Progress(new OperationProgress(ProgressActivity, "Texts embedded", missing.Count, missing.Count));
                double seconds = Math.Max(computeClock.Elapsed.TotalSeconds, 1e-6);
                sink.Verbose(string.Format(CultureInfo.InvariantCulture, "Embedded {0} text(s) with {1} ({2}) in {3:0.0} s: {4:0} texts/s.",
                    missing.Count, embedder.Model, embedder.Source, seconds, missing.Count / seconds));
                if (cache != null)
                {
                    int trimmed = cache.Trim();
                    if (trimmed > 0) sink.Verbose($"The embedding cache went over its {cache.MaxBytes / (1024 * 1024)} MiB bound: {trimmed} least recently used vector(s) removed.");
                }
            }

            for (int i = 0; i < docs.Count; i++)
                if (output[i] == null) output[i] = docs[i].WithEmbedding(vectors[textOf[i]!]!, embedder.Model);
            run.Docs = output;
            run.Elapsed = clock.Elapsed;
            return run;
        }

        /// <summary>A doc keeps its embedding when it has one and no other SkillForge model made it.</summary>
        public static bool Keeps(MemoryDoc doc, string model) =>
            doc.Embedding != null && doc.Embedding.Length > 0
            && (doc.EmbeddingModel == null || string.Equals(doc.EmbeddingModel, model, StringComparison.OrdinalIgnoreCase));

        private static OperationProgress Progress(int done, int total, TimeSpan elapsed)
        {
            double rate = done / Math.Max(elapsed.TotalSeconds, 1e-6);
            int left = rate > 0 ? (int)Math.Ceiling((total - done) / rate) : -1;
            string status = string.Format(CultureInfo.InvariantCulture, "{0:0} texts/s, about {1} left,", rate, FormatSeconds(left));
            return new OperationProgress(ProgressActivity, status, done, total) { SecondsRemaining = left };
        }

        internal static string FormatSeconds(int seconds) =>
            seconds < 0 ? "unknown time" : seconds < 90 ? seconds.ToString(CultureInfo.InvariantCulture) + " s"
            : (seconds / 60).ToString(CultureInfo.InvariantCulture) + " min " + (seconds % 60).ToString(CultureInfo.InvariantCulture) + " s";
    }
}

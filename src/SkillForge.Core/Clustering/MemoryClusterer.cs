using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;

namespace SkillForge.Clustering
{
    /// <summary>Find-MemoryCluster's engine.</summary>
    public static class MemoryClusterer
    {
        /// <summary>The progress activity Core reports while clustering.</summary>
        public const string ProgressActivity = "Clustering memory docs";

        /// <summary>The tag that marks a doc as already turned into a skill.</summary>
        public const string CrystallizedTag = "crystallized";

        /// <summary>Inputs smaller than this report no progress.</summary>
        internal const int ProgressMinimumDocs = 5000;

        /// <summary>Every cluster: seeds most-accessed first, members verified against the seed, no doc in two clusters.</summary>
        public static IReadOnlyList<MemoryCluster> FindAll(IReadOnlyList<MemoryDoc> docs, ClusterOptions options, IOperationSink? sink = null, CancellationToken cancellationToken = default)
        {
            if (docs == null) throw new ArgumentNullException(nameof(docs));
            if (options == null) throw new ArgumentNullException(nameof(options));
            sink ??= NullSink.Instance;
            Validate(options);

            var unique = Deduplicate(docs, sink);
            var eligible = unique.Where(d => IneligibleReason(d, options) == null).ToList();
            var method = ResolveMethod(eligible, options.Method);
            double threshold = ThresholdFor(method, options, eligible);
            sink.Verbose(string.Format(CultureInfo.InvariantCulture,
                "{0} of {1} docs are eligible; {2} similarity, threshold {3}, minimum size {4}{5}.",
                eligible.Count, unique.Count, method, threshold, options.MinSize, options.Exact ? ", all pairs compared" : ""));

            var scopes = eligible.GroupBy(d => d.Scope ?? "", StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.ToList())
                .ToList();

            var progress = new ClusterProgress(sink, 3L * eligible.Count, eligible.Count >= ProgressMinimumDocs);
            var clusters = new List<MemoryCluster>();
            foreach (var scopeDocs in scopes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                clusters.AddRange(ClusterScope(scopeDocs, method, threshold, options, sink, progress, cancellationToken));
            }
            progress.Complete();
            return clusters;
        }

        /// <summary>The cluster around one doc, or null when it is ineligible or has fewer than MinSize members.
        /// Throws SkillForgeException (ErrorIds.ClusterDocNotFound) when no doc has that id.</summary>
        public static MemoryCluster? FindAround(IReadOnlyList<MemoryDoc> docs, string id, ClusterOptions options, IOperationSink? sink = null, CancellationToken cancellationToken = default)
        {
            if (docs == null) throw new ArgumentNullException(nameof(docs));
            if (options == null) throw new ArgumentNullException(nameof(options));
            sink ??= NullSink.Instance;
            Validate(options);

            var unique = Deduplicate(docs, sink);
            var source = unique.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.Ordinal));
            if (source == null)
                throw new SkillForgeException(ErrorIds.ClusterDocNotFound, FailureCategory.ObjectNotFound,
                    $"No memory doc with id '{id}' is in the input ({unique.Count} docs). Check the id (ids are case-sensitive) and that the doc is piped in.", id);

            var eligible = unique.Where(d => IneligibleReason(d, options) == null).ToList();
            var method = ResolveMethod(eligible, options.Method);
            double threshold = ThresholdFor(method, options, eligible);

            var reason = IneligibleReason(source, options);
            if (reason != null)
            {
                sink.Verbose($"Doc '{id}' cannot start a cluster: {reason}.");
                return null;
            }

            var scopeDocs = eligible.Where(d => string.Equals(d.Scope ?? "", source.Scope ?? "", StringComparison.Ordinal)).ToList();
            int sourceIndex = scopeDocs.IndexOf(source);
            var progress = new ClusterProgress(sink, 3L * scopeDocs.Count, scopeDocs.Count >= ProgressMinimumDocs);
            var space = BuildSpace(scopeDocs, method, progress, cancellationToken);
            var members = new List<(int Doc, double Similarity)>();
            if (!space.IsEmpty(sourceIndex))
            {
                for (int j = 0; j < scopeDocs.Count; j++)
                {
                    if (j == sourceIndex || !space.MayReach(sourceIndex, j, threshold)) continue;
                    if ((j & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
                    double similarity = space.Similarity(sourceIndex, j);
                    if (similarity >= threshold) members.Add((j, similarity));
                }
            }
            progress.Complete();

            if (members.Count + 1 < options.MinSize)
            {
                sink.Verbose(string.Format(CultureInfo.InvariantCulture,
                    "Doc '{0}' has {1} neighbour(s) at or above {2}; a cluster needs {3} docs in all.", id, members.Count, threshold, options.MinSize));
                return null;
            }
            return MakeCluster(scopeDocs, sourceIndex, members, method, threshold);
        }

        /// <summary>Why a doc cannot be clustered under these options, or null when it can.</summary>
        public static string? IneligibleReason(MemoryDoc doc, ClusterOptions options)
        {
            if (doc == null) throw new ArgumentNullException(nameof(doc));
            if (!string.IsNullOrEmpty(options.Tier) && !string.Equals(doc.Tier ?? "", options.Tier, StringComparison.OrdinalIgnoreCase))
                return $"its tier is '{doc.Tier}', not '{options.Tier}' (use -Tier to choose another)";
            if (options.Scope != null && !string.Equals(doc.Scope ?? "", options.Scope, StringComparison.Ordinal))
                return $"its scope is '{doc.Scope}', not '{options.Scope}'";
            if (!options.IncludeCrystallized)
            {
                if (doc.Tags != null && doc.HasTag(CrystallizedTag))
                    return "it is tagged 'crystallized' (use -IncludeCrystallized to cluster it anyway)";
                if (options.CrystallizedIds != null && options.CrystallizedIds.Contains(doc.Id))
                    return "the crystallization ledger lists it (use -IncludeCrystallized to cluster it anyway)";
            }
            return null;
        }

        /// <summary>The method Auto stands for with these eligible docs: Embedding when every one carries an embedding
        /// of one same length, else Lexical. A forced Embedding without usable embeddings is an error.</summary>
        public static SimilarityMethod ResolveMethod(IReadOnlyList<MemoryDoc> eligible, SimilarityMethod requested)
        {
            if (requested == SimilarityMethod.Lexical) return SimilarityMethod.Lexical;
            int length = -1;
            MemoryDoc? missing = null, mismatched = null;
            int missingCount = 0;
            foreach (var d in eligible)
            {
                var e = d.Embedding;
                if (e == null || e.Length == 0)
                {
                    missingCount++;
                    missing ??= d;
                    continue;
                }
                if (length < 0) length = e.Length;
                else if (e.Length != length) mismatched ??= d;
            }

            // Two models may give vectors of one length whose cosines mean nothing across them.
            var otherModel = mismatched == null && missing == null
                ? eligible.FirstOrDefault(d => !string.Equals(d.EmbeddingModel, eligible[0].EmbeddingModel, StringComparison.OrdinalIgnoreCase))
                : null;
            if (otherModel != null && requested == SimilarityMethod.Embedding)
                throw new SkillForgeException(ErrorIds.ClusterNoEmbeddings, FailureCategory.InvalidData,
                    $"Doc '{otherModel.Id}' has an embedding from '{otherModel.EmbeddingModel ?? "the export"}' where '{eligible[0].Id}' has one from '{eligible[0].EmbeddingModel ?? "the export"}'. " +
                    "Embeddings from one model are needed: re-embed them with Add-MemoryEmbedding -Force.", otherModel.Id);
            bool usable = eligible.Count > 0 && missing == null && mismatched == null && otherModel == null;
            if (requested == SimilarityMethod.Auto) return usable ? SimilarityMethod.Embedding : SimilarityMethod.Lexical;
            if (usable || eligible.Count == 0) return SimilarityMethod.Embedding;
            if (missing != null)
                throw new SkillForgeException(ErrorIds.ClusterNoEmbeddings, FailureCategory.InvalidData,
                    $"{missingCount} of {eligible.Count} eligible docs have no embedding (the first is '{missing.Id}'). Embedding similarity needs one on every doc: add embeddings, or use -Similarity Lexical or Auto.", missing.Id);
            throw new SkillForgeException(ErrorIds.ClusterNoEmbeddings, FailureCategory.InvalidData,
                $"Doc '{mismatched!.Id}' has an embedding of {mismatched.Embedding!.Length} values where the others have {length}. Embeddings from one model are needed: re-embed, or use -Similarity Lexical.", mismatched.Id);
        }

        /// <summary>The given threshold, else the method's default; for embeddings, the default of the model that made them.</summary>
        private static double ThresholdFor(SimilarityMethod method, ClusterOptions options, IReadOnlyList<MemoryDoc> eligible)
        {
            if (options.SimilarityThreshold is double given) return given;
            if (method != SimilarityMethod.Embedding) return ClusterOptions.DefaultLexicalThreshold;
            string? model = eligible.Count > 0 ? eligible[0].EmbeddingModel : null;
            return eligible.All(d => string.Equals(d.EmbeddingModel, model, StringComparison.OrdinalIgnoreCase))
                ? Embeddings.EmbeddingModelCatalog.DefaultThreshold(model)
                : ClusterOptions.DefaultEmbeddingThreshold;
        }

        private static void Validate(ClusterOptions options)
        {
            if (options.SimilarityThreshold is double t && (double.IsNaN(t) || t < 0 || t > 1))
                throw new SkillForgeException(ErrorIds.ClusterInvalidInput, FailureCategory.InvalidArgument,
                    $"The similarity threshold {t.ToString(CultureInfo.InvariantCulture)} is outside 0..1. Give a value such as 0.6.", t);
            if (options.MinSize < 2)
                throw new SkillForgeException(ErrorIds.ClusterInvalidInput, FailureCategory.InvalidArgument,
                    $"The minimum cluster size {options.MinSize} is below 2. Give 2 or more.", options.MinSize);
        }

        /// <summary>The first doc of each id; later duplicates are dropped with a warning.</summary>
        private static List<MemoryDoc> Deduplicate(IReadOnlyList<MemoryDoc> docs, IOperationSink sink)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var unique = new List<MemoryDoc>(docs.Count);
            int duplicates = 0;
            string? firstDuplicate = null;
            foreach (var d in docs)
            {
                if (d == null) continue;
                if (seen.Add(d.Id ?? "")) unique.Add(d);
                else
                {
                    duplicates++;
                    firstDuplicate ??= d.Id;
                }
            }
            if (duplicates > 0)
                sink.Warning($"{duplicates} doc(s) repeat the id of an earlier doc (the first is '{firstDuplicate}'); only the first doc of each id is clustered.");
            return unique;
        }

        private static SimilaritySpace BuildSpace(IReadOnlyList<MemoryDoc> docs, SimilarityMethod method, ClusterProgress progress, CancellationToken cancellationToken) =>
            method == SimilarityMethod.Embedding
                ? EmbeddingSpace.Build(docs, progress, cancellationToken,
                    discountWordOverlap: docs.Count > 0 && Embeddings.EmbeddingModelCatalog.DiscountsWordOverlap(docs[0].EmbeddingModel))
                : (SimilaritySpace)LexicalSpace.Build(docs, progress, cancellationToken);

        private static List<MemoryCluster> ClusterScope(List<MemoryDoc> docs, SimilarityMethod method, double threshold, ClusterOptions options,
            IOperationSink sink, ClusterProgress progress, CancellationToken cancellationToken)
        {
            int n = docs.Count;
            var clusters = new List<MemoryCluster>();
            var clock = Stopwatch.StartNew();
            var space = BuildSpace(docs, method, progress, cancellationToken);
            long readMs = clock.ElapsedMilliseconds, hashMs = 0, bucketMs = 0;

            LshBuckets? index = null;
            if (!options.Exact)
            {
                var keys = space.BandKeys(threshold, progress, cancellationToken);
                if (keys != null)
                {
                    hashMs = clock.ElapsedMilliseconds - readMs;
                    var indexed = new bool[n];
                    for (int i = 0; i < n; i++) indexed[i] = !space.IsEmpty(i);
                    index = LshBuckets.Build(keys, indexed, cancellationToken);
                    bucketMs = clock.ElapsedMilliseconds - readMs - hashMs;
                }
                else
                {
                    sink.Verbose(string.Format(CultureInfo.InvariantCulture,
                        "Scope '{0}': at threshold {1} an index cannot narrow the candidates; comparing all pairs.", docs[0].Scope, threshold));
                }
            }
            if (index == null) progress.Advance(n, "Comparing");

            // Seeds: most-accessed first, ties by ordinal id.
            var order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Array.Sort(order, (a, b) =>
            {
                int c = docs[b].AccessCount.CompareTo(docs[a].AccessCount);
                return c != 0 ? c : string.CompareOrdinal(docs[a].Id, docs[b].Id);
            });

            // Seeds go in batches. Each batch first finds, in parallel, every seed's verified neighbours among the
            // docs unassigned when the batch starts; then, in seed order, a seed still unassigned keeps the
            // neighbours still unassigned. That is exactly the one-seed-at-a-time result: assignment only grows.
            var assigned = new bool[n];
            const int Batch = 1024;
            var found = new List<(int Doc, double Similarity)>?[Batch];
            var scratch = new ThreadLocal<GroupScratch>(() => new GroupScratch(n), trackAllValues: true);
            var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            long comparisons = 0, candidateTotal = 0;

            void Neighbours(int k, int from)
            {
                int seed = order[k];
                found[k - from] = null;
                if (assigned[seed] || space.IsEmpty(seed)) return;
                var local = scratch.Value!;
                var result = new List<(int Doc, double Similarity)>();
                if (index != null)
                {
                    local.Candidates.Clear();
                    int mark = ++local.Stamp;
                    local.Marks[seed] = mark;
                    index.Collect(seed, assigned, local.Marks, mark, local.Candidates);
                    local.CandidateCount += local.Candidates.Count;
                    foreach (var c in local.Candidates)
                    {
                        if (!space.MayReach(seed, c, threshold) || !space.Plausible(seed, c)) continue;
                        local.Comparisons++;
                        double similarity = space.Similarity(seed, c);
                        if (similarity >= threshold) result.Add((c, similarity));
                    }
                }
                else
                {
                    for (int j = 0; j < n; j++)
                    {
                        if (j == seed || assigned[j] || !space.MayReach(seed, j, threshold)) continue;
                        local.Comparisons++;
                        double similarity = space.Similarity(seed, j);
                        if (similarity >= threshold) result.Add((j, similarity));
                    }
                }
                found[k - from] = result;
            }

            try
            {
                for (int from = 0; from < n; from += Batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int to = Math.Min(n, from + Batch);
                    int batchStart = from;
                    bool worthParallel = index == null ? (long)(to - from) * n >= 1 << 16 : n >= 4096;
                    if (worthParallel) Parallel.For(from, to, parallel, k => Neighbours(k, batchStart));
                    else for (int k = from; k < to; k++) Neighbours(k, from);

                    for (int k = from; k < to; k++)
                    {
                        int seed = order[k];
                        var neighbours = found[k - from];
                        found[k - from] = null;
                        if (neighbours == null || assigned[seed]) continue;
                        neighbours.RemoveAll(m => assigned[m.Doc]);
                        if (neighbours.Count + 1 < options.MinSize) continue;
                        assigned[seed] = true;
                        foreach (var m in neighbours) assigned[m.Doc] = true;
                        clusters.Add(MakeCluster(docs, seed, neighbours, method, threshold));
                    }
                    progress.Advance(to - from, "Grouping");
                }
            }
            finally
            {
                foreach (var local in scratch.Values)
                {
                    comparisons += local.Comparisons;
                    candidateTotal += local.CandidateCount;
                }
                scratch.Dispose();
            }
            sink.Verbose(string.Format(CultureInfo.InvariantCulture,
                "Scope '{0}': {1} docs, {2} clusters{3}; read in {4} ms, hashed in {5} ms, bucketed in {6} ms, grouped in {7} ms, {8} similarities computed, {9} candidates.",
                docs[0].Scope, n, clusters.Count, index != null ? " (" + space.IndexDescription + ")" : " (all pairs compared)",
                readMs, hashMs, bucketMs, clock.ElapsedMilliseconds - readMs - hashMs - bucketMs, comparisons, candidateTotal));
            return clusters;
        }

        private static MemoryCluster MakeCluster(IReadOnlyList<MemoryDoc> docs, int source, List<(int Doc, double Similarity)> members,
            SimilarityMethod method, double threshold)
        {
            members.Sort((a, b) =>
            {
                int c = b.Similarity.CompareTo(a.Similarity);
                return c != 0 ? c : string.CompareOrdinal(docs[a.Doc].Id, docs[b.Doc].Id);
            });
            var documents = new MemoryDoc[members.Count + 1];
            var similarities = new double[members.Count + 1];
            documents[0] = docs[source];
            similarities[0] = 1;
            double min = 1, sum = 0;
            for (int i = 0; i < members.Count; i++)
            {
                documents[i + 1] = docs[members[i].Doc];
                similarities[i + 1] = members[i].Similarity;
                min = Math.Min(min, members[i].Similarity);
                sum += members[i].Similarity;
            }
            return new MemoryCluster
            {
                Fingerprint = ClusterFingerprint.Compute(documents.Select(d => d.Id)),
                SourceId = docs[source].Id,
                Scope = docs[source].Scope ?? "",
                Documents = documents,
                Similarities = similarities,
                MinSimilarity = members.Count == 0 ? 1 : min,
                MeanSimilarity = members.Count == 0 ? 1 : sum / members.Count,
                Method = method,
                Threshold = threshold,
            };
        }
    }

    /// <summary>One worker's reusable state while grouping: candidate marks (stamped per seed) and counters.</summary>
    internal sealed class GroupScratch
    {
        public GroupScratch(int n) { Marks = new int[n]; }

        public readonly int[] Marks;
        public readonly List<int> Candidates = new List<int>();
        public int Stamp;
        public long Comparisons;
        public long CandidateCount;
    }

    /// <summary>Throttled progress for one clustering run (at most about four reports a second).</summary>
    internal sealed class ClusterProgress
    {
        private readonly IOperationSink _sink;
        private readonly long _total;
        private readonly bool _enabled;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _done;
        private long _lastReport = -1;

        public ClusterProgress(IOperationSink sink, long total, bool enabled)
        {
            _sink = sink;
            _total = Math.Max(1, total);
            _enabled = enabled && total > 0;
        }

        public void Advance(long units, string status)
        {
            _done = Math.Min(_total - 1, _done + units);
            if (!_enabled) return;
            long now = _clock.ElapsedMilliseconds;
            if (_lastReport >= 0 && now - _lastReport < 250) return;
            _lastReport = now;
            _sink.Progress(new OperationProgress(MemoryClusterer.ProgressActivity, status, _done, _total));
        }

        public void Complete()
        {
            if (_enabled && _lastReport >= 0) _sink.Progress(new OperationProgress(MemoryClusterer.ProgressActivity, "Done", _total, _total));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading;
using System.Threading.Tasks;

namespace SkillForge.Clustering
{
    /// <summary>The docs of one scope, prepared for one similarity method.</summary>
    internal abstract class SimilaritySpace
    {
        /// <summary>How often a candidate pair at the threshold is missed by the index, at most.</summary>
        public const double TargetRecall = 0.995;

        protected const int ChunkSize = 4096;

        public abstract int Count { get; }

        /// <summary>True when the doc can be similar to nothing (no words, a zero vector).</summary>
        public abstract bool IsEmpty(int i);

        /// <summary>The exact similarity of two docs.</summary>
        public abstract double Similarity(int i, int j);

        /// <summary>False only when the pair certainly scores below the threshold (a cheap, exact bound).</summary>
        public abstract bool MayReach(int i, int j, double threshold);

        /// <summary>
        /// 32-bit LSH band keys (keys[band][doc]; a chance collision only adds a candidate, which is verified) tuned so that a pair at the threshold shares a band with probability at
        /// least <see cref="TargetRecall"/>; null when no index can help at this threshold (compare all pairs).
        /// </summary>
        public abstract uint[][]? BandKeys(double threshold, ClusterProgress progress, CancellationToken cancellationToken);

        /// <summary>
        /// False when the index's sketches say the pair is almost surely below the threshold (index candidates only;
        /// a pair at the threshold is rejected with probability below 1e-4).
        /// </summary>
        public virtual bool Plausible(int i, int j) => true;

        /// <summary>A short description of the index for verbose output.</summary>
        public string IndexDescription { get; protected set; } = "";

        protected static void ForChunks(int count, ClusterProgress progress, string status, CancellationToken cancellationToken, Action<int> body, bool advance)
        {
            var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            for (int from = 0; from < count; from += ChunkSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int to = Math.Min(count, from + ChunkSize);
                if (to - from < 256) for (int i = from; i < to; i++) body(i);
                else Parallel.For(from, to, options, body);
                if (advance) progress.Advance(to - from, status);
            }
        }
    }

    /// <summary>Word unigram + bigram sets, exact Jaccard, MinHash signatures for the index.</summary>
    internal sealed class LexicalSpace : SimilaritySpace
    {
        private const int RowBudget = 200;
        private const int LargeRowBudget = 400;
        private const int LargeScope = 100_000;
        private const int MaxRows = 16;
        private const int MaxSketchValues = 256;
        private readonly ulong[][] _shingles;
        private ulong[]? _sketch;     // _sketchWords a doc: the lowest 2 bits of each signature row (b-bit MinHash, b = 2)
        private int _sketchValues;
        private int _sketchWords;
        private int _minAgreement;

        private readonly int[] _lengths;

        private LexicalSpace(ulong[][] shingles)
        {
            _shingles = shingles;
            _lengths = new int[shingles.Length];
            for (int i = 0; i < shingles.Length; i++) _lengths[i] = shingles[i].Length;
        }

        public override int Count => _shingles.Length;

        /// <summary>Normalises (in parallel) and reads the words of every doc (one thread: the word table is shared).</summary>
        public static LexicalSpace Build(IReadOnlyList<MemoryDoc> docs, ClusterProgress progress, CancellationToken cancellationToken) =>
            Build(docs, d => d.Text, progress, cancellationToken);

        /// <summary>The same over another text of each doc (the text that was embedded, for <see cref="EmbeddingSpace"/>).</summary>
        public static LexicalSpace Build(IReadOnlyList<MemoryDoc> docs, Func<MemoryDoc, string> textOf, ClusterProgress progress, CancellationToken cancellationToken)
        {
            int n = docs.Count;
            var shingles = new ulong[n][];
            var interner = new WordInterner();
            var normalized = new string[Math.Min(n, ChunkSize)];
            var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            var bounds = new int[64];
            var ids = new int[32];
            var buffer = new ulong[64];
            for (int from = 0; from < n; from += ChunkSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int to = Math.Min(n, from + ChunkSize);
                if (to - from < 256) for (int i = from; i < to; i++) normalized[i - from] = LexicalSimilarity.Normalize(textOf(docs[i]));
                else Parallel.For(from, to, options, i => normalized[i - from] = LexicalSimilarity.Normalize(textOf(docs[i])));

                for (int i = from; i < to; i++)
                {
                    string s = normalized[i - from];
                    int words = WordScanner.Scan(s, ref bounds);
                    if (ids.Length < words) ids = new int[Math.Max(words, ids.Length * 2)];
                    for (int w = 0; w < words; w++) ids[w] = interner.Intern(s, bounds[2 * w], bounds[2 * w + 1]);
                    shingles[i] = ShingleSet(ids, words, ref buffer);
                    normalized[i - from] = null!;
                }
                progress.Advance(to - from, "Reading words");
            }
            return new LexicalSpace(shingles);
        }

        /// <summary>Sorted distinct shingle keys of a word-id sequence.</summary>
        internal static ulong[] ShingleSet(int[] ids, int words, ref ulong[] buffer)
        {
            if (words == 0) return Array.Empty<ulong>();
            int need = 2 * words;
            if (buffer.Length < need) buffer = new ulong[Math.Max(need, buffer.Length * 2)];
            int k = 0;
            for (int w = 0; w < words; w++)
            {
                ulong a = (ulong)(uint)(ids[w] + 1) << 32;
                buffer[k++] = a;
                if (w + 1 < words) buffer[k++] = a | (uint)(ids[w + 1] + 1);
            }
            Array.Sort(buffer, 0, k);
            int distinct = 1;
            for (int i = 1; i < k; i++) if (buffer[i] != buffer[distinct - 1]) buffer[distinct++] = buffer[i];
            var result = new ulong[distinct];
            Array.Copy(buffer, result, distinct);
            return result;
        }

        public override bool IsEmpty(int i) => _lengths[i] == 0;

        public override bool Plausible(int i, int j)
        {
            var sketch = _sketch;
            if (sketch == null) return true;
            int words = _sketchWords;
            long a = (long)i * words, b = (long)j * words;
            int differ = 0;
            for (int w = 0; w < words; w++)
            {
                ulong x = sketch[a + w] ^ sketch[b + w];
                differ += PopCount((x | (x >> 1)) & 0x5555555555555555UL); // one bit per 2-bit value that differs
            }
            return _sketchValues - differ >= _minAgreement;
        }

        private static int PopCount(ulong x)
        {
            unchecked
            {
                x -= (x >> 1) & 0x5555555555555555UL;
                x = (x & 0x3333333333333333UL) + ((x >> 2) & 0x3333333333333333UL);
                x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FUL;
                return (int)((x * 0x0101010101010101UL) >> 56);
            }
        }

        public override double Similarity(int i, int j) => LexicalSimilarity.Jaccard(_shingles[i], _shingles[j]);

        public override bool MayReach(int i, int j, double threshold)
        {
            int a = _lengths[i], b = _lengths[j];
            if (a == 0 || b == 0) return false;
            // Jaccard ≤ min/max: skip pairs whose sizes alone rule the threshold out.
            return a <= b ? a >= threshold * b - 1e-9 : b >= threshold * a - 1e-9;
        }

        public override uint[][]? BandKeys(double threshold, ClusterProgress progress, CancellationToken cancellationToken)
        {
            // Under ideal min-wise hashing two docs agree on one signature row with probability = their Jaccard.
            // Chance candidates grow with the square of a scope's size and hashing only linearly, so large scopes
            // pay for more rows per band.
            var banding = LshBuckets.ChooseBanding(threshold, TargetRecall, Count >= LargeScope ? LargeRowBudget : RowBudget, MaxRows);
            if (banding == null || threshold < 0.1) return null;
            int rows = banding.Value.Rows, bands = banding.Value.Bands;
            IndexDescription = $"MinHash LSH, {bands} bands of {rows} rows";
            var hasher = new MinHasher(rows * bands, 0x5EED_C1A5_7E12UL);
            int n = Count;
            // Two docs agree on the lowest 2 bits of a MinHash row with probability J + (1 − J) / 4. Reject a
            // candidate whose agreement lies more than 4 standard deviations below what a pair at the threshold shows.
            _sketchValues = Math.Min(MaxSketchValues, rows * bands);
            _sketchWords = (_sketchValues + 31) / 32;
            double agree = threshold + (1 - threshold) / 4;
            _minAgreement = (int)Math.Floor(_sketchValues * agree - 4.0 * Math.Sqrt(_sketchValues * agree * (1 - agree)));
            var sketch = _sketchValues >= 32 ? new ulong[_sketchWords * (long)n] : null;
            int sketchValues = _sketchValues, sketchWords = _sketchWords;
            var keys = new uint[bands][];
            for (int b = 0; b < bands; b++) keys[b] = new uint[n];
            var scratch = new ThreadLocal<uint[]>(() => new uint[hasher.PaddedLength]);
            try
            {
                ForChunks(n, progress, "Hashing", cancellationToken, i =>
                {
                    var shingles = _shingles[i];
                    if (shingles.Length == 0) return;
                    var signature = scratch.Value!;
                    hasher.Signature(shingles, signature);
                    for (int b = 0; b < bands; b++) keys[b][i] = BandKey(signature, b * rows, rows, b);
                    if (sketch != null)
                    {
                        long at = (long)i * sketchWords;
                        for (int k = 0; k < sketchValues; k++)
                            sketch[at + (k >> 5)] |= (ulong)(signature[k] & 3) << (2 * (k & 31));
                    }
                }, advance: true);
            }
            finally
            {
                scratch.Dispose();
            }
            _sketch = sketch;
            return keys;
        }

        private static uint BandKey(uint[] signature, int offset, int rows, int band)
        {
            unchecked
            {
                ulong h = 0x9E3779B97F4A7C15UL * (ulong)(band + 1);
                for (int r = 0; r < rows; r++) h = (h ^ signature[offset + r]) * 0x100000001B3UL + 0x632BE59BD9B4E019UL;
                return (uint)(SplitMix64.Mix(h) >> 32);
            }
        }
    }

    /// <summary>
    /// MinHash: for each of k hash functions, the smallest hash over a set. Each function is two rounds of
    /// xor-then-multiply on a 32-bit mix of the shingle key, computed 4–16 functions at a time with SIMD.
    /// </summary>
    internal sealed class MinHasher
    {
        private readonly uint[] _x1, _m1, _x2, _m2;

        public MinHasher(int functions, ulong seed)
        {
            int width = Vector<uint>.Count;
            PaddedLength = (functions + width - 1) / width * width;
            _x1 = new uint[PaddedLength];
            _m1 = new uint[PaddedLength];
            _x2 = new uint[PaddedLength];
            _m2 = new uint[PaddedLength];
            var random = new SplitMix64(seed);
            for (int i = 0; i < PaddedLength; i++)
            {
                _x1[i] = (uint)random.Next();
                _m1[i] = (uint)random.Next() | 1u;
                _x2[i] = (uint)random.Next();
                _m2[i] = (uint)random.Next() | 1u;
            }
        }

        public int PaddedLength { get; }

        public void Signature(ulong[] shingles, uint[] signature)
        {
            int width = Vector<uint>.Count;
            for (int i = 0; i < PaddedLength; i++) signature[i] = uint.MaxValue;
            foreach (var shingle in shingles)
            {
                var x = new Vector<uint>((uint)(SplitMix64.Mix(shingle) >> 32));
                for (int i = 0; i < PaddedLength; i += width)
                {
                    var v = (x ^ new Vector<uint>(_x1, i)) * new Vector<uint>(_m1, i);
                    v = (v ^ new Vector<uint>(_x2, i)) * new Vector<uint>(_m2, i);
                    Vector.Min(v, new Vector<uint>(signature, i)).CopyTo(signature, i);
                }
            }
        }
    }

    /// <summary>Unit-length embeddings, cosine as a SIMD dot product, random-hyperplane LSH for the index.</summary>
    internal sealed class EmbeddingSpace : SimilaritySpace
    {
        private const int PlaneBudget = 256;
        private const int MaxRows = 32;
        private readonly float[][] _vectors;
        private readonly bool[] _zero;
        private readonly LexicalSpace? _overlap; // set: similarity beyond word overlap (OverlapDiscount)

        private EmbeddingSpace(float[][] vectors, bool[] zero, LexicalSpace? overlap)
        {
            _vectors = vectors;
            _zero = zero;
            _overlap = overlap;
        }

        public override int Count => _vectors.Length;

        /// <summary>
        /// The docs' unit vectors; with <paramref name="discountWordOverlap"/> also the word sets of the texts that were
        /// embedded, so Similarity is the cosine beyond word overlap.
        /// </summary>
        public static EmbeddingSpace Build(IReadOnlyList<MemoryDoc> docs, ClusterProgress progress, CancellationToken cancellationToken, bool discountWordOverlap = false)
        {
            int n = docs.Count;
            var vectors = new float[n][];
            var zero = new bool[n];
            ForChunks(n, progress, "Reading embeddings", cancellationToken, i =>
            {
                var source = docs[i].Embedding!;
                var v = new float[source.Length];
                double norm = 0;
                for (int k = 0; k < source.Length; k++) norm += (double)source[k] * source[k];
                norm = Math.Sqrt(norm);
                if (norm == 0 || double.IsNaN(norm) || double.IsInfinity(norm)) zero[i] = true;
                else for (int k = 0; k < source.Length; k++) v[k] = (float)(source[k] / norm);
                vectors[i] = v;
            }, advance: true);
            var overlap = discountWordOverlap
                ? LexicalSpace.Build(docs, Embeddings.EmbeddingText.For, new ClusterProgress(Diagnostics.NullSink.Instance, 0, false), cancellationToken)
                : null;
            return new EmbeddingSpace(vectors, zero, overlap);
        }

        public override bool IsEmpty(int i) => _zero[i];

        public override double Similarity(int i, int j)
        {
            if (_zero[i] || _zero[j]) return 0;
            double dot = Dot(_vectors[i], _vectors[j]);
            dot = dot > 1 ? 1 : dot < -1 ? -1 : dot;
            return _overlap == null ? dot : Embeddings.OverlapDiscount.Apply(dot, _overlap.Similarity(i, j));
        }

        public override bool MayReach(int i, int j, double threshold) => !_zero[i] && !_zero[j];

        internal static float Dot(float[] a, float[] b)
        {
            int width = Vector<float>.Count;
            int length = Math.Min(a.Length, b.Length);
            var acc = Vector<float>.Zero;
            int k = 0;
            for (; k <= length - width; k += width) acc += new Vector<float>(a, k) * new Vector<float>(b, k);
            float sum = Vector.Dot(acc, Vector<float>.One);
            for (; k < length; k++) sum += a[k] * b[k];
            return sum;
        }

        public override uint[][]? BandKeys(double threshold, ClusterProgress progress, CancellationToken cancellationToken)
        {
            if (threshold <= 0 || Count == 0) return null;
            // A random hyperplane separates two unit vectors with probability angle/π.
            double p = 1 - Math.Acos(Math.Min(1, threshold)) / Math.PI;
            var banding = LshBuckets.ChooseBanding(p, TargetRecall, PlaneBudget, MaxRows);
            if (banding == null) return null;
            int rows = banding.Value.Rows, bands = banding.Value.Bands;
            IndexDescription = $"random-hyperplane LSH, {bands} bands of {rows} planes";
            int dims = _vectors[0].Length;
            var random = new SplitMix64(0xC05_1AE5_0F1A_7E5UL);
            var planes = new float[rows * bands][];
            for (int q = 0; q < planes.Length; q++)
            {
                planes[q] = new float[dims];
                for (int k = 0; k < dims; k++) planes[q][k] = (float)random.NextGaussian();
            }
            int n = Count;
            var keys = new uint[bands][];
            for (int b = 0; b < bands; b++) keys[b] = new uint[n];
            ForChunks(n, progress, "Hashing", cancellationToken, i =>
            {
                if (_zero[i]) return;
                var v = _vectors[i];
                for (int b = 0; b < bands; b++)
                {
                    ulong bits = 0;
                    for (int r = 0; r < rows; r++)
                        if (Dot(planes[b * rows + r], v) >= 0) bits |= 1UL << r;
                    keys[b][i] = (uint)(SplitMix64.Mix(bits ^ ((ulong)(b + 1) << 40)) >> 32);
                }
            }, advance: true);
            return keys;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SkillForge.Clustering
{
    /// <summary>
    /// Locality-sensitive hashing by bands: docs whose signatures agree on every row of at least one band share a
    /// bucket and become candidates of each other. Only buckets of two or more docs are kept.
    /// </summary>
    internal sealed class LshBuckets
    {
        private readonly int[][] _bucketOf;   // [band][doc] bucket number in that band, -1 = alone
        private readonly int[][] _start;      // [band][bucket] first slot in _members[band]
        private readonly int[][] _length;     // [band][bucket] members
        private readonly int[][] _members;    // [band][slot] doc

        private LshBuckets(int bands)
        {
            _bucketOf = new int[bands][];
            _start = new int[bands][];
            _length = new int[bands][];
            _members = new int[bands][];
        }

        /// <summary>
        /// Builds the buckets from band keys (keys[band][doc]; docs with indexed[doc] false are left out).
        /// Each band's key array is released once its buckets are built.
        /// </summary>
        public static LshBuckets Build(uint[][] keys, bool[] indexed, CancellationToken cancellationToken)
        {
            int bands = keys.Length;
            var result = new LshBuckets(bands);
            var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.For(0, bands, options, band =>
            {
                result.BuildBand(band, keys[band], indexed);
                keys[band] = null!;
            });
            return result;
        }

        private void BuildBand(int band, uint[] bandKeys, bool[] indexed)
        {
            int n = bandKeys.Length;
            int m = 0;
            for (int d = 0; d < n; d++) if (indexed[d]) m++;
            var sortedKeys = new uint[m];
            var docs = new int[m];
            m = 0;
            for (int d = 0; d < n; d++)
            {
                if (!indexed[d]) continue;
                sortedKeys[m] = bandKeys[d];
                docs[m] = d;
                m++;
            }
            Array.Sort(sortedKeys, docs);

            var bucketOf = new int[n];
            for (int d = 0; d < n; d++) bucketOf[d] = -1;

            int buckets = 0, slots = 0;
            for (int i = 0; i < m;)
            {
                int j = i + 1;
                while (j < m && sortedKeys[j] == sortedKeys[i]) j++;
                if (j - i >= 2) { buckets++; slots += j - i; }
                i = j;
            }

            var start = new int[buckets];
            var length = new int[buckets];
            var members = new int[slots];
            int b = 0, s = 0;
            for (int i = 0; i < m;)
            {
                int j = i + 1;
                while (j < m && sortedKeys[j] == sortedKeys[i]) j++;
                if (j - i >= 2)
                {
                    start[b] = s;
                    length[b] = j - i;
                    for (int k = i; k < j; k++)
                    {
                        members[s++] = docs[k];
                        bucketOf[docs[k]] = b;
                    }
                    b++;
                }
                i = j;
            }

            _bucketOf[band] = bucketOf;
            _start[band] = start;
            _length[band] = length;
            _members[band] = members;
        }

        /// <summary>
        /// Adds to candidates every doc sharing a bucket with doc that is not assigned and not yet marked with
        /// mark (the caller marks doc itself first), marking each one added. Reads the buckets only, so several
        /// threads may collect at once while nobody assigns.
        /// </summary>
        public void Collect(int doc, bool[] assigned, int[] marks, int mark, List<int> candidates)
        {
            for (int band = 0; band < _bucketOf.Length; band++)
            {
                int bucket = _bucketOf[band][doc];
                if (bucket < 0) continue;
                int start = _start[band][bucket];
                int end = start + _length[band][bucket];
                var members = _members[band];
                for (int k = start; k < end; k++)
                {
                    int other = members[k];
                    if (marks[other] == mark || assigned[other]) continue;
                    marks[other] = mark;
                    candidates.Add(other);
                }
            }
        }

        /// <summary>
        /// Rows per band (r) and bands (b) so that a pair whose rows agree with probability p is a candidate with
        /// probability 1 - (1 - p^r)^b ≥ targetRecall, using at most budget rows in all; the largest such r
        /// (fewest chance candidates). Null when no choice fits the budget.
        /// </summary>
        public static (int Rows, int Bands)? ChooseBanding(double p, double targetRecall, int budget, int maxRows)
        {
            if (p <= 0 || p > 1) return null;
            (int, int)? best = null;
            for (int r = 1; r <= maxRows; r++)
            {
                double pr = Math.Pow(p, r);
                int b;
                if (pr >= 1) b = 1;
                else
                {
                    double perBand = Math.Log(1 - pr);
                    if (!(perBand < 0)) continue; // p^r too small to register: this many rows can never reach the target
                    double need = Math.Log(1 - targetRecall) / perBand;
                    if (double.IsNaN(need) || double.IsInfinity(need) || need > budget) continue;
                    b = Math.Max(1, (int)Math.Ceiling(need - 1e-9));
                }
                if ((long)r * b <= budget) best = (r, b);
            }
            return best;
        }
    }

    /// <summary>Deterministic pseudo-random numbers (SplitMix64), identical in every process and runtime.</summary>
    internal struct SplitMix64
    {
        private ulong _state;

        public SplitMix64(ulong seed) { _state = seed; }

        public ulong Next()
        {
            unchecked
            {
                ulong z = _state += 0x9E3779B97F4A7C15UL;
                return Mix(z);
            }
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

        /// <summary>A standard normal value (Box–Muller).</summary>
        public double NextGaussian()
        {
            double u1 = 1.0 - NextDouble();
            double u2 = NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        public static ulong Mix(ulong z)
        {
            unchecked
            {
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }
    }
}

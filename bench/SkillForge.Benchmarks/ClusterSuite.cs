using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Threading;
using SkillForge.Clustering;

namespace SkillForge.Benchmarks
{
    /// <summary>
    /// Find-MemoryCluster's engine on generated exports (in memory, no disk): FindAll lexical time and peak
    /// memory per size, recall of the index against -Exact, speed-up over -Exact.
    /// </summary>
    public sealed class ClusterSuite : IBenchmarkSuite
    {
        public string Name => "cluster";

        public string Description => "Find-MemoryCluster: time and memory per size, recall and speed-up vs -Exact  [--sizes 10000,100000,1000000] [--recall-size 10000] [--speedup-size 50000] [--skip-recall] [--skip-speedup]";

        private static bool Verbose;
        private static double LastCpuSeconds;
        private static string LastGc = "";

        public int Run(string[] args)
        {
            var options = new BenchArgs(args);
            Verbose = options.Flag("verbose");
            var sizes = options.Ints("sizes", new[] { 10_000, 100_000 });
            int recallSize = options.Int("recall-size", 10_000);
            int speedupSize = options.Int("speedup-size", 50_000);

            Console.WriteLine($"cluster suite: {Environment.ProcessorCount} cores, .NET {Environment.Version}, Vector<float> {Vector<float>.Count} lanes (hardware {(Vector.IsHardwareAccelerated ? "accelerated" : "NOT accelerated")}), server GC {System.Runtime.GCSettings.IsServerGC}");
            Console.WriteLine("Docs come from MemoryExportGenerator (seed 20251121): ~10% in planted near-duplicate clusters, 6 scopes, ~85% Core tier, 5% tagged crystallized.");
            Console.WriteLine("load average at start: " + LoadAverage() + " (the machine is shared: wall times stretch when other work runs; CPU time is the process's own)");
            Console.WriteLine();

            var rows = new List<string[]> { new[] { "docs", "eligible", "clusters", "clustered docs", "planted pairs found", "FindAll lexical", "CPU time", "GC during FindAll", "managed heap peak (FindAll, above input)", "process peak working set", "target" } };
            foreach (var size in sizes)
            {
                var export = MemoryExportGenerator.Generate(size);
                var result = Measure(export, new ClusterOptions { Method = SimilarityMethod.Lexical }, out var seconds, out var heapPeak, out var workingSet);
                int eligible = export.Docs.Count(d => MemoryClusterer.IneligibleReason(d, new ClusterOptions()) == null);
                double planted = PlantedRecall(export, result);
                string target = size >= 1_000_000 ? "≤ 60 s, ≤ 3 GB" : size >= 100_000 ? "≤ 5 s" : "";
                rows.Add(new[]
                {
                    size.ToString("N0"), eligible.ToString("N0"), result.Count.ToString("N0"), result.Sum(c => c.Size).ToString("N0"),
                    Figures.F(planted, "P2"), Figures.Seconds(seconds), Figures.Seconds(LastCpuSeconds), LastGc, Figures.Mb(heapPeak), Figures.Mb(workingSet), target,
                });
                Console.WriteLine($"  {size:N0} docs: {Figures.Seconds(seconds)}");
                export = null;
                result = null;
                GC.Collect();
            }
            Console.WriteLine();
            Figures.Table(rows);
            Console.WriteLine("managed heap peak: GC.GetTotalMemory sampled every 20 ms during FindAll, minus the heap holding the input docs before it;");
            Console.WriteLine("process peak working set: Process.PeakWorkingSet64 after FindAll, the whole process (generated docs included; sizes run in one process share it, so run the largest size alone for its own figure).");
            Console.WriteLine("planted pairs found: share of (seed, paraphrase) pairs the generator planted that FindAll returns in one cluster.");
            Console.WriteLine();

            GeneratorCheck();
            if (!options.Flag("skip-recall")) Recall(recallSize);
            if (!options.Flag("skip-speedup")) SpeedUp(speedupSize);
            return 0;
        }

        private static IReadOnlyList<MemoryCluster> Measure(GeneratedExport export, ClusterOptions options, out double seconds, out long heapPeak, out long workingSet)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long baseline = GC.GetTotalMemory(true);
            long peak = baseline;
            using var done = new ManualResetEventSlim();
            var sampler = new Thread(() =>
            {
                while (!done.Wait(20))
                {
                    long now = GC.GetTotalMemory(false);
                    if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                }
            }) { IsBackground = true };
            sampler.Start();
            var clock = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var pauseBefore = GC.GetTotalPauseDuration();
            int gen2Before = GC.CollectionCount(2), gen0Before = GC.CollectionCount(0);
            var result = MemoryClusterer.FindAll(export.Docs, options, Verbose ? new ConsoleSink() : null);
            clock.Stop();
            LastCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            LastGc = $"{GC.CollectionCount(0) - gen0Before} gen0 / {GC.CollectionCount(2) - gen2Before} gen2, {Figures.Seconds((GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds)} paused";
            done.Set();
            sampler.Join();
            seconds = clock.Elapsed.TotalSeconds;
            heapPeak = Math.Max(0, Math.Max(peak, GC.GetTotalMemory(false)) - baseline);
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            workingSet = process.PeakWorkingSet64;
            return result;
        }

        private static double CpuSeconds()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime.TotalSeconds;
        }

        internal static string LoadAverage()
        {
            try { return System.IO.File.ReadAllText("/proc/loadavg").Trim(); }
            catch (Exception) { return "n/a"; }
        }

        private sealed class ConsoleSink : SkillForge.Diagnostics.IOperationSink
        {
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private string _status = "";
            public void Verbose(string message) => Console.WriteLine($"    [{_clock.Elapsed.TotalSeconds,7:N2} s] {message}");
            public void Warning(string message) => Console.WriteLine($"    [{_clock.Elapsed.TotalSeconds,7:N2} s] WARNING {message}");
            public void Progress(SkillForge.Diagnostics.OperationProgress progress)
            {
                if (progress.Status == _status) return;
                _status = progress.Status;
                Console.WriteLine($"    [{_clock.Elapsed.TotalSeconds,7:N2} s] {progress.Status} {progress.Done}/{progress.Total}");
            }
        }

        private static HashSet<(string, string)> Pairs(IEnumerable<MemoryCluster> clusters)
        {
            var pairs = new HashSet<(string, string)>();
            foreach (var c in clusters)
                for (int i = 1; i < c.Documents.Length; i++) pairs.Add((c.SourceId, c.Documents[i].Id));
            return pairs;
        }

        private static double PlantedRecall(GeneratedExport export, IReadOnlyList<MemoryCluster> result)
        {
            var found = Pairs(result);
            int total = 0, hit = 0;
            foreach (var p in export.Clusters)
                foreach (var m in p.MemberIds)
                {
                    total++;
                    if (found.Contains((p.SeedId, m))) hit++;
                }
            return total == 0 ? 1 : (double)hit / total;
        }

        /// <summary>What the generated data looks like to the similarity: planted members against their seed, and
        /// different facts written from the same templates.</summary>
        private static void GeneratorCheck()
        {
            var export = MemoryExportGenerator.Generate(20_000);
            var byId = export.Docs.ToDictionary(d => d.Id, StringComparer.Ordinal);
            var planted = export.Clusters.SelectMany(c => c.MemberIds.Select(m => LexicalSimilarity.Jaccard(byId[c.SeedId].Text, byId[m].Text))).OrderBy(x => x).ToArray();
            var sameTemplate = MemoryExportGenerator.SameTemplatePairs(5_000).Select(p => LexicalSimilarity.Jaccard(p.A, p.B)).OrderBy(x => x).ToArray();
            double Q(double[] v, double q) => v[Math.Min(v.Length - 1, (int)(q * v.Length))];
            var rows = new List<string[]>
            {
                new[] { "pairs (lexical Jaccard)", "count", "min", "median", "95th pct", "max", "share ≥ 0.5", "share ≥ 0.6" },
                new[] { "planted paraphrase vs its seed", planted.Length.ToString("N0"), Figures.F(planted[0]), Figures.F(Q(planted, 0.5)), Figures.F(Q(planted, 0.95)), Figures.F(planted[planted.Length - 1]), Figures.F(planted.Count(x => x >= 0.5) / (double)planted.Length, "P1"), Figures.F(planted.Count(x => x >= 0.6) / (double)planted.Length, "P1") },
                new[] { "different facts, same templates", sameTemplate.Length.ToString("N0"), Figures.F(sameTemplate[0]), Figures.F(Q(sameTemplate, 0.5)), Figures.F(Q(sameTemplate, 0.95)), Figures.F(sameTemplate[sameTemplate.Length - 1]), Figures.F(sameTemplate.Count(x => x >= 0.5) / (double)sameTemplate.Length, "P1"), Figures.F(sameTemplate.Count(x => x >= 0.6) / (double)sameTemplate.Length, "P1") },
            };
            Console.WriteLine("Generated data (20,000-doc export; 5,000 same-template pairs):");
            Figures.Table(rows);
            Console.WriteLine();
        }

        private static void Recall(int size)
        {
            var export = MemoryExportGenerator.Generate(size);
            var rows = new List<string[]> { new[] { "threshold", "docs", "exact pairs", "index pairs", "exact pairs found by index (recall)", "index pairs not in exact", "target" } };
            foreach (var threshold in new[] { 0.6, 0.75, 0.85, 0.9 })
            {
                var exact = Pairs(MemoryClusterer.FindAll(export.Docs, new ClusterOptions { Method = SimilarityMethod.Lexical, Exact = true, SimilarityThreshold = threshold }));
                var index = Pairs(MemoryClusterer.FindAll(export.Docs, new ClusterOptions { Method = SimilarityMethod.Lexical, SimilarityThreshold = threshold }));
                int found = exact.Count(index.Contains);
                double recall = exact.Count == 0 ? 1 : (double)found / exact.Count;
                rows.Add(new[] { Figures.F(threshold, "N2"), size.ToString("N0"), exact.Count.ToString("N0"), index.Count.ToString("N0"), Figures.F(recall, "N4"), index.Count(p => !exact.Contains(p)).ToString("N0"), threshold == 0.6 ? "≥ 0.99" : "" });
            }
            Console.WriteLine("Recall of the index against -Exact (pairs: source–member pairs of the exact clusters that the index's clusters also hold):");
            Figures.Table(rows);
            Console.WriteLine("Every index member is verified with the exact Jaccard, so an index pair missing from the exact result can only come from a different greedy order after a missed candidate, never from a false member.");
            Console.WriteLine();
        }

        private static void SpeedUp(int size)
        {
            var export = MemoryExportGenerator.Generate(size);
            MemoryClusterer.FindAll(export.Docs.Take(2000).ToList(), new ClusterOptions { Method = SimilarityMethod.Lexical }); // warm-up (JIT)
            var clock = Stopwatch.StartNew();
            var cpu = CpuSeconds();
            var index = MemoryClusterer.FindAll(export.Docs, new ClusterOptions { Method = SimilarityMethod.Lexical });
            double indexSeconds = clock.Elapsed.TotalSeconds, indexCpu = CpuSeconds() - cpu;
            clock.Restart();
            cpu = CpuSeconds();
            var exact = MemoryClusterer.FindAll(export.Docs, new ClusterOptions { Method = SimilarityMethod.Lexical, Exact = true });
            double exactSeconds = clock.Elapsed.TotalSeconds, exactCpu = CpuSeconds() - cpu;
            var rows = new List<string[]>
            {
                new[] { "docs", "FindAll (index): wall / CPU", "FindAll -Exact (all pairs, measured in full): wall / CPU", "speed-up (wall)", "speed-up (CPU)", "target" },
                new[] { size.ToString("N0"), Figures.Seconds(indexSeconds) + " / " + Figures.Seconds(indexCpu), Figures.Seconds(exactSeconds) + " / " + Figures.Seconds(exactCpu),
                    Figures.F(exactSeconds / indexSeconds, "N1") + "×", Figures.F(exactCpu / indexCpu, "N1") + "×", "≥ 50×" },
            };
            Console.WriteLine("Speed-up over -Exact (same process, same docs, both using every core; -Exact compares each seed with every unassigned doc of its scope):");
            Figures.Table(rows);
            Console.WriteLine($"clusters: index {index.Count:N0}, exact {exact.Count:N0}");
            Console.WriteLine();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SkillForge.Clustering;
using SkillForge.Crystallization;
using SkillForge.Distillation;
using SkillForge.Prompts;
using SkillForge.Skills;

namespace SkillForge.Benchmarks
{
    /// <summary>
    /// Whether crystallization stays linear in clusters: Invoke-SkillCrystallization's engine (offline distiller) over
    /// n and 2n clusters, and the same clusters through the manual pipeline (prompt, distill, Plan/Commit, no ledger).
    /// Linear means time(2n)/time(n) near 2 and crystallize/manual near 1, whatever n.
    /// </summary>
    public sealed class CrystallizeSuite : IBenchmarkSuite
    {
        public string Name => "crystallize";

        public string Description => "Crystallization engine vs manual pipeline at n and 2n clusters (ledger cost per skill)  [--clusters 1500]";

        public int Run(string[] args)
        {
            int n = new BenchArgs(args).Int("clusters", 1500);
            var work = Path.Combine(Path.GetTempPath(), "skillforge-crystallize-" + Guid.NewGuid().ToString("N"));
            try
            {
                var engine1 = Engine(Clusters(n), Path.Combine(work, "e1"));
                var engine2 = Engine(Clusters(2 * n), Path.Combine(work, "e2"));
                var manual2 = Manual(Clusters(2 * n), Path.Combine(work, "m2"));
                Console.WriteLine($"crystallize: {n} clusters {engine1.TotalSeconds:F2} s, {2 * n} clusters {engine2.TotalSeconds:F2} s; manual pipeline {2 * n} clusters {manual2.TotalSeconds:F2} s");
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "time({0})/time({1}) = {2:F2} (linear: about 2)", 2 * n, n, engine2.TotalSeconds / engine1.TotalSeconds));
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "crystallize/manual at {0} clusters = {1:F2} (the ledger's cost; about 1)", 2 * n, engine2.TotalSeconds / manual2.TotalSeconds));
                return 0;
            }
            finally
            {
                try { Directory.Delete(work, true); } catch (IOException) { }
            }
        }

        private static TimeSpan Engine(List<MemoryCluster> clusters, string skills)
        {
            var clock = Stopwatch.StartNew();
            var crystallizer = new SkillCrystallizer(skills);
            int written = crystallizer.Distill(clusters, new OfflineDistiller(), 2, OfflineDistiller.ModelName).Count(i => i.Skill != null);
            if (written != clusters.Count) throw new InvalidOperationException($"{written} of {clusters.Count} skills written");
            return clock.Elapsed;
        }

        private static TimeSpan Manual(List<MemoryCluster> clusters, string skills)
        {
            var clock = Stopwatch.StartNew();
            var library = new SkillLibrary(skills);
            var distiller = new OfflineDistiller();
            foreach (var cluster in clusters)
            {
                var result = distiller.Distill(DistillPromptBuilder.ForCluster(cluster));
                library.Commit(library.Plan(new SkillWriteRequest { Content = result.Text, SourceIds = cluster.DocumentIds.ToArray(), Fingerprint = cluster.Fingerprint }));
            }
            return clock.Elapsed;
        }

        /// <summary>n clusters of three near-duplicate docs, each topic in made-up words of its own (so each skill gets its own name).</summary>
        private static List<MemoryCluster> Clusters(int n)
        {
            var random = new Random(20261202);
            const string letters = "bcdfghjklmnpqrstvwxz";
            string Word() => new string(Enumerable.Range(0, 7).Select(_ => letters[random.Next(letters.Length)]).ToArray());
            return Enumerable.Range(1, n).Select(i =>
            {
                var words = string.Join(" ", Enumerable.Range(0, 15).Select(_ => Word()));
                var docs = Enumerable.Range(1, 3).Select(j => new MemoryDoc
                {
                    Id = $"t{i}-d{j}",
                    Text = $"Always {words} note{j}.",
                    Scope = "ops",
                    Tier = "Core",
                }).ToArray();
                return new MemoryCluster { Fingerprint = ClusterFingerprint.Compute(docs.Select(d => d.Id)), SourceId = docs[0].Id, Scope = "ops", Documents = docs };
            }).ToList();
        }
    }
}

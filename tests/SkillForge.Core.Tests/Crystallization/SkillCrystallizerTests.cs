using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Clustering;
using SkillForge.Crystallization;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Import;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Crystallization
{
    /// <summary>A fact skipped (not failed) while examples/&lt;file&gt; is not in the repository.</summary>
    public sealed class ExampleFileFactAttribute : FactAttribute
    {
        public ExampleFileFactAttribute(string file)
        {
            if (!File.Exists(Path.Combine(TestPaths.Examples, file))) Skip = $"examples/{file} is not in this checkout";
        }
    }

    public class SkillCrystallizerTests
    {
        /// <summary>Three groups of near-duplicate Core memories (one per scope topic) and unrelated singles.</summary>
        internal static string MemoriesJsonl()
        {
            var records = new List<object>();
            void Add(string id, string text, int access, string scope = "proj-shop", string tier = "Core", string[]? tags = null) =>
                records.Add(new { id, text, tier, scope, tags = tags ?? Array.Empty<string>(), kind = "procedure", access_count = access });

            Add("m-101", "Run the database migrations before deploying the API service. Apply them to staging first with dotnet ef database update.", 30);
            Add("m-102", "Run the database migrations before deploying the API service. Apply them to staging first using dotnet ef database update.", 12);
            Add("m-103", "Always run the database migrations before deploying the API service. Apply them to staging first with dotnet ef database update.", 4);
            Add("m-104", "Run the database migrations before deploying the API service! Apply them to staging first with dotnet ef database update.", 2);

            Add("m-201", "When the payment webhook returns 409, fetch the order again and retry the capture once. Never retry more than once: the provider charges twice.", 25);
            Add("m-202", "When the payment webhook returns 409, fetch the order again and retry the capture once. Do not retry more than once: the provider charges twice.", 9);
            Add("m-203", "If the payment webhook returns 409, fetch the order again and retry the capture once. Never retry more than once: the provider charges twice.", 6);

            Add("m-301", "Clear the CDN cache for the product images after every catalogue import. Purge by surrogate key product-images, not the whole zone.", 14, scope: "proj-catalogue");
            Add("m-302", "Clear the CDN cache for the product images after every catalogue import. Purge by surrogate key product-images, never the whole zone.", 8, scope: "proj-catalogue");
            Add("m-303", "Clear the CDN cache for product images after every catalogue import. Purge by the surrogate key product-images, not the whole zone.", 3, scope: "proj-catalogue");

            Add("m-401", "The staging database password rotates every 30 days.", 40);
            Add("m-402", "Use tabs for indentation in the Makefile.", 5);
            Add("m-403", "Run the database migrations before deploying the API service. Apply them to staging first with dotnet ef database update.", 99, tier: "Working");
            var sb = new StringBuilder();
            foreach (var r in records) sb.Append(JsonSerializer.Serialize(r)).Append('\n');
            return sb.ToString();
        }

        private static List<MemoryDoc> Read(string path) =>
            MemoryExportReader.Read(path).Select(o => o.Value ?? throw new InvalidOperationException(o.Error!.Message)).ToList();

        private static (List<CrystallizationItem> Items, SkillCrystallizer Crystallizer) Run(string skills, List<MemoryDoc> docs, IDistiller? distiller = null)
        {
            var crystallizer = new SkillCrystallizer(skills);
            var clusters = crystallizer.FindClusters(docs, new ClusterOptions());
            var items = crystallizer.Distill(clusters, distiller ?? new OfflineDistiller(), 2, "offline").ToList();
            return (items, crystallizer);
        }

        [Fact]
        public void A_rerun_after_losing_the_ledger_counts_no_skill_as_written()
        {
            using var temp = new TempDir();
            var export = temp.Write("memories.jsonl", MemoriesJsonl());
            var skills = Path.Combine(temp.Path, "skills");
            var (_, first) = Run(skills, Read(export));
            Assert.Equal(3, first.Summary.SkillsWritten);
            File.Delete(CrystallizationLedger.DefaultPath(skills));

            var (again, second) = Run(skills, Read(export));

            Assert.Equal(3, again.Count);
            Assert.All(again, i => Assert.Equal(SkillWriteStatus.Skipped, i.Skill!.Status));
            Assert.Equal(0, second.Summary.SkillsWritten);
            Assert.Equal(0, second.Summary.SkillTokens);
            Assert.Equal(0, second.Summary.CompressionRatio);
            Assert.Equal(3, CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(skills)).Entries.Count);
        }

        [Fact]
        public void First_run_writes_valid_skills_and_the_ledger_and_a_rerun_distills_nothing()
        {
            using var temp = new TempDir();
            var export = temp.Write("memories.jsonl", MemoriesJsonl());
            var skills = Path.Combine(temp.Path, "skills");
            var docs = Read(export);

            var (items, first) = Run(skills, docs);
            Assert.All(items, i => Assert.Null(i.Error));
            Assert.Equal(3, items.Count);
            Assert.Equal(3, first.Summary.SkillsWritten);
            Assert.Equal(3, first.Summary.Clusters);
            Assert.Equal(docs.Count, first.Summary.Documents);
            Assert.Equal(0, first.Summary.Failed);
            Assert.True(first.Summary.SourceTokens > 0 && first.Summary.SkillTokens > 0);
            Assert.Equal(Math.Round((double)first.Summary.SourceTokens / first.Summary.SkillTokens, 2), first.Summary.CompressionRatio);

            foreach (var item in items)
            {
                var file = item.Skill!;
                Assert.True(File.Exists(file.Path));
                var check = SkillMarkdownValidator.ValidatePath(file.Path);
                Assert.True(check.IsValid, string.Join("; ", check.Diagnostics.Select(d => d.ToString())));
                Assert.Equal(item.Cluster.DocumentIds.OrderBy(x => x), file.SourceIds.OrderBy(x => x));
                Assert.Equal(item.Cluster.Fingerprint, file.Fingerprint);
                Assert.Contains("skillforge-fingerprint: " + item.Cluster.Fingerprint, File.ReadAllText(file.Path));
            }
            Assert.DoesNotContain(items, i => i.Cluster.DocumentIds.Contains("m-403")); // Working tier is not clustered

            var ledger = CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(skills));
            Assert.Equal(3, ledger.Entries.Count);
            foreach (var entry in ledger.Entries)
            {
                Assert.False(Path.IsPathRooted(entry.SkillPath));
                Assert.EndsWith("/SKILL.md", entry.SkillPath);
                Assert.True(File.Exists(Path.Combine(skills, entry.SkillPath)));
                Assert.Equal("offline", entry.Model);
            }
            var before = Directory.GetFiles(skills, "*", SearchOption.AllDirectories).OrderBy(x => x).Select(File.ReadAllText).ToList();

            var (again, second) = Run(skills, Read(export));
            Assert.Empty(again);
            Assert.Equal(0, second.Summary.SkillsWritten);
            Assert.Equal(0, second.Summary.Clusters);
            Assert.Equal(10, second.Summary.AlreadyCrystallized);
            Assert.Equal(before, Directory.GetFiles(skills, "*", SearchOption.AllDirectories).OrderBy(x => x).Select(File.ReadAllText).ToList());
        }

        [Fact]
        public void UpdateExport_copy_tags_the_crystallized_docs_and_clustering_the_copy_finds_nothing()
        {
            using var temp = new TempDir();
            var export = temp.Write("memories.jsonl", MemoriesJsonl());
            var skills = Path.Combine(temp.Path, "skills");
            var (_, crystallizer) = Run(skills, Read(export));

            var copy = temp.File("memories.crystallized.jsonl");
            var result = crystallizer.UpdateExport(export, copy);
            Assert.Equal(10, result.Tagged);
            Assert.Empty(result.NotFound);

            var originalLines = File.ReadAllLines(export);
            var copyLines = File.ReadAllLines(copy);
            Assert.Equal(originalLines.Length, copyLines.Length);
            for (int i = 0; i < originalLines.Length; i++)
            {
                var id = (string)JsonNode.Parse(originalLines[i])!["id"]!;
                var tags = JsonNode.Parse(copyLines[i])!["tags"]!.AsArray().Select(t => (string)t!).ToList();
                if (crystallizer.Ledger.CrystallizedDocIds.Contains(id)) Assert.Contains("crystallized", tags);
                else Assert.Equal(originalLines[i], copyLines[i]);
            }

            // A fresh skills folder (no ledger) still distills nothing from the tagged copy.
            var (items, fresh) = Run(Path.Combine(temp.Path, "other-skills"), Read(copy));
            Assert.Empty(items);
            Assert.Equal(10, fresh.Summary.AlreadyCrystallized);

            Assert.Equal(ErrorIds.ExportUpdateFailed, Assert.Throws<SkillForgeException>(() => crystallizer.UpdateExport(export, export)).ErrorId);
        }

        /// <summary>Answers like the offline distiller, except for clusters around one source doc, whose answer is not a valid SKILL.md.</summary>
        private sealed class OneBadAnswer : IDistiller
        {
            private readonly string _badSource;
            public OneBadAnswer(string badSource) => _badSource = badSource;

            public Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken)
            {
                var result = new OfflineDistiller().Distill(prompt);
                if (prompt.Cluster?.SourceId == _badSource) result.Text = "---\nname: Not_Valid\n---\nbody\n";
                return Task.FromResult(result);
            }
        }

        [Fact]
        public void A_failing_cluster_is_reported_and_the_others_are_still_written()
        {
            using var temp = new TempDir();
            var export = temp.Write("memories.jsonl", MemoriesJsonl());
            var skills = Path.Combine(temp.Path, "skills");
            var (items, crystallizer) = Run(skills, Read(export), new OneBadAnswer("m-201"));

            Assert.Equal(3, items.Count);
            var failed = Assert.Single(items, i => i.Error != null);
            Assert.Equal("m-201", failed.Cluster.SourceId);
            Assert.StartsWith("SkillForge.Skill.", failed.Error!.ErrorId);
            Assert.Equal(2, crystallizer.Summary.SkillsWritten);
            Assert.Equal(1, crystallizer.Summary.Failed);
            var ledger = CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(skills));
            Assert.Equal(2, ledger.Entries.Count);
            Assert.DoesNotContain("m-201", ledger.CrystallizedDocIds);

            // The failed cluster is still pending: a good run picks it up, and only it.
            var (retry, _) = Run(skills, Read(export));
            Assert.Equal("m-201", Assert.Single(retry).Cluster.SourceId);
        }

        [Fact]
        public void An_interrupted_run_keeps_every_skill_it_already_wrote_in_the_ledger()
        {
            using var temp = new TempDir();
            var export = temp.Write("memories.jsonl", MemoriesJsonl());
            var skills = Path.Combine(temp.Path, "skills");
            var crystallizer = new SkillCrystallizer(skills);
            var clusters = crystallizer.FindClusters(Read(export), new ClusterOptions());
            using (var e = crystallizer.Distill(clusters, new OfflineDistiller(), 1, "offline").GetEnumerator())
            {
                Assert.True(e.MoveNext());
                Assert.NotNull(e.Current.Skill);
            } // stop here, as Ctrl+C would

            var ledger = CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(skills));
            var entry = Assert.Single(ledger.Entries);
            Assert.True(File.Exists(Path.Combine(skills, entry.SkillPath)));
            Assert.Empty(Directory.GetFiles(skills, "*.tmp", SearchOption.AllDirectories));
            var (rest, _) = Run(skills, Read(export));
            Assert.Equal(2, rest.Count(i => i.Skill != null));
        }

        [Fact]
        public void A_corrupt_ledger_stops_the_run_before_anything_is_distilled()
        {
            using var temp = new TempDir();
            var skills = Path.Combine(temp.Path, "skills");
            temp.Write("skills/.skillforge/ledger.json", "{\"version\":1,\"entries\":[");
            var e = Assert.Throws<SkillForgeException>(() => new SkillCrystallizer(skills));
            Assert.Equal(ErrorIds.LedgerInvalid, e.ErrorId);
            Assert.Equal(new[] { "ledger.json" }, Directory.GetFiles(Path.Combine(skills, ".skillforge")).Select(Path.GetFileName));
        }

        [ExampleFileFact("memories.jsonl")]
        public void Bundled_example_export_crystallizes_once()
        {
            using var temp = new TempDir();
            var skills = Path.Combine(temp.Path, "skills");
            var docs = Read(Path.Combine(TestPaths.Examples, "memories.jsonl"));
            var (items, first) = Run(skills, docs);
            Assert.All(items, i => Assert.Null(i.Error));
            Assert.True(first.Summary.SkillsWritten > 0, "the example export should hold at least one cluster");
            foreach (var item in items) Assert.True(SkillMarkdownValidator.ValidatePath(item.Skill!.Path).IsValid);
            var (again, second) = Run(skills, Read(Path.Combine(TestPaths.Examples, "memories.jsonl")));
            Assert.Empty(again);
            Assert.Equal(0, second.Summary.SkillsWritten);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Clustering;
using SkillForge.Crystallization;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Crystallization
{
    /// <summary>Crystallization stays durable and linear, and a re-run after a crash pays for nothing twice.</summary>
    public class CrystallizationDurabilityTests
    {
        /// <summary>n clusters of three near-duplicate docs each, on n different topics.</summary>
        private static List<MemoryCluster> Clusters(int n) =>
            Enumerable.Range(1, n).Select(i =>
            {
                var docs = Enumerable.Range(1, 3).Select(j => new MemoryDoc
                {
                    Id = $"t{i}-d{j}",
                    Text = $"For service number {i}, restart worker pool {i} before rotating its key {i}; check queue {i} is empty first (note {j}).",
                    Scope = "ops",
                    Tier = "Core",
                }).ToArray();
                return new MemoryCluster { Fingerprint = ClusterFingerprint.Compute(docs.Select(d => d.Id)), SourceId = docs[0].Id, Scope = "ops", Documents = docs };
            }).ToList();

        /// <summary>A model that answers each prompt differently (a line of its own at the end), counting its calls.</summary>
        private sealed class UniqueDistiller : IDistiller
        {
            private readonly OfflineDistiller _inner = new OfflineDistiller();
            public int Calls;

            public async Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref Calls);
                var result = await _inner.DistillAsync(prompt, cancellationToken).ConfigureAwait(false);
                result.Text += "\nAnswer " + Guid.NewGuid().ToString("N") + ".\n";
                return result;
            }
        }

        [Fact]
        public void A_run_rewrites_ledger_json_once_however_many_skills_it_writes()
        {
            using var temp = new TempDir();
            var crystallizer = new SkillCrystallizer(Path.Combine(temp.Path, "skills"));
            var items = crystallizer.Distill(Clusters(40), new OfflineDistiller(), 2, "offline").ToList();
            Assert.Equal(40, items.Count(i => i.Skill != null));
            Assert.Equal(1, crystallizer.Ledger.Rewrites);
            var ledger = CrystallizationLedger.Load(crystallizer.Ledger.Path);
            Assert.Equal(40, ledger.Entries.Count);
            Assert.False(File.Exists(ledger.JournalPath), "the journal is folded into ledger.json at the end");
        }

        [Fact]
        public void Every_skill_is_in_the_journal_as_soon_as_it_is_written()
        {
            using var temp = new TempDir();
            var skills = Path.Combine(temp.Path, "skills");
            var crystallizer = new SkillCrystallizer(skills);
            using (var e = crystallizer.Distill(Clusters(5), new OfflineDistiller(), 1, "offline").GetEnumerator())
            {
                for (int i = 1; i <= 3; i++)
                {
                    Assert.True(e.MoveNext());
                    // A process killed right now would leave exactly what a fresh load sees.
                    Assert.Equal(i, CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(skills)).Entries.Count);
                }
            }
            Assert.Equal(3, CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(skills)).Entries.Count);
        }

        [Fact]
        public void A_journal_left_by_a_killed_run_is_replayed_and_its_torn_last_line_ignored()
        {
            using var temp = new TempDir();
            var skills = Path.Combine(temp.Path, "skills");
            var path = CrystallizationLedger.DefaultPath(skills);
            var journal = Path.Combine(Path.GetDirectoryName(path)!, CrystallizationLedger.JournalFileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(journal,
                "{\"fingerprint\":\"fp1\",\"docIds\":[\"a\"],\"skillPath\":\"x/SKILL.md\",\"model\":\"m\",\"date\":\"2026-11-21T06:30:00Z\"}\n" +
                "{\"fingerprint\":\"fp2\",\"docIds\":[\"b\"],\"skill");
            var ledger = CrystallizationLedger.Load(path);
            Assert.Equal(new[] { "fp1" }, ledger.Entries.Select(e => e.Fingerprint));
            ledger.Save();
            Assert.False(File.Exists(journal));
            Assert.Equal(new[] { "fp1" }, CrystallizationLedger.Load(path).Entries.Select(e => e.Fingerprint));
        }

        [Fact]
        public void A_rerun_after_a_crash_before_the_ledger_recognises_the_skills_by_fingerprint()
        {
            using var temp = new TempDir();
            var skills = Path.Combine(temp.Path, "skills");
            var clusters = Clusters(4);
            var first = new SkillCrystallizer(skills);
            var model = new UniqueDistiller();
            Assert.Equal(4, first.Distill(clusters, model, 2, "m").Count(i => i.Skill != null));
            // kill -9 after the skills were written, before they were recorded; and a temporary ledger left behind.
            var state = Path.Combine(skills, CrystallizationLedger.StateFolderName);
            File.Delete(CrystallizationLedger.DefaultPath(skills));
            var leftover = Path.Combine(state, ".ledger.json." + Guid.NewGuid().ToString("N") + ".tmp");
            File.WriteAllText(leftover, "{");

            var again = new SkillCrystallizer(skills);
            var items = again.Distill(clusters, model, 2, "m").ToList();
            Assert.Equal(4, model.Calls);
            Assert.All(items, i => Assert.Equal(SkillWriteStatus.Skipped, i.Skill!.Status));
            Assert.Equal(4, Directory.GetDirectories(skills).Count(d => !Path.GetFileName(d).StartsWith(".", StringComparison.Ordinal)));
            Assert.Equal(4, CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(skills)).Entries.Count);
            Assert.Equal(0, again.Summary.SkillsWritten);
            Assert.False(File.Exists(leftover));
        }

        [Fact]
        public void A_state_folder_that_is_a_link_is_refused()
        {
            using var temp = new TempDir();
            var skills = Directory.CreateDirectory(Path.Combine(temp.Path, "skills")).FullName;
            var outside = Directory.CreateDirectory(Path.Combine(temp.Path, "outside")).FullName;
            try
            {
                Directory.CreateSymbolicLink(Path.Combine(skills, CrystallizationLedger.StateFolderName), outside);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException || ex is PlatformNotSupportedException)
            {
                return; // this machine cannot make links
            }
            var e = Assert.Throws<SkillForgeException>(() => new SkillCrystallizer(skills));
            Assert.Equal(ErrorIds.SkillOutsideRoot, e.ErrorId);
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        }
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using SkillForge.Crystallization;
using SkillForge.Diagnostics;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Crystallization
{
    public class CrystallizationLedgerTests
    {
        private static LedgerEntry Entry(string fp, params string[] ids) => new LedgerEntry
        {
            Fingerprint = fp,
            DocIds = ids,
            SkillPath = fp + "/SKILL.md",
            Model = "offline",
            Date = new DateTimeOffset(2026, 11, 21, 6, 30, 0, TimeSpan.Zero),
        };

        [Fact]
        public void Missing_file_is_an_empty_ledger_and_default_path_is_under_dot_skillforge()
        {
            using var temp = new TempDir();
            var path = CrystallizationLedger.DefaultPath(temp.Path);
            Assert.Equal(Path.Combine(temp.Path, ".skillforge", "ledger.json"), path);
            var ledger = CrystallizationLedger.Load(path);
            Assert.Empty(ledger.Entries);
            Assert.Empty(ledger.CrystallizedDocIds);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void Round_trips_entries_in_the_documented_format()
        {
            using var temp = new TempDir();
            var path = CrystallizationLedger.DefaultPath(temp.Path);
            var ledger = CrystallizationLedger.Load(path);
            ledger.Add(Entry("fp1", "m-1", "m-2"));
            ledger.Add(Entry("fp2", "m-3"));
            ledger.Add(Entry("fp1", "m-1", "m-2")); // same fingerprint: recorded once
            ledger.Save();

            using (var doc = JsonDocument.Parse(File.ReadAllText(path)))
            {
                Assert.Equal(1, doc.RootElement.GetProperty("version").GetInt32());
                var first = doc.RootElement.GetProperty("entries")[0];
                Assert.Equal("fp1", first.GetProperty("fingerprint").GetString());
                Assert.Equal(new[] { "m-1", "m-2" }, first.GetProperty("docIds").EnumerateArray().Select(e => e.GetString()));
                Assert.Equal("fp1/SKILL.md", first.GetProperty("skillPath").GetString());
                Assert.Equal("offline", first.GetProperty("model").GetString());
                Assert.Equal("2026-11-21T06:30:00Z", first.GetProperty("date").GetString());
            }

            var again = CrystallizationLedger.Load(path);
            Assert.Equal(2, again.Entries.Count);
            Assert.True(again.Contains("fp2"));
            Assert.False(again.Contains("fp3"));
            Assert.True(again.CrystallizedDocIds.SetEquals(new[] { "m-1", "m-2", "m-3" }));
            Assert.True(again.ContainsAnyDoc(new[] { "x", "m-3" }));
            Assert.Equal(new DateTimeOffset(2026, 11, 21, 6, 30, 0, TimeSpan.Zero), again.Entries[0].Date);
        }

        [Theory]
        [InlineData("{ not json")]
        [InlineData("[]")]
        [InlineData("{\"entries\":[]}")]
        [InlineData("{\"version\":2,\"entries\":[]}")]
        [InlineData("{\"version\":1}")]
        [InlineData("{\"version\":1,\"entries\":[{\"docIds\":[]}]}")]
        [InlineData("{\"version\":1,\"entries\":[{\"fingerprint\":\"x\",\"docIds\":[1]}]}")]
        [InlineData("{\"version\":1,\"entries\":[{\"fingerprint\":\"x\",\"docIds\":[],\"date\":\"yesterday\"}]}")]
        public void A_corrupt_ledger_is_LedgerInvalid_saying_to_move_it_aside(string content)
        {
            using var temp = new TempDir();
            var path = temp.Write(".skillforge/ledger.json", content);
            var e = Assert.Throws<SkillForgeException>(() => CrystallizationLedger.Load(path));
            Assert.Equal(ErrorIds.LedgerInvalid, e.ErrorId);
            Assert.Equal(FailureCategory.InvalidData, e.Category);
            Assert.Contains("Move the file aside", e.Message);
            Assert.Contains(path, e.Message);
            Assert.Equal(content, File.ReadAllText(path)); // never touched
        }

        [Fact]
        public void Binary_garbage_is_LedgerInvalid()
        {
            using var temp = new TempDir();
            var path = temp.File("ledger.json");
            File.WriteAllBytes(path, new byte[] { 0xff, 0xfe, 0x00, 0x7b, 0x80 });
            Assert.Equal(ErrorIds.LedgerInvalid, Assert.Throws<SkillForgeException>(() => CrystallizationLedger.Load(path)).ErrorId);
        }

        [Fact]
        public void Save_is_atomic_and_leaves_no_temporary_files()
        {
            using var temp = new TempDir();
            var path = CrystallizationLedger.DefaultPath(temp.Path);
            var ledger = CrystallizationLedger.Load(path);
            for (int i = 0; i < 20; i++)
            {
                ledger.Add(Entry("fp" + i, "m-" + i));
                ledger.Save();
                // Every intermediate state on disk is a complete, loadable ledger.
                Assert.Equal(i + 1, CrystallizationLedger.Load(path).Entries.Count);
            }
            Assert.Equal(new[] { "ledger.json" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }

        [Fact]
        public void Save_keeps_entries_another_run_saved_meanwhile()
        {
            using var temp = new TempDir();
            var path = CrystallizationLedger.DefaultPath(temp.Path);
            var first = CrystallizationLedger.Load(path);
            var second = CrystallizationLedger.Load(path);
            first.Add(Entry("from-first", "a"));
            first.Save();
            second.Add(Entry("from-second", "b"));
            second.Save();
            var merged = CrystallizationLedger.Load(path);
            Assert.True(merged.Contains("from-first"));
            Assert.True(merged.Contains("from-second"));
        }
    }
}

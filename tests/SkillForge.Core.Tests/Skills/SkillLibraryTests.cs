using System;
using System.IO;
using System.Linq;
using SkillForge.Diagnostics;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Skills
{
    public class SkillLibraryTests
    {
        private static readonly DateTimeOffset Date = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));

        private static string Skill(string name, string extra = "", string body = "\n# Body\n\nDo it.\n") =>
            $"---\nname: {name}\ndescription: Does things. Use when needed.\n{extra}---\n{body}";

        private static SkillFile Export(SkillLibrary library, string content, bool force = false) =>
            library.Commit(library.Plan(new SkillWriteRequest { Content = content, Date = Date, Force = force }));

        private static void AssertNoTempFiles(string root) =>
            Assert.Empty(Directory.EnumerateFileSystemEntries(root, "*.tmp", SearchOption.AllDirectories));

        [Fact]
        public void Writes_slug_folder_with_provenance()
        {
            using var temp = new TempDir();
            var root = Path.Combine(temp.Path, "skills", "nested");
            var library = new SkillLibrary(root);
            var file = library.Commit(library.Plan(new SkillWriteRequest
            {
                Content = Skill("web-search"),
                SourceIds = new[] { "m1", "m2", "m3" },
                Fingerprint = "abc123",
                Model = "gpt-4.1-mini",
                Date = Date,
            }));
            Assert.Equal(Path.Combine(root, "web-search", "SKILL.md"), file.Path);
            Assert.Equal(SkillWriteStatus.Written, file.Status);
            Assert.Equal(new[] { "m1", "m2", "m3" }, file.SourceIds);
            Assert.Equal("abc123", file.Fingerprint);
            Assert.Equal("gpt-4.1-mini", file.Model);
            var text = File.ReadAllText(file.Path);
            Assert.Contains("  skillforge-source-ids: m1,m2,m3\n", text);
            Assert.Contains("  skillforge-created: 2026-03-04T03:06:07Z\n", text);
            Assert.EndsWith("---\n\n# Body\n\nDo it.\n", text);
            Assert.True(SkillMarkdownValidator.ValidatePath(file.Path).IsValid);
            AssertNoTempFiles(root);
        }

        [Fact]
        public void Invalid_skill_is_rejected_and_nothing_written()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var e = Assert.Throws<SkillForgeException>(() => library.Plan(new SkillWriteRequest { Content = "---\nname: web\n---\nbody" }));
            Assert.Equal(ErrorIds.SkillInvalid, e.ErrorId);
            Assert.Contains("SF3001", e.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
            var noFrontmatter = Assert.Throws<SkillForgeException>(() => library.Plan(new SkillWriteRequest { Content = "just text" }));
            Assert.Equal(ErrorIds.SkillInvalid, noFrontmatter.ErrorId);
        }

        [Theory]
        [InlineData("../x")]
        [InlineData("../../etc")]
        [InlineData("'..\\x'")]
        [InlineData("My_Skill")]
        [InlineData("''")]
        [InlineData("/etc/passwd")]
        [InlineData("web--x")]
        [InlineData("con")]
        public void Invalid_names_are_rejected_not_renamed(string name)
        {
            using var temp = new TempDir();
            var root = Path.Combine(temp.Path, "skills");
            var library = new SkillLibrary(root);
            var e = Assert.Throws<SkillForgeException>(() => library.Plan(new SkillWriteRequest { Content = Skill(name) }));
            Assert.Equal(ErrorIds.SkillInvalidName, e.ErrorId);
            Assert.False(Directory.Exists(root));
        }

        [Fact]
        public void Collisions_get_suffixes_and_the_name_follows_the_folder()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var first = Export(library, Skill("web-search", body: "\none\n"));
            var second = Export(library, Skill("web-search", body: "\ntwo\n"));
            Assert.Equal("web-search", first.Name);
            Assert.Equal("web-search-2", second.Name);
            var result = SkillMarkdownValidator.ValidatePath(Path.GetDirectoryName(second.Path)!);
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.ToString())));
            Assert.Equal("web-search-2", result.Name);
        }

        [Fact]
        public void Hundred_collisions_write_99_and_fail_the_100th()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var longName = new string('a', 40) + "-" + new string('b', 23);
            for (int i = 1; i <= 99; i++)
            {
                var file = Export(library, Skill(longName, body: $"\nversion {i}\n"));
                Assert.True(file.Name.Length <= 64);
                Assert.True(SkillMarkdownValidator.ValidatePath(file.Path).IsValid);
            }
            Assert.Equal(99, Directory.EnumerateDirectories(temp.Path).Count());
            var e = Assert.Throws<SkillForgeException>(() => library.Plan(new SkillWriteRequest { Content = Skill(longName, body: "\nversion 100\n") }));
            Assert.Equal(ErrorIds.SkillTooManyCollisions, e.ErrorId);
            Assert.Equal(99, Directory.EnumerateDirectories(temp.Path).Count());
            AssertNoTempFiles(temp.Path);
        }

        [Fact]
        public void Re_running_an_export_skips_what_is_already_there()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var ids = new[] { "m1", "m2" };
            // Without a fingerprint the text and provenance decide (a fingerprint decides alone: see below).
            SkillFile Run(string body, DateTimeOffset date) =>
                library.Commit(library.Plan(new SkillWriteRequest { Content = Skill("web", body: body), SourceIds = ids, Date = date }));
            var first = Run("\nsame\n", Date);
            var other = Run("\nother\n", Date);
            var before = File.ReadAllBytes(first.Path);
            var again = Run("\nsame\n", Date.AddDays(1));
            var otherAgain = Run("\nother\n", Date.AddDays(2));
            Assert.Equal(SkillWriteStatus.Written, first.Status);
            Assert.Equal("web-2", other.Name);
            Assert.Equal(SkillWriteStatus.Skipped, again.Status);
            Assert.Equal(first.Path, again.Path);
            Assert.Equal(new[] { "m1", "m2" }, again.SourceIds);
            Assert.Equal(SkillWriteStatus.Skipped, otherAgain.Status);
            Assert.Equal("web-2", otherAgain.Name);
            Assert.Equal(before, File.ReadAllBytes(first.Path));
            Assert.Equal(2, Directory.EnumerateDirectories(temp.Path).Count());
            // Different provenance is a different record: written beside it.
            Assert.Equal("web-3", Run("\nsame\nname: body line\n", Date).Name);
            var moved = library.Commit(library.Plan(new SkillWriteRequest { Content = Skill("web", body: "\nsame\n"), SourceIds = new[] { "m3" }, Date = Date }));
            Assert.Equal("web-4", moved.Name);
        }

        [Fact]
        public void The_same_fingerprint_and_name_is_the_same_skill_whatever_its_text()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            SkillFile Run(string body, string[] ids, string fingerprint = "c88d43d0e600aa", bool force = false) =>
                library.Commit(library.Plan(new SkillWriteRequest { Content = Skill("web", body: body), SourceIds = ids, Fingerprint = fingerprint, Date = Date, Force = force }));
            var first = Run("\none\n", new[] { "m1", "m2" });
            var before = File.ReadAllBytes(first.Path);
            // Source ids in another order, another text, the fingerprint in upper case: still the same skill.
            var again = Run("\ntwo\n", new[] { "m2", "m1" }, "C88D43D0E600AA");
            Assert.Equal(SkillWriteStatus.Skipped, again.Status);
            Assert.Equal(first.Path, again.Path);
            Assert.Equal(new[] { "m1", "m2" }, again.SourceIds);
            Assert.Equal(before, File.ReadAllBytes(first.Path));
            Assert.Single(Directory.EnumerateDirectories(temp.Path));

            // Another source is another skill, beside it.
            var other = Run("\none\n", new[] { "m1", "m2" }, "0445cb740e89");
            Assert.Equal("web-2", other.Name);
            // -Force replaces the skill of that fingerprint where it is, not the skill named 'web'.
            var replaced = Run("\nthree\n", new[] { "m9" }, "0445cb740e89", force: true);
            Assert.Equal(SkillWriteStatus.Replaced, replaced.Status);
            Assert.Equal(other.Path, replaced.Path);
            Assert.Equal(before, File.ReadAllBytes(first.Path));

            // The lookup itself: every skill carrying a fingerprint, nothing for an unknown or empty one.
            var found = Assert.Single(library.FindByFingerprint("0445CB740E89"));
            Assert.Equal("web-2", found.Name);
            Assert.Equal(new[] { "m9" }, found.SourceIds);
            Assert.Empty(library.FindByFingerprint("ffff"));
            Assert.Empty(library.FindByFingerprint(""));
            Assert.Empty(new SkillLibrary(Path.Combine(temp.Path, "missing")).FindByFingerprint("0445cb740e89"));
        }

        [Fact]
        public void Skills_of_one_trace_prompt_share_its_fingerprint_and_are_told_apart_by_name()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            SkillFile Run(string name) =>
                library.Commit(library.Plan(new SkillWriteRequest { Content = Skill(name), SourceIds = new[] { "trace-1" }, Fingerprint = "trace-fp", Date = Date }));
            Assert.Equal(SkillWriteStatus.Written, Run("use-shell-git").Status);
            Assert.Equal(SkillWriteStatus.Written, Run("avoid-force-push").Status);
            Assert.Equal(SkillWriteStatus.Skipped, Run("avoid-force-push").Status);
            Assert.Equal(2, library.FindByFingerprint("trace-fp").Count);
            Assert.Equal("avoid-force-push", library.FindSkill("trace-fp", "avoid-force-push")!.Name);
            Assert.Null(library.FindSkill("trace-fp", "something-else"));
        }

        [Fact]
        public void Force_replaces_in_place()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var first = Export(library, Skill("web", body: "\nold\n"));
            var replaced = Export(library, Skill("web", body: "\nnew\n"), force: true);
            Assert.Equal(SkillWriteStatus.Replaced, replaced.Status);
            Assert.Equal(first.Path, replaced.Path);
            Assert.EndsWith("---\n\nnew\n", File.ReadAllText(first.Path));
            Assert.Single(Directory.EnumerateDirectories(temp.Path));
            AssertNoTempFiles(temp.Path);
            var fresh = Export(library, Skill("other"), force: true);
            Assert.Equal(SkillWriteStatus.Written, fresh.Status);
        }

        [Fact]
        public void Failed_rename_leaves_the_old_file_untouched_and_no_temp_file()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var first = Export(library, Skill("web", body: "\nold\n"));
            var before = File.ReadAllBytes(first.Path);
            string? seenTemp = null;
            library.BeforeRename = path =>
            {
                seenTemp = path;
                Assert.True(File.Exists(path));
                throw new IOException("simulated power cut");
            };
            var e = Assert.Throws<SkillForgeException>(() => Export(library, Skill("web", body: "\nnew\n"), force: true));
            Assert.Equal(ErrorIds.SkillWriteFailed, e.ErrorId);
            Assert.Equal(before, File.ReadAllBytes(first.Path));
            Assert.NotNull(seenTemp);
            Assert.Equal("SKILL.md", Path.GetFileName(seenTemp));
            Assert.StartsWith(".skillforge-write.", Path.GetFileName(Path.GetDirectoryName(seenTemp)));
            Assert.Equal(temp.Path, Path.GetDirectoryName(Path.GetDirectoryName(seenTemp)));
            Assert.False(File.Exists(seenTemp));
            AssertNoTempFiles(temp.Path);
        }

        [Fact]
        public void Target_that_is_a_directory_fails_cleanly()
        {
            using var temp = new TempDir();
            var blocked = Path.Combine(temp.Path, "web", "SKILL.md");
            Directory.CreateDirectory(blocked);
            File.WriteAllText(Path.Combine(blocked, "keep.txt"), "keep");
            var library = new SkillLibrary(temp.Path);
            var e = Assert.Throws<SkillForgeException>(() => Export(library, Skill("web"), force: true));
            Assert.Equal(ErrorIds.SkillWriteFailed, e.ErrorId);
            Assert.Equal("keep", File.ReadAllText(Path.Combine(blocked, "keep.txt")));
            AssertNoTempFiles(temp.Path);
            // Without -Force the occupied name is skipped.
            Assert.Equal("web-2", Export(library, Skill("web")).Name);
        }

        [Fact]
        public void Never_writes_through_a_symlinked_skill_folder()
        {
            using var temp = new TempDir();
            var outside = Path.Combine(temp.Path, "outside");
            Directory.CreateDirectory(outside);
            var root = Path.Combine(temp.Path, "skills");
            Directory.CreateDirectory(root);
            try
            {
                Directory.CreateSymbolicLink(Path.Combine(root, "web"), outside);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException || ex is PlatformNotSupportedException)
            {
                return; // this machine cannot make links; the check is still exercised on others
            }
            var library = new SkillLibrary(root);
            var e = Assert.Throws<SkillForgeException>(() => Export(library, Skill("web"), force: true));
            Assert.Equal(ErrorIds.SkillOutsideRoot, e.ErrorId);
            var again = Assert.Throws<SkillForgeException>(() => Export(library, Skill("web")));
            Assert.Equal(ErrorIds.SkillOutsideRoot, again.ErrorId);
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        }

        [Fact]
        public void Commit_refuses_a_plan_pointing_outside_the_root()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(Path.Combine(temp.Path, "skills"));
            var plan = library.Plan(new SkillWriteRequest { Content = Skill("web") });
            plan.Directory = Path.Combine(temp.Path, "elsewhere", "web");
            var e = Assert.Throws<SkillForgeException>(() => library.Commit(plan));
            Assert.Equal(ErrorIds.SkillOutsideRoot, e.ErrorId);
            Assert.False(Directory.Exists(Path.Combine(temp.Path, "elsewhere")));
        }

        [Fact]
        public void Rewrite_keeps_other_keys_comments_and_body()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            Export(library, Skill("web"));
            var content = "---\r\n# leading comment\r\nname: web\r\ndescription: >\r\n  Folded text\r\n  here.\r\nlicense: MIT # inline\r\n" +
                          "metadata:\r\n  version: 1.0\r\n  author: \"Me: myself\"\r\n\r\n# trailing comment\r\nallowed-tools: Read\r\n---\r\n\r\n# Body\r\n---\r\nkeep me\r\n";
            var file = library.Commit(library.Plan(new SkillWriteRequest { Content = content, Fingerprint = "fp", Date = Date }));
            var text = File.ReadAllText(file.Path);
            Assert.Equal("web-2", file.Name);
            Assert.Contains("# leading comment\r\nname: web-2\r\ndescription: >\r\n  Folded text\r\n  here.\r\nlicense: MIT # inline\r\n", text);
            Assert.Contains("metadata:\r\n  version: \"1.0\"\r\n  author: 'Me: myself'\r\n  skillforge-fingerprint: fp\r\n", text);
            Assert.Contains("\r\n\r\n# trailing comment\r\nallowed-tools: Read\r\n---\r\n", text);
            Assert.EndsWith("---\r\n\r\n# Body\r\n---\r\nkeep me\r\n", text);
            var check = SkillMarkdownValidator.ValidatePath(file.Path);
            Assert.True(check.IsValid, string.Join("\n", check.Diagnostics.Select(d => d.ToString())));
            Assert.Equal("Folded text here.", check.Description);
        }

        [Fact]
        public void Flow_style_frontmatter_is_rewritten_as_valid_yaml()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            Export(library, Skill("web"));
            var content = "---\n{name: web, description: 'Flow: style', metadata: {version: '2'}, hooks: {pre: [a, b]}}\n---\nBody\n";
            var file = library.Commit(library.Plan(new SkillWriteRequest { Content = content, Model = "m", Date = Date }));
            var check = SkillMarkdownValidator.ValidatePath(file.Path);
            Assert.True(check.IsValid, string.Join("\n", check.Diagnostics.Select(d => d.ToString())) + "\n" + File.ReadAllText(file.Path));
            Assert.Equal("web-2", check.Name);
            Assert.Equal("Flow: style", check.Description);
            var metadata = FrontmatterRewriter.ReadMetadata(SkillMarkdownDocument.Parse(File.ReadAllText(file.Path))).ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal("2", metadata["version"]);
            Assert.Equal("m", metadata["skillforge-model"]);
            Assert.EndsWith("---\nBody\n", File.ReadAllText(file.Path));
        }

        [Fact]
        public void Existing_provenance_is_kept_unless_the_request_overrides_it()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var content = Skill("web", "metadata:\n  skillforge-fingerprint: old\n  skillforge-model: m1\n");
            var file = library.Commit(library.Plan(new SkillWriteRequest { Content = content, Model = "m2", Date = Date }));
            Assert.Equal("old", file.Fingerprint);
            Assert.Equal("m2", file.Model);
        }

        [Fact]
        public void Plan_writes_nothing()
        {
            using var temp = new TempDir();
            var root = Path.Combine(temp.Path, "skills");
            var plan = new SkillLibrary(root).Plan(new SkillWriteRequest { Content = Skill("web") });
            Assert.Equal(Path.Combine(root, "web", "SKILL.md"), plan.FilePath);
            Assert.False(Directory.Exists(root));
        }

        [Fact]
        public void Root_that_is_a_file_fails_with_write_failed()
        {
            using var temp = new TempDir();
            var root = temp.Write("not-a-folder", "x");
            var library = new SkillLibrary(root);
            var e = Assert.Throws<SkillForgeException>(() => Export(library, Skill("web")));
            Assert.Equal(ErrorIds.SkillWriteFailed, e.ErrorId);
            Assert.Equal("x", File.ReadAllText(root));
        }
    }
}

using System.IO;
using SkillForge.Diagnostics;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Skills
{
    /// <summary>Commit claims the skill's folder exclusively and leaves nothing behind when it fails.</summary>
    public class SkillLibraryCommitTests
    {
        private static string Skill(string name, string body) =>
            $"---\nname: {name}\ndescription: Does things. Use when needed.\n---\n\n{body}\n";

        [Fact]
        public void A_folder_another_writer_created_meanwhile_is_kept_and_the_export_takes_the_next_name()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var plan = library.Plan(new SkillWriteRequest { Content = Skill("web", "mine") });
            Assert.Equal("web", plan.Name);
            var theirs = Path.Combine(temp.Path, "web", "SKILL.md");
            library.BeforeRename = _ =>
            {
                library.BeforeRename = null;
                Directory.CreateDirectory(Path.GetDirectoryName(theirs)!);
                File.WriteAllText(theirs, Skill("web", "theirs"));
            };
            var file = library.Commit(plan);
            Assert.Equal("web-2", file.Name);
            Assert.Equal(SkillWriteStatus.Written, file.Status);
            Assert.Contains("theirs", File.ReadAllText(theirs));
            Assert.Contains("mine", File.ReadAllText(file.Path));
            Assert.Contains("name: web-2", File.ReadAllText(file.Path));
        }

        [Fact]
        public void A_failed_write_of_a_new_skill_leaves_no_folder()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            library.BeforeRename = _ => throw new IOException("No space left on device");
            var e = Assert.Throws<SkillForgeException>(() => library.Commit(library.Plan(new SkillWriteRequest { Content = Skill("web", "x") })));
            Assert.Equal(ErrorIds.SkillWriteFailed, e.ErrorId);
            Assert.Contains("Nothing was changed there", e.Message);
            Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
        }

        [Fact]
        public void An_empty_folder_left_by_a_crash_is_taken_over()
        {
            using var temp = new TempDir();
            Directory.CreateDirectory(Path.Combine(temp.Path, "web"));
            var library = new SkillLibrary(temp.Path);
            var file = library.Commit(library.Plan(new SkillWriteRequest { Content = Skill("web", "x") }));
            Assert.Equal("web", file.Name);
            Assert.True(File.Exists(file.Path));
        }

        [Fact]
        public void A_folder_with_other_files_gets_its_SKILL_md_added()
        {
            using var temp = new TempDir();
            var scripts = Path.Combine(temp.Path, "web", "scripts");
            Directory.CreateDirectory(scripts);
            File.WriteAllText(Path.Combine(scripts, "run.sh"), "echo");
            var library = new SkillLibrary(temp.Path);
            var file = library.Commit(library.Plan(new SkillWriteRequest { Content = Skill("web", "x") }));
            Assert.Equal(Path.Combine(temp.Path, "web", "SKILL.md"), file.Path);
            Assert.Equal("echo", File.ReadAllText(Path.Combine(scripts, "run.sh")));
        }

        [Fact]
        public void Stale_staging_folders_and_old_temporary_files_are_removed_and_fresh_ones_kept()
        {
            using var temp = new TempDir();
            var stale = Directory.CreateDirectory(Path.Combine(temp.Path, SkillLibrary.StagingPrefix + "0123456789abcdef.tmp")).FullName;
            File.WriteAllText(Path.Combine(stale, "SKILL.md"), "half");
            Directory.SetLastWriteTimeUtc(stale, System.DateTime.UtcNow.AddHours(-2));
            var fresh = Directory.CreateDirectory(Path.Combine(temp.Path, SkillLibrary.StagingPrefix + "fedcba9876543210.tmp")).FullName;
            var skill = Directory.CreateDirectory(Path.Combine(temp.Path, "web")).FullName;
            var oldTemp = Path.Combine(skill, ".SKILL.md.0123456789abcdef.tmp");
            File.WriteAllText(oldTemp, "half");
            File.SetLastWriteTimeUtc(oldTemp, System.DateTime.UtcNow.AddHours(-2));
            var user = Path.Combine(skill, "notes.tmp");
            File.WriteAllText(user, "mine");
            File.SetLastWriteTimeUtc(user, System.DateTime.UtcNow.AddHours(-2));

            Assert.Equal(2, SkillLibrary.CleanStaleTemporaryFiles(temp.Path, SkillLibrary.StaleAge));
            Assert.False(Directory.Exists(stale));
            Assert.False(File.Exists(oldTemp));
            Assert.True(Directory.Exists(fresh));
            Assert.True(File.Exists(user));
        }
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Skills
{
    public class SkillMarkdownValidatorTests
    {
        private const string Body = "\n# Web search\n\n1. Search.\n";

        private static string Skill(string frontmatter, string body = Body) => "---\n" + frontmatter + "\n---\n" + body;

        private static SkillValidationResult Check(string content, string? folder = null, bool strict = false) =>
            SkillMarkdownValidator.Validate(content, null, folder, strict);

        private static void AssertCode(SkillValidationResult result, string code, int? line = null, DiagnosticSeverity severity = DiagnosticSeverity.Error)
        {
            var match = result.Diagnostics.Where(d => d.Code == code).ToList();
            Assert.True(match.Count > 0, $"expected {code}, got: {string.Join(" | ", result.Diagnostics.Select(d => d.ToString()))}");
            Assert.Contains(match, d => d.Severity == severity && (line == null || d.Line == line));
        }

        [Fact]
        public void Minimal_skill_is_valid_with_no_diagnostics()
        {
            var result = Check(Skill("name: web-search\ndescription: Searches the web. Use when a fact is missing."));
            Assert.True(result.IsValid);
            Assert.Empty(result.Diagnostics);
            Assert.Equal("web-search", result.Name);
            Assert.Equal("Searches the web. Use when a fact is missing.", result.Description);
            Assert.NotNull(result.Content);
        }

        [Fact]
        public void All_standard_fields_are_accepted()
        {
            var result = Check(Skill(
                "name: pdf-tools\ndescription: Fill PDF forms.\nlicense: Apache-2.0\ncompatibility: Requires qpdf\n" +
                "allowed-tools: Read Bash(git:*)\nmetadata:\n  author: me\n  version: \"1.0\"\n  empty:"));
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.ToString())));
        }

        [Fact]
        public void Missing_opening_fence_is_SF1001()
        {
            var result = Check("name: x\ndescription: y\n");
            Assert.False(result.IsValid);
            AssertCode(result, SkillDiagnosticCodes.MissingOpeningFence, 1);
        }

        [Fact]
        public void Blank_lines_before_the_fence_are_SF1002_and_the_rest_is_still_checked()
        {
            var result = Check("\n\n" + Skill("name: Bad_Name\ndescription: y"));
            AssertCode(result, SkillDiagnosticCodes.BlankLinesBeforeFence, 1);
            AssertCode(result, SkillDiagnosticCodes.NameInvalidCharacters, 4);
        }

        [Fact]
        public void Missing_closing_fence_is_SF1003()
        {
            var result = Check("---\nname: x\ndescription: y\n# body\n");
            AssertCode(result, SkillDiagnosticCodes.MissingClosingFence, 1);
        }

        [Fact]
        public void A_fence_must_be_alone_on_its_line()
        {
            var result = Check("---\nname: x\ndescription: y\n--- trailing\n");
            AssertCode(result, SkillDiagnosticCodes.MissingClosingFence);
        }

        [Fact]
        public void Invalid_yaml_is_SF1004_with_the_file_line()
        {
            var result = Check(Skill("name: web\ndescription: a: b: [c\nlicense: x"));
            AssertCode(result, SkillDiagnosticCodes.InvalidYaml);
            Assert.InRange(result.Diagnostics.First(d => d.Code == SkillDiagnosticCodes.InvalidYaml).Line, 3, 4);
        }

        [Theory]
        [InlineData("")]
        [InlineData("# only a comment")]
        [InlineData("just text")]
        [InlineData("- a\n- b")]
        public void Frontmatter_that_is_not_a_mapping_is_SF1005_and_names_the_missing_keys(string frontmatter)
        {
            var result = Check(Skill(frontmatter));
            AssertCode(result, SkillDiagnosticCodes.NotAMapping);
            AssertCode(result, SkillDiagnosticCodes.NameMissing);
            AssertCode(result, SkillDiagnosticCodes.DescriptionMissing);
        }

        [Fact]
        public void Duplicate_keys_are_SF1006_on_the_second_line()
        {
            var result = Check(Skill("name: web\ndescription: one\ndescription: two"));
            AssertCode(result, SkillDiagnosticCodes.DuplicateKey, 4);
        }

        [Fact]
        public void Duplicate_metadata_keys_are_SF1006()
        {
            var result = Check(Skill("name: web\ndescription: d\nmetadata:\n  a: 1\n  a: 2"));
            AssertCode(result, SkillDiagnosticCodes.DuplicateKey, 6);
        }

        [Fact]
        public void Anchors_aliases_and_tags_are_reported()
        {
            var result = Check(Skill("name: &n web\ndescription: !!str d\nmetadata:\n  a: *n"));
            Assert.Equal(2, result.Diagnostics.Count(d => d.Code == SkillDiagnosticCodes.AnchorOrAlias));
            AssertCode(result, SkillDiagnosticCodes.Tag, 3);
            Assert.False(result.IsValid);
        }

        [Fact]
        public void Alias_bomb_is_reported_fast_without_expansion()
        {
            var sb = new StringBuilder("name: web\ndescription: d\nmetadata:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
            for (int i = 1; i < 10; i++)
                sb.Append($"  a{i}: &a{i} [").Append(string.Join(",", Enumerable.Repeat($"*a{i - 1}", 9))).Append("]\n");
            var result = Check(Skill(sb.ToString().TrimEnd('\n')));
            Assert.False(result.IsValid);
            AssertCode(result, SkillDiagnosticCodes.AnchorOrAlias);
            // A handful of diagnostics plus one summary, not one per alias.
            Assert.InRange(result.Diagnostics.Count(d => d.Code == SkillDiagnosticCodes.AnchorOrAlias), 2, 12);
            Assert.Contains(result.Diagnostics, d => d.Message.Contains("more anchors, aliases or tags"));
        }

        [Fact]
        public void Name_rules_each_have_a_code()
        {
            AssertCode(Check(Skill("name: \ndescription: d")), SkillDiagnosticCodes.NameMissing, 2);
            AssertCode(Check(Skill("name: '   '\ndescription: d")), SkillDiagnosticCodes.NameMissing, 2);
            AssertCode(Check(Skill("description: d")), SkillDiagnosticCodes.NameMissing, 1);
            AssertCode(Check(Skill("name: [a]\ndescription: d")), SkillDiagnosticCodes.NameNotText, 2);
            AssertCode(Check(Skill("name: " + new string('a', 65) + "\ndescription: d")), SkillDiagnosticCodes.NameTooLong, 2);
            AssertCode(Check(Skill("name: My_Skill\ndescription: d")), SkillDiagnosticCodes.NameInvalidCharacters, 2);
            AssertCode(Check(Skill("name: ../x\ndescription: d")), SkillDiagnosticCodes.NameInvalidCharacters, 2);
            AssertCode(Check(Skill("name: café\ndescription: d")), SkillDiagnosticCodes.NameInvalidCharacters, 2);
            AssertCode(Check(Skill("name: -web\ndescription: d")), SkillDiagnosticCodes.NameEdgeHyphen, 2);
            AssertCode(Check(Skill("name: web-\ndescription: d")), SkillDiagnosticCodes.NameEdgeHyphen, 2);
            AssertCode(Check(Skill("name: web--search\ndescription: d")), SkillDiagnosticCodes.NameDoubleHyphen, 2);
            Assert.True(Check(Skill("name: " + new string('a', 64) + "\ndescription: d")).IsValid);
            Assert.True(Check(Skill("name: 123\ndescription: d")).IsValid);
        }

        [Fact]
        public void Every_problem_is_reported_not_only_the_first()
        {
            var result = Check(Skill("name: Bad--Name-\ndescription: \nfoo: 1\ncompatibility: " + new string('c', 501)));
            foreach (var code in new[]
            {
                SkillDiagnosticCodes.NameInvalidCharacters, SkillDiagnosticCodes.NameEdgeHyphen, SkillDiagnosticCodes.NameDoubleHyphen,
                SkillDiagnosticCodes.DescriptionMissing, SkillDiagnosticCodes.UnknownKey, SkillDiagnosticCodes.CompatibilityTooLong,
            })
                AssertCode(result, code);
            Assert.Equal(result.Diagnostics.OrderBy(d => d.Line).Select(d => d.Line), result.Diagnostics.Select(d => d.Line));
        }

        [Fact]
        public void Name_must_match_the_folder_as_written()
        {
            AssertCode(Check(Skill("name: web\ndescription: d"), folder: "other"), SkillDiagnosticCodes.NameFolderMismatch, 2);
            // Fullwidth letters and ligatures only look like the name: two such folders would carry one skill name.
            var fullwidth = Check(Skill("name: web\ndescription: d"), folder: "\uFF57\uFF45\uFF42");
            AssertCode(fullwidth, SkillDiagnosticCodes.NameFolderMismatch, 2);
            Assert.Contains("only looks the same", fullwidth.Diagnostics[0].Message);
            AssertCode(Check(Skill("name: file\ndescription: d"), folder: "\uFB01le"), SkillDiagnosticCodes.NameFolderMismatch, 2);
            Assert.True(Check(Skill("name: web\ndescription: d"), folder: "web").IsValid);
        }

        [Fact]
        public void Description_rules_each_have_a_code()
        {
            AssertCode(Check(Skill("name: web\ndescription: ~")), SkillDiagnosticCodes.DescriptionMissing, 3);
            AssertCode(Check(Skill("name: web")), SkillDiagnosticCodes.DescriptionMissing, 1);
            AssertCode(Check(Skill("name: web\ndescription:\n  a: b")), SkillDiagnosticCodes.DescriptionNotText, 4);
            AssertCode(Check(Skill("name: web\ndescription: " + new string('d', 1025))), SkillDiagnosticCodes.DescriptionTooLong, 3);
            Assert.True(Check(Skill("name: web\ndescription: " + new string('d', 1024))).IsValid);
            // Trimmed before counting.
            Assert.True(Check(Skill("name: web\ndescription: '  " + new string('d', 1024) + "  '")).IsValid);
            AssertCode(Check(Skill("name: web\ndescription: Use <tool> here")), SkillDiagnosticCodes.DescriptionAngleBrackets, 3, DiagnosticSeverity.Warning);
        }

        [Fact]
        public void Lengths_count_code_points_so_an_emoji_is_one()
        {
            var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 1024));
            Assert.Equal(2048, emoji.Length);
            Assert.True(Check(Skill("name: web\ndescription: " + emoji)).IsValid);
            AssertCode(Check(Skill("name: web\ndescription: " + emoji + "x")), SkillDiagnosticCodes.DescriptionTooLong);
            var compat = string.Concat(Enumerable.Repeat("\U0001F680", 500));
            Assert.True(Check(Skill("name: web\ndescription: d\ncompatibility: " + compat)).IsValid);
        }

        [Fact]
        public void Other_fields_each_have_a_code()
        {
            AssertCode(Check(Skill("name: web\ndescription: d\ncompatibility: [a]")), SkillDiagnosticCodes.CompatibilityNotText, 4);
            AssertCode(Check(Skill("name: web\ndescription: d\nmetadata: text")), SkillDiagnosticCodes.MetadataNotAMap, 4);
            AssertCode(Check(Skill("name: web\ndescription: d\nmetadata:\n  a:\n    b: c")), SkillDiagnosticCodes.MetadataValueNotScalar, 6);
            AssertCode(Check(Skill("name: web\ndescription: d\nmetadata:\n  a: [1, 2]")), SkillDiagnosticCodes.MetadataValueNotScalar, 5);
            AssertCode(Check(Skill("name: web\ndescription: d\nmetadata:\n  ? [k]\n  : v")), SkillDiagnosticCodes.MetadataKeyNotText, 5);
            AssertCode(Check(Skill("name: web\ndescription: d\nlicense:\n  - MIT")), SkillDiagnosticCodes.LicenseNotText, 5);
            AssertCode(Check(Skill("name: web\ndescription: d\nallowed-tools:\n  - Read")), SkillDiagnosticCodes.AllowedToolsNotText, 5);
            AssertCode(Check(Skill("name: web\ndescription: d\n? [k]\n: v")), SkillDiagnosticCodes.ComplexKey, 4);
        }

        [Fact]
        public void Unknown_keys_are_errors_with_a_suggestion()
        {
            var result = Check(Skill("name: web\ndescription: d\nallowed_tools: Read\nauthor: me"));
            AssertCode(result, SkillDiagnosticCodes.UnknownKey, 4);
            AssertCode(result, SkillDiagnosticCodes.UnknownKey, 5);
            Assert.Contains("allowed-tools", result.Diagnostics.First(d => d.Line == 4).Message);
            Assert.Contains("metadata", result.Diagnostics.First(d => d.Line == 5).Message);
        }

        [Theory]
        [InlineData("user-invocable: true")]
        [InlineData("disable-model-invocation: false")]
        [InlineData("argument-hint: '[file]'")]
        [InlineData("model: sonnet")]
        [InlineData("hooks:\n  pre: [a]")]
        [InlineData("context: fork")]
        [InlineData("agent: reviewer")]
        public void Runtime_extension_keys_are_warnings(string extra)
        {
            var result = Check(Skill("name: web\ndescription: d\n" + extra));
            Assert.True(result.IsValid);
            AssertCode(result, SkillDiagnosticCodes.RuntimeExtensionKey, 4, DiagnosticSeverity.Warning);
            var strict = Check(Skill("name: web\ndescription: d\n" + extra), strict: true);
            Assert.False(strict.IsValid);
            AssertCode(strict, SkillDiagnosticCodes.RuntimeExtensionKey, 4, DiagnosticSeverity.Error);
        }

        [Fact]
        public void Metadata_scalars_keep_their_source_text()
        {
            var content = Skill("name: web\ndescription: d\nmetadata:\n  version: 1.0\n  flag: yes\n  big: 0x10");
            Assert.True(Check(content).IsValid);
            var doc = SkillMarkdownDocument.Parse(content);
            var metadata = FrontmatterRewriter.ReadMetadata(doc).ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal("1.0", metadata["version"]);
            Assert.Equal("yes", metadata["flag"]);
            Assert.Equal("0x10", metadata["big"]);
        }

        [Fact]
        public void Body_warnings_for_empty_long_and_token_heavy_bodies()
        {
            AssertCode(Check(Skill("name: web\ndescription: d", "\n  \n")), SkillDiagnosticCodes.BodyEmpty, 4, DiagnosticSeverity.Warning);
            AssertCode(Check(Skill("name: web\ndescription: d", "")), SkillDiagnosticCodes.BodyEmpty, 4, DiagnosticSeverity.Warning);
            var longBody = string.Concat(Enumerable.Range(1, 501).Select(i => $"step {i}\n"));
            AssertCode(Check(Skill("name: web\ndescription: d", longBody)), SkillDiagnosticCodes.BodyTooManyLines, 505, DiagnosticSeverity.Warning);
            Assert.DoesNotContain(Check(Skill("name: web\ndescription: d", longBody.Substring(longBody.IndexOf('\n') + 1))).Diagnostics,
                d => d.Code == SkillDiagnosticCodes.BodyTooManyLines);
            var heavy = new string('x', 4 * 5001) + "\n";
            var result = Check(Skill("name: web\ndescription: d", heavy));
            AssertCode(result, SkillDiagnosticCodes.BodyTooManyTokens, 5, DiagnosticSeverity.Warning);
            Assert.True(result.IsValid);
            Assert.False(Check(Skill("name: web\ndescription: d", heavy), strict: true).IsValid);
        }

        [Fact]
        public void Crlf_and_bom_are_accepted_and_lines_stay_right()
        {
            var content = "\uFEFF---\r\nname: web\r\ndescription: d\r\nfoo: 1\r\n---\r\n# Body\r\n";
            var result = Check(content);
            AssertCode(result, SkillDiagnosticCodes.UnknownKey, 4);
            Assert.True(Check(content.Replace("foo: 1\r\n", "")).IsValid);
        }

        [Fact]
        public void Multiple_documents_in_the_frontmatter_are_SF1014()
        {
            AssertCode(Check(Skill("name: web\ndescription: d\n...\nname: other")), SkillDiagnosticCodes.MultipleDocuments);
        }

        [Fact]
        public void Folder_without_skill_file_is_an_invalid_result()
        {
            using var temp = new TempDir();
            var folder = Path.Combine(temp.Path, "empty-skill");
            Directory.CreateDirectory(folder);
            var result = SkillMarkdownValidator.ValidatePath(folder);
            Assert.False(result.IsValid);
            Assert.Equal(folder, result.Path);
            AssertCode(result, SkillDiagnosticCodes.MissingSkillFile);
        }

        [Fact]
        public void Library_root_checked_as_a_skill_points_to_the_audit_command()
        {
            using var temp = new TempDir();
            temp.Write("web/SKILL.md", Skill("name: web\ndescription: d"));
            var result = SkillMarkdownValidator.ValidatePath(temp.Path + Path.DirectorySeparatorChar);
            AssertCode(result, SkillDiagnosticCodes.MissingSkillFile);
            Assert.Equal(temp.Path, result.Path);
            Assert.Contains("-Directory | Test-SkillMarkdown", result.Diagnostics[0].Message);
        }

        [Fact]
        public void Folder_and_file_paths_check_the_folder_name()
        {
            using var temp = new TempDir();
            var file = temp.Write("web-search/SKILL.md", Skill("name: web-search\ndescription: d"));
            Assert.True(SkillMarkdownValidator.ValidatePath(Path.GetDirectoryName(file)!).IsValid);
            Assert.True(SkillMarkdownValidator.ValidatePath(file).IsValid);
            var other = temp.Write("renamed/SKILL.md", Skill("name: web-search\ndescription: d"));
            AssertCode(SkillMarkdownValidator.ValidatePath(other), SkillDiagnosticCodes.NameFolderMismatch, 2);
            // A draft that is not called SKILL.md is not tied to its folder.
            var draft = temp.Write("drafts/web-search.md", Skill("name: web-search\ndescription: d"));
            Assert.True(SkillMarkdownValidator.ValidatePath(draft).IsValid);
        }

        [Fact]
        public void Crlf_bom_file_is_valid()
        {
            using var temp = new TempDir();
            var file = Path.Combine(temp.Path, "web", "SKILL.md");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("---\r\nname: web\r\ndescription: d\r\n---\r\nBody\r\n")).ToArray());
            var result = SkillMarkdownValidator.ValidatePath(file);
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.ToString())));
            Assert.Equal("web", result.Name);
        }

        [Fact]
        public void Invalid_utf8_is_a_diagnostic_not_an_exception()
        {
            using var temp = new TempDir();
            var file = Path.Combine(temp.Path, "web", "SKILL.md");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var bytes = Encoding.UTF8.GetBytes("---\nname: web\ndescription: caf").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\n---\n")).ToArray();
            File.WriteAllBytes(file, bytes);
            var result = SkillMarkdownValidator.ValidatePath(file);
            Assert.False(result.IsValid);
            AssertCode(result, SkillDiagnosticCodes.InvalidUtf8, 3);
            Assert.Null(result.Content);
        }

        [Theory]
        [InlineData(false, 5)]
        [InlineData(true, 8)]
        public void Invalid_utf8_offset_counts_from_the_start_of_the_file(bool bom, int expected)
        {
            var text = new byte[] { (byte)'-', (byte)'-', (byte)'-', (byte)'\n', (byte)'a', 0xFF, (byte)'b' };
            var bytes = bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(text).ToArray() : text;
            Assert.Null(SkillMarkdownValidator.DecodeUtf8(bytes, out int offset));
            Assert.Equal(expected, offset);
        }

        [Fact]
        public void Binary_file_is_reported()
        {
            using var temp = new TempDir();
            var file = Path.Combine(temp.Path, "SKILL.md");
            File.WriteAllBytes(file, new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0xFF });
            Assert.False(SkillMarkdownValidator.ValidatePath(file).IsValid);
        }

        [Fact]
        public void Missing_path_throws_file_not_found()
        {
            var e = Assert.Throws<SkillForgeException>(() => SkillMarkdownValidator.ValidatePath(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N"))));
            Assert.Equal(ErrorIds.FileNotFound, e.ErrorId);
        }

        [Fact]
        public void Deeply_nested_yaml_does_not_overflow_the_stack()
        {
            var nested = new string('[', 5000) + new string(']', 5000);
            var result = Check(Skill("name: web\ndescription: d\nhooks: " + nested));
            Assert.NotNull(result);
        }

        [Theory]
        [InlineData("name: \"web\"\ndescription: 'd'")]
        [InlineData("name: web\ndescription: >\n  folded\n  text")]
        [InlineData("name: web\ndescription: |\n  literal\n  text")]
        [InlineData("{name: web, description: d}")]
        [InlineData("name: web # a comment\ndescription: d")]
        public void Yaml_styles_are_read(string frontmatter)
        {
            var result = Check(Skill(frontmatter));
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.ToString())));
            Assert.Equal("web", result.Name);
        }

        [Fact]
        public void Random_frontmatter_never_throws()
        {
            var random = new System.Random(2024);
            string[] pieces =
            {
                "name", "description", "metadata", ":", ": ", " ", "  ", "\n", "\r\n", "-", "- ", "---", "...", "&a", "*a", "!!str", "!x", "?", "[", "]",
                "{", "}", ",", "'", "\"", "|", ">", "#", "%YAML 1.2", "%TAG ! tag:x:", "\t", "\u00e9", "\U0001F600", "\ud800", "\0", "\\", "@", "`", "<<: *a",
            };
            for (int i = 0; i < 3000; i++)
            {
                var front = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
                var result = Check("---\n" + front + "\n---\nbody\n");
                Assert.NotNull(result);
                Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 0));
            }
        }

        [Fact]
        public void IsValidName_matches_the_rules()
        {
            Assert.True(SkillMarkdownValidator.IsValidName("a"));
            Assert.True(SkillMarkdownValidator.IsValidName("web-search-2"));
            foreach (var bad in new[] { "", "-a", "a-", "a--b", "A", "a_b", "../x", "..\\x", "a b", new string('a', 65) })
                Assert.False(SkillMarkdownValidator.IsValidName(bad), bad);
        }
    }
}

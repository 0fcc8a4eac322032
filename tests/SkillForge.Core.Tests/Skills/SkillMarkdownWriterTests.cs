using System;
using System.Collections.Generic;
using System.Linq;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Skills
{
    public class SkillMarkdownWriterTests
    {
        private static readonly string[] Nasty =
        {
            "", " ", "plain words", "key: value", "a: b: c", "# not a comment", "'single", "\"double", "\"quoted\"",
            "- leading dash", "* star", "& amp", "! bang", "% percent", "@ at", "` tick", "|", ">", "{ brace", "[ bracket",
            "]", "}", ",", "?", "? key", "---", "...", "--- not a fence", "line\nbreak", "crlf\r\nline", "\ttab",
            "trailing space ", " leading space", "null", "~", "true", "yes", "1.0", "0x1F", "1e3", ".inf", "<html>",
            "a > b", "emoji 😀🚀", "日本語のスキル", "Ünïcödé", "\u0000nul", "\u0007bell", "\u001b[31mred", "\ud800lone",
            "\uFEFFbom", "line\u2028sep", "```", "````code````", "*alias", "&anchor x", "!!str tag", "#", ": ", "x #y",
            new string('w', 1500), string.Concat(Enumerable.Repeat("word ", 400)), string.Concat(Enumerable.Repeat("😀", 1100)),
        };

        private static DistilledSkill Random(Random random)
        {
            string Pick() => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => Nasty[random.Next(Nasty.Length)]));
            return new DistilledSkill
            {
                Name = Pick(),
                Description = Pick(),
                WhenToApply = Pick(),
                Scope = random.Next(3) == 0 ? "global" : Pick(),
                Source = random.Next(2) == 0 ? "failure" : Pick(),
                Domain = Pick(),
                Trigger = new SkillTrigger { Persona = Pick(), UrlPattern = Pick(), TaskKeywords = new[] { Pick(), Pick() } },
                Code = Pick(),
                SourceIds = new[] { Pick(), Pick() },
                Fingerprint = Pick(),
                Model = Pick(),
            };
        }

        [Fact]
        public void Output_always_passes_validation_for_nasty_inputs()
        {
            var random = new Random(12345);
            for (int i = 0; i < 1500; i++)
            {
                var skill = Random(random);
                var markdown = SkillMarkdownWriter.ToMarkdown(skill);
                var result = SkillMarkdownValidator.Validate(markdown, folderName: SkillSlug.From(skill.Name));
                Assert.True(result.IsValid, $"case {i}: {string.Join(" | ", result.Diagnostics.Select(d => d.ToString()))}\n{markdown}");
                Assert.DoesNotContain(result.Diagnostics, d => d.Code == SkillDiagnosticCodes.DescriptionAngleBrackets);
                Assert.Equal(SkillSlug.From(skill.Name), result.Name);
                Assert.Equal(SkillMarkdownWriter.BuildDescription(skill.Description, skill.WhenToApply, ""), result.Description);
            }
        }

        [Fact]
        public void Output_exports_unchanged_apart_from_provenance()
        {
            var random = new Random(99);
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            for (int i = 0; i < 200; i++)
            {
                var markdown = SkillMarkdownWriter.ToMarkdown(Random(random));
                var plan = library.Plan(new SkillWriteRequest { Content = markdown });
                Assert.True(SkillMarkdownValidator.Validate(plan.Content, folderName: plan.Name).IsValid);
            }
        }

        [Fact]
        public void Description_joins_what_and_when()
        {
            var md = SkillMarkdownWriter.ToMarkdown(new DistilledSkill
            {
                Name = "Retry on 429",
                Description = "Back off and retry rate-limited calls",
                WhenToApply = "When an API answers 429: Too Many Requests",
            });
            var result = SkillMarkdownValidator.Validate(md);
            Assert.True(result.IsValid);
            Assert.Equal("retry-on-429", result.Name);
            Assert.Equal("Back off and retry rate-limited calls. Use when an API answers 429: Too Many Requests", result.Description);
            Assert.Contains("# Retry on 429\n", md);
            Assert.Contains("## When to apply\n\nWhen an API answers 429: Too Many Requests\n", md);
            Assert.Contains("## Principle\n\nBack off and retry rate-limited calls\n", md);
            Assert.DoesNotContain("## Procedure", md);
        }

        [Theory]
        [InlineData("Throughout long tasks", "d. Use when throughout long tasks")]
        [InlineData("API calls fail", "d. Use when API calls fail")]
        [InlineData("use when it rains", "d. Use when it rains")]
        [InlineData("", "d")]
        [InlineData("Before calling `Bash` with `command`", "d. Use it before calling `Bash` with `command`")]
        [InlineData("if the deploy fails", "d. Use it if the deploy fails")]
        public void When_to_apply_reads_as_one_sentence(string when, string expected) =>
            Assert.Equal(expected, SkillMarkdownWriter.BuildDescription("d", when, "t"));

        [Fact]
        public void Huge_names_give_a_short_title_and_a_64_character_name()
        {
            var md = SkillMarkdownWriter.ToMarkdown(new DistilledSkill { Name = string.Concat(Enumerable.Repeat("Long Name ", 100)), Description = "d" });
            var result = SkillMarkdownValidator.Validate(md);
            Assert.True(result.IsValid);
            Assert.True(result.Name!.Length <= 64);
            var title = md.Split('\n').First(l => l.StartsWith("# ", StringComparison.Ordinal));
            Assert.True(title.Length <= 125, title);
        }

        [Fact]
        public void Long_descriptions_are_cut_cleanly_within_1024_code_points()
        {
            var md = SkillMarkdownWriter.ToMarkdown(new DistilledSkill
            {
                Name = "x",
                Description = string.Concat(Enumerable.Repeat("word😀 ", 400)),
                WhenToApply = "always",
            });
            var result = SkillMarkdownValidator.Validate(md);
            Assert.True(result.IsValid);
            Assert.True(TextUtil.CodePointLength(result.Description!) <= 1024);
            Assert.EndsWith("…", result.Description);
            Assert.Contains("word😀…", result.Description);
        }

        [Fact]
        public void Failure_skills_have_a_lesson_and_code_gets_a_longer_fence()
        {
            var md = SkillMarkdownWriter.ToMarkdown(new DistilledSkill
            {
                Name = "avoid-stale-cache",
                Description = "Clear the cache before retrying",
                WhenToApply = "after a stale read",
                Source = "failure",
                Code = "echo '```'\necho '````'",
            });
            Assert.Contains("## Lesson", md);
            Assert.Contains("\n`````\necho '```'\necho '````'\n`````\n", md);
            Assert.True(SkillMarkdownValidator.Validate(md).IsValid);
        }

        [Fact]
        public void Scope_trigger_and_provenance_go_into_metadata_as_strings()
        {
            var md = SkillMarkdownWriter.ToMarkdown(new DistilledSkill
            {
                Name = "checkout",
                Description = "d",
                WhenToApply = "w",
                Scope = "shop.example.com",
                Source = "success",
                Domain = "shopping",
                Trigger = new SkillTrigger { Persona = "buyer", UrlPattern = "*/cart*", TaskKeywords = new[] { "buy", "pay" } },
                SourceIds = new[] { "a", "b" },
                Fingerprint = "f00",
                Model = "gpt-4.1-mini",
            });
            var metadata = FrontmatterRewriter.ReadMetadata(SkillMarkdownDocument.Parse(md)).ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal("shop.example.com", metadata["scope"]);
            Assert.Equal("success", metadata["source"]);
            Assert.Equal("shopping", metadata["domain"]);
            Assert.Equal("buyer", metadata["trigger-persona"]);
            Assert.Equal("*/cart*", metadata["trigger-url-pattern"]);
            Assert.Equal("buy, pay", metadata["trigger-task-keywords"]);
            Assert.Equal("a,b", metadata["skillforge-source-ids"]);
            Assert.Equal("f00", metadata["skillforge-fingerprint"]);
            Assert.Equal("gpt-4.1-mini", metadata["skillforge-model"]);
        }

        [Fact]
        public void Empty_metadata_values_are_omitted()
        {
            var md = SkillMarkdownWriter.ToMarkdown(new DistilledSkill { Name = "x", Description = "d" });
            var metadata = FrontmatterRewriter.ReadMetadata(SkillMarkdownDocument.Parse(md)).Select(p => p.Key).ToList();
            Assert.Equal(new[] { "scope" }, metadata);
        }

        [Fact]
        public void Loosely_named_properties_map_to_a_skill()
        {
            var props = new List<KeyValuePair<string, object?>>
            {
                new KeyValuePair<string, object?>("Name", "Web Search"),
                new KeyValuePair<string, object?>("description", "Find facts"),
                new KeyValuePair<string, object?>("when_to_apply", "a fact is missing"),
                new KeyValuePair<string, object?>("scope", new Dictionary<string, object?> { ["domain"] = "example.com" }),
                new KeyValuePair<string, object?>("trigger", new Dictionary<string, object?>
                {
                    ["persona"] = "researcher",
                    ["url_pattern"] = "*",
                    ["taskKeywords"] = new object[] { "search", "lookup" },
                }),
                new KeyValuePair<string, object?>("code", "search()"),
            };
            var skill = SkillMarkdownWriter.FromProperties(props);
            Assert.Equal("Web Search", skill.Name);
            Assert.Equal("a fact is missing", skill.WhenToApply);
            Assert.Equal("example.com", skill.Scope);
            Assert.Equal("example.com", skill.Domain);
            Assert.Equal("researcher", skill.Trigger.Persona);
            Assert.Equal("*", skill.Trigger.UrlPattern);
            Assert.Equal(new[] { "search", "lookup" }, skill.Trigger.TaskKeywords);
            var global = SkillMarkdownWriter.FromProperties(new[] { new KeyValuePair<string, object?>("scope", "global"), new KeyValuePair<string, object?>("whenToApply", "w") });
            Assert.True(global.IsGlobal);
            Assert.Equal("w", global.WhenToApply);
        }
    }
}

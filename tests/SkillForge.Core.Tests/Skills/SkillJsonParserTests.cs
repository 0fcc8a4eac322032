using System.Linq;
using SkillForge.Diagnostics;
using SkillForge.Skills;
using Xunit;

namespace SkillForge.Tests.Skills
{
    public class SkillJsonParserTests
    {
        private const string One = "{\"name\":\"verify-before-write\",\"description\":\"Check state before changing it.\",\"when_to_apply\":\"Before any write\",\"scope\":\"global\",\"source\":\"failure\",\"domain\":\"\",\"trigger\":{\"persona\":\"\",\"url_pattern\":\"\",\"task_keywords\":[\"write\",\"update\"]},\"code\":\"\"}";

        private static DistilledSkill[] Skills(string text, string? defaultSource = null)
        {
            var outcomes = SkillJsonParser.Parse(text, null, defaultSource);
            Assert.All(outcomes, o => Assert.False(o.IsError, o.Error?.Message));
            return outcomes.Select(o => o.Value!).ToArray();
        }

        [Fact]
        public void Plain_array_maps_every_field()
        {
            var s = Skills("[" + One + "]").Single();
            Assert.Equal("verify-before-write", s.Name);
            Assert.Equal("Check state before changing it.", s.Description);
            Assert.Equal("Before any write", s.WhenToApply);
            Assert.Equal("global", s.Scope);
            Assert.True(s.IsGlobal);
            Assert.Equal("failure", s.Source);
            Assert.Equal(new[] { "write", "update" }, s.Trigger.TaskKeywords);
        }

        [Fact]
        public void Array_in_prose_and_code_fence()
        {
            var text = "Sure! Here are the skills I found [see below]:\n\n```json\n[" + One + ",\n" + One.Replace("verify-before-write", "second") + "]\n```\nLet me know if you need more.";
            Assert.Equal(new[] { "verify-before-write", "second" }, Skills(text).Select(s => s.Name));
        }

        [Fact]
        public void Single_object_is_an_array_of_one()
        {
            Assert.Single(Skills("The skill:\n" + One + "\nDone."));
        }

        [Fact]
        public void Trailing_commas_and_comments_are_tolerated()
        {
            var text = "[\n  // first skill\n  {\"name\": \"a\", \"description\": \"b\", /* inline */ \"trigger\": {\"task_keywords\": [\"x\",],},},\n]";
            var s = Skills(text).Single();
            Assert.Equal("a", s.Name);
            Assert.Equal(new[] { "x" }, s.Trigger.TaskKeywords);
        }

        [Fact]
        public void Brackets_inside_strings_do_not_confuse_extraction()
        {
            var text = "Note: arrays look like [1, 2] and objects like {\"k\": 1}.\n[{\"name\": \"parse-[x]\", \"description\": \"Use ] and [ and } freely: \\\"quoted\\\"\", \"code\": \"if (a[i] == '}') { return b[\\\"]\\\"]; }\"}]";
            var s = Skills(text).Single();
            Assert.Equal("parse-[x]", s.Name);
            Assert.Equal("Use ] and [ and } freely: \"quoted\"", s.Description);
            Assert.Equal("if (a[i] == '}') { return b[\"]\"]; }", s.Code);
        }

        [Fact]
        public void Several_arrays_take_the_first_array_of_named_objects()
        {
            var text = "Keywords: [\"a\", \"b\"]. Draft:\n[{\"title\": \"no name here\"}]\nFinal:\n[{\"name\": \"first\", \"description\": \"d\"}]\nAlternative:\n[{\"name\": \"second\", \"description\": \"d\"}]";
            Assert.Equal("first", Skills(text).Single().Name);
        }

        [Fact]
        public void Wrapper_object_holding_the_array_is_unwrapped()
        {
            Assert.Equal(2, Skills("{\"skills\": [" + One + "," + One + "]}").Length);
        }

        [Fact]
        public void Unicode_survives()
        {
            var s = Skills("[{\"name\": \"café-résumé-日本\", \"description\": \"Emoji 🚀 and escapes \\u00e9\\ud83d\\ude00\"}]").Single();
            Assert.Equal("café-résumé-日本", s.Name);
            Assert.Equal("Emoji 🚀 and escapes é😀", s.Description);
        }

        [Fact]
        public void Truncated_json_is_an_error_with_a_snippet()
        {
            var text = "```json\n[{\"name\": \"a\", \"description\": \"b\"}, {\"name\": \"c\", \"descrip";
            var e = Assert.Throws<SkillForgeException>(() => SkillJsonParser.Parse(text));
            Assert.Equal(ErrorIds.SkillJsonInvalid, e.ErrorId);
            Assert.Contains("cut off", e.Message);
            Assert.Contains("descrip", e.Message);
        }

        [Fact]
        public void Truncated_long_json_shows_how_it_really_ends()
        {
            var items = string.Join(", ", Enumerable.Range(1, 40).Select(i => "{\"name\": \"skill-" + i + "\", \"description\": \"Step number " + i + ".\"}"));
            var text = "[" + items + ", {\"name\": \"last-one\", \"description\": \"ends right HERE-AT-THE-END";
            var e = Assert.Throws<SkillForgeException>(() => SkillJsonParser.Parse(text));
            Assert.Contains("cut off", e.Message);
            Assert.EndsWith("HERE-AT-THE-END", e.Message);
            Assert.StartsWith("…", (string)e.Target!);
            Assert.True(((string)e.Target!).Length <= 200);
        }

        [Theory]
        [InlineData("not json at all")]
        [InlineData("[1, 2, 3]")]
        [InlineData("{\"answer\": 42}")]
        [InlineData("[{\"name\": \"a\", \"description\": }]")]
        public void No_usable_json_is_an_error_never_an_empty_result(string text)
        {
            var e = Assert.Throws<SkillForgeException>(() => SkillJsonParser.Parse(text, "result-1"));
            Assert.Equal(ErrorIds.SkillJsonInvalid, e.ErrorId);
            Assert.Contains("result-1", e.Message);
            Assert.Contains(text.Substring(0, 5), e.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  \n ")]
        public void Empty_answer_is_an_error(string text)
        {
            Assert.Equal(ErrorIds.SkillJsonInvalid, Assert.Throws<SkillForgeException>(() => SkillJsonParser.Parse(text)).ErrorId);
        }

        [Fact]
        public void An_explicit_empty_array_means_no_skills()
        {
            Assert.Empty(SkillJsonParser.Parse("No reusable skill here: []"));
        }

        [Fact]
        public void Missing_fields_fail_that_element_only()
        {
            var text = "[\n{\"name\": \"ok-1\", \"description\": \"d\"},\n{\"description\": \"no name\"},\n{\"name\": \"  \"},\n\"just a string\",\n{\"name\": \"ok-2\", \"description\": \"d\"}\n]";
            var outcomes = SkillJsonParser.Parse(text, "answer.txt");

            Assert.Equal(5, outcomes.Count);
            Assert.Equal("ok-1", outcomes[0].Value!.Name);
            Assert.Equal(ErrorIds.SkillJsonMissingField, outcomes[1].Error!.ErrorId);
            Assert.Contains("\"name\"", outcomes[1].Error!.Message);
            Assert.Equal(3, outcomes[1].Error!.Line);
            Assert.Contains("no name", outcomes[1].Error!.Snippet);
            Assert.Equal(ErrorIds.SkillJsonMissingField, outcomes[2].Error!.ErrorId);
            Assert.Contains("\"name\" and no \"description\"", outcomes[2].Error!.Message);
            Assert.Equal(ErrorIds.SkillJsonInvalid, outcomes[3].Error!.ErrorId);
            Assert.Equal("ok-2", outcomes[4].Value!.Name);
            Assert.Equal(6, outcomes[1].Error!.Line + 3);
        }

        [Fact]
        public void Task_keywords_as_string_or_array_and_scalars_coerced_to_text()
        {
            var skills = Skills("[{\"name\": 42, \"description\": true, \"when_to_apply\": [\"on deploy\", \"on rollback\"], \"trigger\": {\"task_keywords\": \"deploy, rollback; release\", \"persona\": 7}, \"code\": [\"step 1\", \"step 2\"]}," +
                                "{\"name\": \"b\", \"description\": \"d\", \"trigger\": {\"task_keywords\": [\"x\", 3, false, \"\"]}}]");
            Assert.Equal("42", skills[0].Name);
            Assert.Equal("true", skills[0].Description);
            Assert.Equal("on deploy; on rollback", skills[0].WhenToApply);
            Assert.Equal(new[] { "deploy", "rollback", "release" }, skills[0].Trigger.TaskKeywords);
            Assert.Equal("7", skills[0].Trigger.Persona);
            Assert.Equal("step 1\nstep 2", skills[0].Code);
            Assert.Equal(new[] { "x", "3", "false" }, skills[1].Trigger.TaskKeywords);
        }

        [Theory]
        [InlineData("\"global\"", "global", "")]
        [InlineData("\"GLOBAL\"", "global", "")]
        [InlineData("{\"domain\": \"travel\"}", "travel", "travel")]
        [InlineData("{\"Domain\": \"git\"}", "git", "git")]
        [InlineData("\"billing\"", "billing", "billing")]
        [InlineData("null", "global", "")]
        public void Scope_is_global_or_a_domain(string scopeJson, string scope, string domain)
        {
            var s = Skills("[{\"name\": \"n\", \"description\": \"d\", \"scope\": " + scopeJson + "}]").Single();
            Assert.Equal(scope, s.Scope);
            Assert.Equal(domain, s.Domain);
        }

        [Fact]
        public void Raw_line_breaks_inside_strings_are_repaired()
        {
            var s = Skills("[{\"name\": \"n\", \"description\": \"d\", \"code\": \"git fetch\ngit rebase origin/main\"}]").Single();
            Assert.Equal("git fetch\ngit rebase origin/main", s.Code);
        }

        [Fact]
        public void Missing_source_takes_the_prompt_side()
        {
            Assert.Equal("success", Skills("[{\"name\": \"n\", \"description\": \"d\"}]", "success").Single().Source);
            Assert.Equal("failure", Skills("[{\"name\": \"n\", \"description\": \"d\", \"source\": \"failure\"}]", "success").Single().Source);
        }

        [Fact]
        public void Pathological_brackets_do_not_hang()
        {
            var text = new string('[', 20_000) + " no json " + new string('{', 20_000);
            Assert.Throws<SkillForgeException>(() => SkillJsonParser.Parse(text));
            var objects = string.Concat(Enumerable.Repeat("[{", 20_000));
            Assert.Equal(ErrorIds.SkillJsonInvalid, Assert.Throws<SkillForgeException>(() => SkillJsonParser.Parse(objects)).ErrorId);
        }
    }
}

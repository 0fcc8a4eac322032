using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Offline
{
    public class OfflineDistillerTraceTests
    {
        /// <summary>A realistic coding-agent trace: search, read, a failed test run corrected by the user, a retry, edits.</summary>
        internal static TracePartition CheckoutTrace()
        {
            var events = new List<TraceEvent>();
            void Add(string kind, string? tool, string data, string? id) =>
                events.Add(new TraceEvent { TraceId = "t-checkout", Kind = kind, Tool = tool, Data = data, ActionId = id, Sequence = events.Count });
            Add("user_prompt", null, "{\"text\":\"Fix the failing checkout tests in the shop repository\"}", null);
            Add("action_succeeded", "grep", "{\"args\":{\"pattern\":\"checkout\",\"path\":\"src/\"}}", "a1");
            Add("action_succeeded", "read_file", "{\"args\":{\"path\":\"src/checkout.py\"}}", "a2");
            Add("action_failed", "shell", "{\"args\":{\"command\":\"pytest tests/test_checkout.py\"},\"error\":\"Exit code 4: ERROR: file or directory not found: tests/test_checkout.py\"}", "a3");
            Add("user_correction", null, "{\"text\":\"The tests live under test/unit, not tests/\"}", null);
            Add("action_succeeded", "shell", "{\"args\":{\"command\":\"pytest test/unit/test_checkout.py -q\"}}", "a4");
            Add("action_succeeded", "grep", "{\"args\":{\"pattern\":\"total_price\",\"path\":\"src/\"}}", "a5");
            Add("action_succeeded", "read_file", "{\"args\":{\"path\":\"src/pricing.py\"}}", "a6");
            Add("action_succeeded", "edit_file", "{\"args\":{\"path\":\"src/pricing.py\",\"old\":\"round(x)\",\"new\":\"round(x, 2)\"}}", "a7");
            Add("action_failed", "edit_file", "{\"args\":{\"path\":\"src/cart.py\",\"old\":\"qty\",\"new\":\"quantity\"},\"error\":\"old_string not found in src/cart.py\"}", "a8");
            Add("action_rejected", "web_fetch", "{\"args\":{\"url\":\"https://pypi.org/project/requests/\"},\"error\":\"User denied network access\"}", "a9");
            Add("action_failed", "shell", "{\"args\":{\"command\":\"pytest tests/test_cart.py\"},\"error\":\"Exit code 4: ERROR: file or directory not found: tests/test_cart.py\"}", "a10");
            return new TracePartition
            {
                TraceId = "t-checkout",
                Successes = events.Where(e => TraceEventKinds.IsSuccess(e.Kind)).ToArray(),
                Failures = events.Where(e => TraceEventKinds.IsFailure(e.Kind)).ToArray(),
                Context = events.Where(e => e.Kind.StartsWith("user_", StringComparison.Ordinal)).ToArray(),
            };
        }

        internal static DistillPrompt Prompt(TracePartition partition, DistillPromptKind kind)
        {
            var events = kind == DistillPromptKind.TraceSuccess ? partition.Successes : partition.Failures;
            return new DistillPrompt
            {
                Kind = kind,
                ExpectedOutput = DistillOutputKind.SkillJsonArray,
                Partition = partition,
                SourceIds = events.Select(e => e.ActionId ?? "").ToArray(),
                Fingerprint = partition.TraceId + kind,
                SourceTokens = events.Sum(e => TokenEstimator.Estimate(e.Data)),
                Text = "prompt",
            };
        }

        private static List<JsonElement> Skills(string json)
        {
            using var doc = JsonDocument.Parse(json);
            Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
            return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }

        private static void AssertShape(JsonElement skill, string source)
        {
            Assert.Equal(JsonValueKind.Object, skill.ValueKind);
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", skill.GetProperty("name").GetString());
            Assert.False(string.IsNullOrWhiteSpace(skill.GetProperty("description").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(skill.GetProperty("when_to_apply").GetString()));
            var scope = skill.GetProperty("scope");
            if (scope.ValueKind == JsonValueKind.String) Assert.Equal("global", scope.GetString());
            else Assert.False(string.IsNullOrEmpty(scope.GetProperty("domain").GetString()));
            Assert.Equal(source, skill.GetProperty("source").GetString());
            Assert.Equal(JsonValueKind.String, skill.GetProperty("domain").ValueKind);
            var trigger = skill.GetProperty("trigger");
            Assert.Equal(JsonValueKind.String, trigger.GetProperty("persona").ValueKind);
            Assert.Equal(JsonValueKind.String, trigger.GetProperty("url_pattern").ValueKind);
            Assert.Equal(JsonValueKind.Array, trigger.GetProperty("task_keywords").ValueKind);
            Assert.Equal(JsonValueKind.String, skill.GetProperty("code").ValueKind);
            Assert.DoesNotContain("<", skill.GetProperty("description").GetString());
        }

        [Fact]
        public void Success_prompt_gives_the_repeated_sequence_and_tool_skills()
        {
            var result = new OfflineDistiller().Distill(Prompt(CheckoutTrace(), DistillPromptKind.TraceSuccess));
            var skills = Skills(result.Text);
            Assert.InRange(skills.Count, 1, 3);
            Assert.Equal(3, skills.Count);
            foreach (var s in skills) AssertShape(s, "success");

            Assert.Equal("grep-then-read-file", skills[0].GetProperty("name").GetString());
            var code = skills[0].GetProperty("code").GetString()!;
            Assert.Contains("grep(pattern={pattern}, path=\"src/\")", code);
            Assert.Contains("\"checkout\", \"total_price\"", code);
            Assert.Contains("read_file(path=\"src/{path}\")", code);
            Assert.Contains("checkout", skills[0].GetProperty("trigger").GetProperty("task_keywords").EnumerateArray().Select(k => k.GetString()));

            Assert.Equal("use-shell-pytest", skills[1].GetProperty("name").GetString());
            Assert.Null(result.Name);
            Assert.Equal("offline", result.Model);
        }

        [Fact]
        public void Failure_prompt_gives_lessons_with_the_retry_that_worked_and_the_user_correction()
        {
            var skills = Skills(new OfflineDistiller().Distill(Prompt(CheckoutTrace(), DistillPromptKind.TraceFailure)).Text);
            Assert.Equal(3, skills.Count);
            foreach (var s in skills) AssertShape(s, "failure");

            // The two identical shell failures are one lesson, and it comes first (most frequent).
            var shell = skills.Single(s => s.GetProperty("name").GetString()!.StartsWith("avoid-shell", StringComparison.Ordinal));
            var description = shell.GetProperty("description").GetString()!;
            Assert.Contains("failed twice", description);
            Assert.Contains("file or directory not found", description);
            Assert.Contains("changed command from \"pytest tests/test_checkout.py\" to \"pytest test/unit/test_checkout.py -q\"", description);
            Assert.Contains("The tests live under test/unit, not tests/", description);
            var code = shell.GetProperty("code").GetString()!;
            Assert.Contains("# worked (action a4):", code);
            Assert.Equal("global", shell.GetProperty("scope").GetString()); // the URL of another lesson is not this one's domain
            Assert.Equal("", shell.GetProperty("domain").GetString());

            var rejected = skills.Single(s => s.GetProperty("name").GetString()!.Contains("web-fetch"));
            Assert.Contains("was rejected", rejected.GetProperty("description").GetString());
            Assert.Equal("pypi.org", rejected.GetProperty("domain").GetString());
            Assert.Equal("pypi.org", rejected.GetProperty("scope").GetProperty("domain").GetString());
            Assert.Equal("https://pypi.org/*", rejected.GetProperty("trigger").GetProperty("url_pattern").GetString());
        }

        [Fact]
        public void Trace_output_is_deterministic()
        {
            foreach (var kind in new[] { DistillPromptKind.TraceSuccess, DistillPromptKind.TraceFailure })
            {
                var a = new OfflineDistiller().Distill(Prompt(CheckoutTrace(), kind)).Text;
                var b = new OfflineDistiller().Distill(Prompt(CheckoutTrace(), kind)).Text;
                Assert.Equal(a, b);
            }
        }

        [Fact]
        public void Odd_payloads_still_give_a_valid_array()
        {
            var events = new[]
            {
                new TraceEvent { TraceId = "odd", Kind = "action_succeeded", Tool = null, Data = "not json at all", ActionId = null, Sequence = 0 },
                new TraceEvent { TraceId = "odd", Kind = "action_succeeded", Tool = "mcp__fs__read", Data = "{\"arguments\":\"{\\\"path\\\":\\\"/etc/hosts\\\"}\"}", Sequence = 1 },
                new TraceEvent { TraceId = "odd", Kind = "action_failed", Tool = "shell", Data = "\"Exit code: 1\"", Sequence = 2 },
                new TraceEvent { TraceId = "odd", Kind = "policy_violation", Tool = "shell", Data = "null", Sequence = 3 },
                new TraceEvent { TraceId = "odd", Kind = "action_failed", Tool = "x", Data = "{\"error\":{\"message\":\"<b>boom</b>\"}}", Sequence = 4 },
            };
            var partition = new TracePartition
            {
                TraceId = "odd",
                Successes = events.Where(e => TraceEventKinds.IsSuccess(e.Kind)).ToArray(),
                Failures = events.Where(e => TraceEventKinds.IsFailure(e.Kind)).ToArray(),
            };
            var success = Skills(new OfflineDistiller().Distill(Prompt(partition, DistillPromptKind.TraceSuccess)).Text);
            Assert.Equal(2, success.Count);
            foreach (var s in success) AssertShape(s, "success");
            Assert.Contains(success, s => s.GetProperty("code").GetString()!.Contains("/etc/hosts"));
            var failure = Skills(new OfflineDistiller().Distill(Prompt(partition, DistillPromptKind.TraceFailure)).Text);
            Assert.Equal(3, failure.Count);
            foreach (var s in failure) AssertShape(s, "failure");
        }

        [Fact]
        public void An_empty_side_is_an_empty_array_and_a_missing_partition_is_an_error()
        {
            var empty = new TracePartition { TraceId = "none" };
            Assert.Empty(Skills(new OfflineDistiller().Distill(Prompt(empty, DistillPromptKind.TraceFailure)).Text));
            var e = Assert.Throws<SkillForgeException>(() => new OfflineDistiller().Distill(new DistillPrompt { Kind = DistillPromptKind.TraceSuccess }));
            Assert.Equal(ErrorIds.PromptInvalidInput, e.ErrorId);
        }
    }
}

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
        public void Success_prompt_never_writes_a_skill_that_only_says_a_tool_worked()
        {
            var result = new OfflineDistiller().Distill(Prompt(CheckoutTrace(), DistillPromptKind.TraceSuccess));
            // grep then read_file happened twice and every tool worked: no use-<tool>, no <tool>-then-<tool>.
            Assert.Empty(Skills(result.Text));
            Assert.Null(result.Name);
            Assert.Equal("offline", result.Model);
        }

        /// <summary>A routine repeated three times: git (one call with an escalation the others lack), read, edit.</summary>
        internal static TracePartition RoutineTrace()
        {
            var events = new List<TraceEvent>();
            void Add(string tool, string data) =>
                events.Add(new TraceEvent { TraceId = "t-routine", Kind = "action_succeeded", Tool = tool, Data = data, ActionId = "r" + events.Count, Sequence = events.Count });
            var git = new[] { "git status", "git log -1", "git diff --stat" };
            for (int i = 0; i < 3; i++)
            {
                var extra = i == 1 ? ",\"sandbox_permissions\":\"require_escalated\"" : "";
                Add("Bash", "{\"input\":{\"command\":\"" + git[i] + "\",\"description\":\"look " + i + "\"" + extra + "}}");
                Add("Read", "{\"input\":{\"file_path\":\"src/f" + i + ".py\"}}");
                Add("Edit", "{\"input\":{\"file_path\":\"src/f" + i + ".py\",\"old_string\":\"a\",\"new_string\":\"b" + i + "\"}}");
            }
            return new TracePartition { TraceId = "t-routine", Successes = events.ToArray() };
        }

        [Fact]
        public void Success_prompt_leaves_routines_to_Find_TracePattern()
        {
            // Even a routine repeated three times in one trace is one trace's habit: workflows need several traces.
            Assert.Empty(Skills(new OfflineDistiller().Distill(Prompt(RoutineTrace(), DistillPromptKind.TraceSuccess)).Text));
            var finder = new SkillForge.Traces.Patterns.TracePatternFinder();
            foreach (var e in RoutineTrace().Successes) finder.Add(e);
            Assert.Empty(finder.Find(new SkillForge.Traces.Patterns.TracePatternOptions { Lessons = false, Workflows = true, MinSupport = 2 }));
        }

        [Fact]
        public void Failure_prompt_gives_one_lesson_per_fixed_failure_with_the_user_correction()
        {
            var skills = Skills(new OfflineDistiller().Distill(Prompt(CheckoutTrace(), DistillPromptKind.TraceFailure)).Text);
            // The two pytest failures are one lesson; the edit and the rejected fetch have no fix in the trace: no lesson.
            var shell = Assert.Single(skills);
            AssertShape(shell, "failure");
            var name = shell.GetProperty("name").GetString()!;
            Assert.DoesNotMatch("^(avoid|use)-", name);
            Assert.StartsWith("pytest-", name);
            var description = shell.GetProperty("description").GetString()!;
            Assert.Contains("file or directory not found", description);
            Assert.Contains("The tests live under test/unit, not tests/", description + shell.GetProperty("code").GetString());
            var code = shell.GetProperty("code").GetString()!;
            Assert.Contains("# worked:", code);
            Assert.Contains("pytest test/unit/test_checkout.py -q", code);
            Assert.Equal("global", shell.GetProperty("scope").GetString());
            Assert.Equal("", shell.GetProperty("domain").GetString());
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
            // Two successes are no routine, and no failure here has a fix: valid, empty arrays.
            Assert.Empty(Skills(new OfflineDistiller().Distill(Prompt(partition, DistillPromptKind.TraceSuccess)).Text));
            Assert.Empty(Skills(new OfflineDistiller().Distill(Prompt(partition, DistillPromptKind.TraceFailure)).Text));
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

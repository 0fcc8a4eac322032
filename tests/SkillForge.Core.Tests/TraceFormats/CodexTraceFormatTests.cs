using System;
using System.IO;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.Tests.Support;
using SkillForge.Traces;
using SkillForge.Traces.Formats;
using Xunit;
using static SkillForge.Tests.TraceFormats.TranscriptKit;

namespace SkillForge.Tests.TraceFormats
{
    public class CodexTraceFormatTests
    {
        private readonly CodexTraceFormat _format = new CodexTraceFormat();

        // Counted independently of this reader (a one-off script over the raw JSONL: function_call_output records
        // paired with function_call ids; metadata.exit_code != 0 or an "error:" / "tool call error" /
        // "failed in sandbox" text = failure). The 7 corrections of the legacy rollout, read by hand: one prompt
        // directly after a failed call ("add that to the pertinent task…"), and six that say the last step was
        // wrong ("no, i want…", "…does not function", "i never said…", "…like i asked…", two pasted ReferenceErrors).
        [RealDataTheory]
        [InlineData("codex/codex-session-viewer-legacy/example.jsonl", "cf4def41-21e0-4b91-adb4-5397c1492084", 246, 21, 0, 0, 7, 38)]
        [InlineData("codex/agent-history-real-sessions/session-01.jsonl", "019e9625-802f-7e91-840a-cfe88d14117a", 0, 0, 0, 0, 0, 1)]
        public void Real_rollouts_give_the_independently_counted_actions_and_failures(
            string file, string traceId, int actions, int failures, int rejections, int policy, int corrections, int prompts)
        {
            var result = Read(_format, TestPaths.RealDataFile(file));

            Assert.Empty(result.Errors);
            AssertWellFormed(result.Events);
            Assert.All(result.Events, e => Assert.Equal(traceId, e.TraceId));
            Assert.Equal(new Counts(actions, failures, rejections, policy, corrections, prompts, 0), CountsOf(result.Events));
        }

        [RealDataFact]
        public void Real_rollouts_are_recognised_by_auto_detection_and_keep_exit_codes()
        {
            foreach (var file in Directory.GetFiles(TestPaths.RealDataFile("codex"), "*.jsonl", SearchOption.AllDirectories))
            {
                var sample = Sample(file);
                Assert.True(_format.Recognizes(sample), file);
                Assert.False(new ClaudeCodeTraceFormat().Recognizes(sample), file);
                Assert.Equal(TraceFormat.Codex, TraceFormatRegistry.All.First(f => f.Recognizes(sample)).Format);
            }

            var legacy = Read(_format, TestPaths.RealDataFile("codex/codex-session-viewer-legacy/example.jsonl"));
            var exit2 = legacy.Events.Single(e => e.Data.Contains("\"exit_code\":2", StringComparison.Ordinal));
            Assert.Equal(TraceEventKinds.ActionFailed, exit2.Kind);
            Assert.Equal("shell", exit2.Tool);
            Assert.Equal("bash", Data(exit2).GetProperty("input").GetProperty("command")[0].GetString());
            Assert.Contains("\"gitBranch\":\"main\"", exit2.StateBefore);
            Assert.Null(exit2.Timestamp); // the legacy envelope has no per-line timestamps
            Assert.Equal(5, legacy.Events.Count(e => (DataString(e, "error") ?? "").StartsWith("failed in sandbox", StringComparison.Ordinal)));
            Assert.Equal(7, legacy.Events.Count(e => (DataString(e, "error") ?? "").StartsWith("tool call error", StringComparison.Ordinal)));
        }

        [Theory]
        [InlineData("Codex", "rollout-7.jsonl")]
        [InlineData("Codex", "rollout-7.jsonl.gz")]
        [InlineData("ClaudeCode", "rollout-7.jsonl")]
        [InlineData("ClaudeCode", "rollout-7.jsonl.gz")]
        public void A_transcript_without_a_session_id_is_named_after_its_file_gzip_or_not(string format, string name)
        {
            // Neither record names its session: the trace id is the file name without .jsonl (and .gz), as for every format.
            var (reader, content) = format == "Codex"
                ? ((ITraceFormat)_format, "{\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"fix the cart total\"}]}}\n")
                : (new ClaudeCodeTraceFormat(), "{\"type\":\"user\",\"uuid\":\"u1\",\"message\":{\"role\":\"user\",\"content\":\"fix the cart total\"}}\n");

            var result = ReadText(reader, content, name);

            Assert.Empty(result.Errors);
            Assert.NotEmpty(result.Events);
            Assert.All(result.Events, e => Assert.Equal("rollout-7", e.TraceId));
        }

        [Fact]
        public void Current_envelope_pairs_calls_decides_outcomes_and_counts_duplicates_once()
        {
            var result = Read(_format, Fixture("codex/current.jsonl"));
            Assert.Empty(result.Errors);
            AssertWellFormed(result.Events);
            Assert.All(result.Events, e => Assert.Equal("0199aa10-1111-7222-8333-944455556666", e.TraceId));

            Assert.Equal(new[]
            {
                "user_prompt", "action_succeeded", "action_failed", "action_succeeded", "policy_violation", "action_rejected",
                "assistant_note", "user_correction", "action_failed", "action_failed", "user_interrupt", "user_correction", "action_succeeded",
            }, result.Events.Select(e => e.Kind).ToArray());
            Assert.Equal(new[] { "call_rg", "call_patch1", "call_patch2", "call_pip", "call_escalate", "call_venv", "call_hang", "call_local" },
                result.Events.Where(IsAction).Select(e => e.ActionId).ToArray());
            Assert.Equal(new Counts(8, 5, 1, 1, 2, 1, 1), CountsOf(result.Events));

            var rg = result.Action("call_rg");
            Assert.Equal("shell_command", rg.Tool);
            Assert.Equal(200, rg.DurationMs);
            Assert.Equal("rg -n total src/cart.py", Data(rg).GetProperty("input").GetProperty("command").GetString());
            Assert.Equal(0, Data(rg).GetProperty("exit_code").GetInt32());
            Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 2, 100, TimeSpan.Zero), rg.Timestamp);
            Assert.Equal("{\"cwd\":\"/home/dev/shop\",\"gitBranch\":\"fix/cart\",\"approval_policy\":\"on-request\",\"sandbox_policy\":\"workspace-write\"}", rg.StateBefore);

            var patch = result.Action("call_patch1");
            Assert.Equal("apply_patch", patch.Tool);
            Assert.StartsWith("apply_patch verification failed", DataString(patch, "error"));
            Assert.StartsWith("*** Begin Patch", Data(patch).GetProperty("input").GetString());
            Assert.Equal(60, patch.DurationMs);

            Assert.Contains("Permission denied", DataString(result.Action("call_pip"), "error"));
            Assert.Equal("exec command rejected by user", DataString(result.Action("call_escalate"), "error"));
            Assert.Equal("call_escalate", DataString(result.Events[7], "corrects_action_id"));
            Assert.Equal("use the venv in .venv, do not install anything", DataString(result.Events[7], "text"));

            var venv = result.Action("call_venv");
            Assert.Equal(3800, venv.DurationMs);
            Assert.Equal(1, Data(venv).GetProperty("exit_code").GetInt32());

            var hang = result.Action("call_hang");
            Assert.Equal("no result recorded (session ended or was interrupted)", DataString(hang, "error"));
            Assert.Equal("interrupted", DataString(result.Events[10], "reason"));
            Assert.Equal("call_hang", DataString(result.Events[11], "corrects_action_id"));

            Assert.Equal("local_shell", result.Action("call_local").Tool);
            // update_plan never got an output and no abort followed: left out.
            Assert.DoesNotContain(result.Events, e => e.ActionId == "call_plan");
            Assert.DoesNotContain(result.Events, e => e.Data.Contains("environment_context", StringComparison.Ordinal));
        }

        [Fact]
        public void Legacy_envelope_is_read_and_a_bad_line_is_a_record_error()
        {
            var path = Fixture("codex/legacy.jsonl");
            var result = Read(_format, path);
            AssertWellFormed(result.Events);
            Assert.All(result.Events, e => Assert.Equal("5e0b7c2a-3f1d-4d55-9a0e-1b2c3d4e5f60", e.TraceId));

            Assert.Equal(new[] { "user_prompt", "action_failed", "action_failed", "assistant_note", "user_correction", "action_failed", "action_succeeded" },
                result.Events.Select(e => e.Kind).ToArray());
            var build = result.Action("call_build");
            Assert.Equal(4200, build.DurationMs);
            Assert.Equal(101, Data(build).GetProperty("exit_code").GetInt32());
            Assert.Equal("{\"gitBranch\":\"main\"}", build.StateBefore);
            Assert.StartsWith("error: Failed to find expected lines", DataString(result.Action("call_fix"), "error"));
            Assert.Equal("call_fix", DataString(result.Events[4], "corrects_action_id"));

            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Equal(18, error.Line);
            Assert.Equal(path, error.SourceFile);
            Assert.Equal("not json at all", error.Snippet);
        }

        [Fact]
        public void An_end_event_decides_when_the_output_record_never_comes_and_an_early_output_waits_for_its_call()
        {
            var text =
                "{\"timestamp\":\"2026-03-02T10:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"sess-end\"}}\n" +
                "{\"timestamp\":\"2026-03-02T10:00:01Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{\\\"command\\\":[\\\"false\\\"]}\",\"call_id\":\"c1\"}}\n" +
                "{\"timestamp\":\"2026-03-02T10:00:02Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"exec_command_end\",\"call_id\":\"c1\",\"exit_code\":1,\"aggregated_output\":\"\",\"duration\":{\"secs\":1,\"nanos\":500000000}}}\n" +
                "{\"timestamp\":\"2026-03-02T10:00:03Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"c2\",\"output\":\"ok\"}}\n" +
                "{\"timestamp\":\"2026-03-02T10:00:04Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"not json {\",\"call_id\":\"c2\"}}\n" +
                "{\"timestamp\":\"2026-03-02T10:00:05Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"c2\",\"output\":\"again\"}}\n";

            var result = ReadText(_format, text);

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { "c2", "c1" }, result.Events.Select(e => e.ActionId).ToArray());
            Assert.Equal(TraceEventKinds.ActionSucceeded, result.Action("c2").Kind);
            Assert.Equal("not json {", Data(result.Action("c2")).GetProperty("input").GetString());
            Assert.Equal("ok", DataString(result.Action("c2"), "output"));
            var c1 = result.Action("c1");
            Assert.Equal(TraceEventKinds.ActionFailed, c1.Kind);
            Assert.Equal(1500, c1.DurationMs);
            Assert.Equal("exit code 1", DataString(c1, "error"));
            Assert.All(result.Events, e => Assert.Equal("sess-end", e.TraceId));
        }

        [Theory]
        [InlineData("codex/current.jsonl")]
        [InlineData("codex/legacy.jsonl")]
        public void Fixtures_are_recognised_as_codex_only(string fixture)
        {
            var sample = Sample(Fixture(fixture));
            Assert.True(_format.Recognizes(sample));
            Assert.False(new ClaudeCodeTraceFormat().Recognizes(sample));
            Assert.Equal(TraceFormat.Codex, TraceFormatRegistry.All.First(f => f.Recognizes(sample)).Format);
        }

        [Fact]
        public void A_legacy_session_line_longer_than_the_sample_is_still_recognised()
        {
            var head = "{\"id\":\"5e0b7c2a\",\"timestamp\":\"2025-08-20T14:03:11.000Z\",\"instructions\":\"" + new string('a', 70_000);
            Assert.True(_format.Recognizes(SampleOf(head.Substring(0, 64 * 1024))));
        }

        [Fact]
        public void A_session_meta_line_longer_than_the_sample_is_still_recognised()
        {
            var head = "{\"timestamp\":\"2026-03-02T10:00:00.000Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"s\",\"base_instructions\":{\"text\":\"" + new string('a', 70_000);
            Assert.True(_format.Recognizes(SampleOf(head.Substring(0, 64 * 1024))));
            Assert.False(new ClaudeCodeTraceFormat().Recognizes(SampleOf(head.Substring(0, 64 * 1024))));
        }

        [Theory]
        [InlineData("{\"trace_id\":\"t1\",\"kind\":\"action_failed\",\"action_id\":\"a1\",\"type\":\"function_call\"}\n")]
        [InlineData("{\"trace_id\":\"t1\",\"kind\":\"action_failed\",\"action_id\":\"a1\"}\n{\"type\":\"event_msg\",\"payload\":{}}\n")]
        [InlineData("{\"type\":\"user\",\"sessionId\":\"s\",\"uuid\":\"u\",\"message\":{\"content\":\"hi\"}}\n")]
        [InlineData("{\"id\":\"x\",\"timestamp\":\"2025-01-01T00:00:00Z\"}\n{\"type\":\"message\"}\n")]
        [InlineData("{\"id\":\"x\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"git\":{}}\n{\"kind\":\"note\"}\n")]
        [InlineData("{\"type\":\"response_item\",\"payload\":\"text\"}\n")]
        [InlineData("")]
        public void Other_files_are_not_claimed(string head) => Assert.False(_format.Recognizes(SampleOf(head)));

        [Fact]
        public void A_large_rollout_streams_without_holding_finished_calls()
        {
            // 20k calls, each answered: nothing stays pending, every call is emitted once, numbered in order.
            var sb = new StringBuilder("{\"timestamp\":\"2026-03-02T10:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"big\"}}\n");
            for (int i = 0; i < 20_000; i++)
            {
                sb.Append("{\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{}\",\"call_id\":\"c").Append(i).Append("\"}}\n");
                sb.Append("{\"type\":\"event_msg\",\"payload\":{\"type\":\"token_count\",\"info\":null}}\n");
                sb.Append("{\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"c").Append(i)
                  .Append("\",\"output\":\"Exit code: ").Append(i % 10 == 0 ? 1 : 0).Append("\\nOutput:\\n\"}}\n");
            }
            var result = ReadText(_format, sb.ToString());
            Assert.Empty(result.Errors);
            Assert.Equal(20_000, result.Events.Count);
            Assert.Equal(2_000, result.Events.Count(e => e.Kind == TraceEventKinds.ActionFailed));
            Assert.Equal(Enumerable.Range(0, 20_000), result.Events.Select(e => e.Sequence));
        }
    }
}

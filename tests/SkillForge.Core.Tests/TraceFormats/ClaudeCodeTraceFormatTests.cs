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
    public class ClaudeCodeTraceFormatTests
    {
        private readonly ClaudeCodeTraceFormat _format = new ClaudeCodeTraceFormat();

        // Counted independently of this reader (a one-off script over the raw JSONL: tool_result blocks paired with
        // tool_use ids, is_error, the decline/permission texts, user text turns that are not isMeta or injected).
        [RealDataTheory]
        [InlineData("claude-code/claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl", "1af7fc5e-8455-4414-9ccd-011d40f70b2a", 12, 1, 0, 1, 0, 0)]
        [InlineData("claude-code/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl", "5c0375b4-57a5-4f26-b12d-d022ee4e51b7", 13, 2, 0, 0, 0, 1)]
        [InlineData("claude-code/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl", "5c0375b4-57a5-4f26-b12d-d022ee4e51b7/sidechain", 8, 1, 0, 0, 0, 2)]
        [InlineData("claude-code/claude-reliability/coverage-test-fix/transcript.jsonl", "c64cc478-3430-40fe-8e9c-4ee9986e9754", 13, 1, 0, 0, 0, 1)]
        [InlineData("claude-code/claude-reliability/python-to-rust-port/transcript.jsonl", "c7d3d95c-57f0-4359-8f4b-926a9bef5a3f", 39, 0, 0, 0, 0, 1)]
        [InlineData("claude-code/claude-reliability/stop-hook-reflection-first-stop/transcript.jsonl", "cb88ae13-898d-4076-aeb5-bc37191c5d2e", 4, 0, 0, 0, 0, 1)]
        public void Real_sessions_give_the_independently_counted_actions_and_failures(
            string file, string traceId, int actions, int failures, int rejections, int policy, int corrections, int prompts)
        {
            var result = Read(_format, TestPaths.RealDataFile(file));

            Assert.Empty(result.Errors);
            AssertWellFormed(result.Events);
            var counts = CountsOf(result.Trace(traceId));
            Assert.Equal(new Counts(actions, failures, rejections, policy, corrections, prompts, 0), counts);
        }

        [RealDataFact]
        public void Real_sessions_keep_sidechains_apart_and_are_recognised_by_auto_detection()
        {
            var dir = TestPaths.RealDataFile("claude-code");
            foreach (var file in Directory.GetFiles(dir, "*.jsonl", SearchOption.AllDirectories))
            {
                var sample = Sample(file);
                Assert.True(_format.Recognizes(sample), file);
                Assert.False(new CodexTraceFormat().Recognizes(sample), file);
                Assert.Equal(TraceFormat.ClaudeCode, TraceFormatRegistry.All.First(f => f.Recognizes(sample)).Format);
            }

            var viewer = Read(_format, TestPaths.RealDataFile("claude-code/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl"));
            Assert.Equal(
                new[] { "5c0375b4-57a5-4f26-b12d-d022ee4e51b7", "5c0375b4-57a5-4f26-b12d-d022ee4e51b7/sidechain" },
                viewer.Events.Select(e => e.TraceId).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray());
            // The slash command with arguments is the user's prompt; its expanded body (isMeta) is not.
            Assert.Equal("/orchestrator @CLAUDE.md を最新の状態にアップデートしてください",
                DataString(viewer.Events.First(e => e.Kind == TraceEventKinds.UserPrompt), "text"));
        }

        [RealDataFact]
        public void Real_bash_failure_keeps_input_error_duration_and_state()
        {
            var result = Read(_format, TestPaths.RealDataFile("claude-code/claude-reliability/coverage-test-fix/transcript.jsonl"));
            var failed = result.Events.Single(e => e.Kind == TraceEventKinds.ActionFailed);

            Assert.Equal("Bash", failed.Tool);
            Assert.StartsWith("toolu_", failed.ActionId);
            Assert.StartsWith("Exit code 1", DataString(failed, "error"));
            Assert.Contains("git commit", Data(failed).GetProperty("input").GetProperty("command").GetString());
            Assert.True(failed.DurationMs > 0);
            Assert.NotNull(failed.Timestamp);
            Assert.Equal("{\"cwd\":\"/tmp/tmpw6sk2trg\",\"gitBranch\":\"master\"}", failed.StateBefore);

            // Read results carry a <system-reminder>; it is not part of the output.
            Assert.All(result.Events.Where(e => e.Tool == "Read"), e => Assert.DoesNotContain("system-reminder", e.Data));
        }

        [Fact]
        public void A_declined_tool_use_is_rejected_and_its_feedback_corrects_it()
        {
            var result = Read(_format, Fixture("claude-code/declined-tool-use.jsonl"));
            Assert.Empty(result.Errors);
            AssertWellFormed(result.Events);

            Assert.Equal(
                new[] { "user_prompt", "action_rejected", "user_correction", "action_succeeded", "user_prompt", "action_rejected", "user_interrupt" },
                result.Events.Select(e => e.Kind).ToArray());
            Assert.All(result.Events, e => Assert.Equal("s-declined", e.TraceId));

            var declined = result.Action("toolu_edit1");
            Assert.Equal("Edit", declined.Tool);
            Assert.Equal(7500, declined.DurationMs);
            Assert.StartsWith("The user doesn't want to proceed", DataString(declined, "error"));
            Assert.Equal("/work/app/config.py", Data(declined).GetProperty("input").GetProperty("file_path").GetString());

            var correction = result.Events[2];
            Assert.Equal("keep the tabs, only fix the trailing whitespace", DataString(correction, "text"));
            Assert.Equal("toolu_edit1", DataString(correction, "corrects_action_id"));

            Assert.Equal(new Counts(3, 2, 2, 0, 1, 2, 1), CountsOf(result.Events));
        }

        [Fact]
        public void An_interrupt_fails_the_unanswered_call_and_the_next_prompts_correct_failures()
        {
            var result = Read(_format, Fixture("claude-code/interrupt.jsonl"));
            Assert.Empty(result.Errors);
            AssertWellFormed(result.Events);

            Assert.Equal(
                new[] { "user_prompt", "assistant_note", "action_failed", "user_interrupt", "user_correction", "action_failed", "user_correction" },
                result.Events.Select(e => e.Kind).ToArray());

            var stopped = result.Action("toolu_long");
            Assert.Equal("no result recorded (session ended or was interrupted)", DataString(stopped, "error"));
            Assert.Equal(118800, stopped.DurationMs);
            Assert.Equal("{\"cwd\":\"/work/app\",\"gitBranch\":\"feature/x\"}", stopped.StateBefore);

            Assert.Equal("toolu_long", DataString(result.Events[4], "corrects_action_id"));
            Assert.Equal("toolu_unit", DataString(result.Events[6], "corrects_action_id"));
            Assert.Equal("Please fix the parser then", DataString(result.Events[6], "text"));

            // The last call never got a result and no interrupt followed: it is left out.
            Assert.DoesNotContain(result.Events, e => e.ActionId == "toolu_never");
        }

        [Fact]
        public void Permission_denials_and_hook_blocks_are_policy_violations_but_a_non_blocking_hook_is_not()
        {
            var result = Read(_format, Fixture("claude-code/policy.jsonl"));
            Assert.Empty(result.Errors);
            AssertWellFormed(result.Events);

            Assert.Equal(TraceEventKinds.PolicyViolation, result.Action("toolu_rm").Kind);
            Assert.Contains("hook blocked this command", DataString(result.Action("toolu_rm"), "error"));
            Assert.Equal(TraceEventKinds.PolicyViolation, result.Action("toolu_push").Kind);
            Assert.Equal(TraceEventKinds.ActionFailed, result.Action("toolu_lint").Kind);
            Assert.Equal(TraceEventKinds.PolicyViolation, result.Action("toolu_hook2").Kind);
            Assert.Equal("{\"cwd\":\"/srv/repo\"}", result.Action("toolu_push").StateBefore);
            Assert.Equal(new Counts(4, 4, 0, 3, 0, 1, 0), CountsOf(result.Events));
        }

        [Fact]
        public void A_sidechain_keeps_its_own_trace_id_and_sequence()
        {
            var result = Read(_format, Fixture("claude-code/sidechain.jsonl"));
            Assert.Empty(result.Errors);
            AssertWellFormed(result.Events);

            var main = result.Trace("s-side");
            var side = result.Trace("s-side/a7f3c2e1");
            Assert.Equal(new[] { "user_prompt", "action_succeeded", "assistant_note" }, main.Select(e => e.Kind).ToArray());
            Assert.Equal(new[] { "user_prompt", "action_failed", "action_succeeded", "assistant_note" }, side.Select(e => e.Kind).ToArray());
            Assert.Equal("Task", main[1].Tool);
            Assert.Equal("<tool_use_error>File does not exist.</tool_use_error>", DataString(side[1], "error"));
            Assert.Equal(main.Count + side.Count, result.Events.Count);
        }

        [Fact]
        public void Duplicates_split_messages_injected_text_images_and_a_bad_line_are_handled()
        {
            var path = Fixture("claude-code/noise.jsonl");
            var result = Read(_format, path);
            AssertWellFormed(result.Events);

            // Duplicated uuid (lines 4-5 and 9-10) counted once; the split message (lines 6-9, one message.id) is one note.
            Assert.Equal(
                new[] { "user_prompt", "assistant_note", "action_succeeded", "action_succeeded", "user_prompt" },
                result.Events.Select(e => e.Kind).ToArray());
            Assert.Equal("Why does the build fail? Screenshot attached.", DataString(result.Events[0], "text"));
            Assert.Equal("I'll check the build log and the config.", DataString(result.Events[1], "text"));
            Assert.Equal(new[] { "toolu_log", "toolu_cfg" }, result.Events.Where(IsAction).Select(e => e.ActionId).ToArray());
            Assert.Equal("     1→{\"name\": \"app\"}", DataString(result.Action("toolu_cfg"), "output"));
            Assert.Equal("/review build.json target field", DataString(result.Events[4], "text"));
            Assert.DoesNotContain(result.Events, e => e.Data.Contains("iVBORw0KGgo", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Events, e => e.Data.Contains("system-reminder", StringComparison.Ordinal));

            var error = Assert.Single(result.Errors);
            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Equal(14, error.Line);
            Assert.Equal(path, error.SourceFile);
            Assert.Contains("line 14", error.Message);
            Assert.Contains("\"uuid\":\"n12\"", error.Snippet);
        }

        [Fact]
        public void A_base64_image_line_of_several_megabytes_is_read_and_dropped()
        {
            var rng = new Random(7);
            var bytes = new byte[6 * 1024 * 1024];
            rng.NextBytes(bytes);
            var image = Convert.ToBase64String(bytes); // 8 MB of base64 text on one line
            const string s = "\"sessionId\":\"s-img\",\"cwd\":\"/w\"";
            var sb = new StringBuilder();
            sb.Append("{\"type\":\"assistant\",").Append(s).Append(",\"uuid\":\"a1\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"message\":{\"id\":\"m1\",\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_shot\",\"name\":\"Read\",\"input\":{\"file_path\":\"/w/shot.png\"}}]}}\n");
            sb.Append("{\"type\":\"user\",").Append(s).Append(",\"uuid\":\"u1\",\"timestamp\":\"2026-01-01T00:00:01Z\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_shot\",\"content\":[{\"type\":\"text\",\"text\":\"Read image (6.0MB)\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"")
              .Append(image).Append("\"}}]}]}}\n");
            sb.Append("{\"type\":\"user\",").Append(s).Append(",\"uuid\":\"u2\",\"timestamp\":\"2026-01-01T00:00:02Z\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"")
              .Append(image).Append("\"}},{\"type\":\"text\",\"text\":\"Here is the broken layout\"}]}}\n");

            var result = ReadText(_format, sb.ToString());

            Assert.Empty(result.Errors);
            Assert.Equal(new[] { "action_succeeded", "user_prompt" }, result.Events.Select(e => e.Kind).ToArray());
            Assert.Equal("Read image (6.0MB)", DataString(result.Events[0], "output"));
            Assert.Equal("Here is the broken layout", DataString(result.Events[1], "text"));
            Assert.All(result.Events, e => Assert.True(e.Data.Length < 1000));
        }

        [Fact]
        public void Long_outputs_and_inputs_are_truncated_with_a_marker()
        {
            var output = new string('x', 50_000);
            var content = new string('y', 10_000);
            const string s = "\"sessionId\":\"s-long\"";
            var text =
                "{\"type\":\"assistant\"," + s + ",\"uuid\":\"a1\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_w\",\"name\":\"Write\",\"input\":{\"file_path\":\"/a\",\"content\":\"" + content + "\"}}]}}\n" +
                "{\"type\":\"user\"," + s + ",\"uuid\":\"u1\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_w\",\"content\":\"" + output + "\"}]}}\n";

            var e = Assert.Single(ReadText(_format, text, "long.jsonl").Events);

            Assert.Equal("s-long", e.TraceId);
            Assert.Equal(new string('x', TranscriptText.OutputLimit) + "…[truncated 46000 chars]", DataString(e, "output"));
            Assert.Equal(new string('y', TranscriptText.InputStringLimit) + "…[truncated 8000 chars]",
                Data(e).GetProperty("input").GetProperty("content").GetString());
            Assert.Equal("/a", Data(e).GetProperty("input").GetProperty("file_path").GetString());
            Assert.Null(e.DurationMs); // no timestamps in these records
        }

        [Fact]
        public void Records_without_a_session_id_take_the_file_name_and_bad_shapes_are_record_errors()
        {
            var text =
                "[1,2,3]\n" +
                "{\"type\":\"user\",\"uuid\":\"u1\"}\n" +
                "{\"type\":\"user\",\"uuid\":\"u2\",\"message\":{\"content\":\"hello there\"}}\n" +
                "{\"type\":\"brand-new-kind\",\"uuid\":\"u3\",\"sessionId\":\"x\"}\n";

            var result = ReadText(_format, text, "/tmp/abc-123.jsonl");

            Assert.Equal(new long[] { 1, 2 }, result.Errors.Select(e => e.Line).ToArray());
            Assert.All(result.Errors, e => Assert.Equal(ErrorIds.TraceInvalidRecord, e.ErrorId));
            var prompt = Assert.Single(result.Events);
            Assert.Equal("abc-123", prompt.TraceId);
            Assert.Equal("/tmp/abc-123.jsonl", prompt.SourceFile);
            Assert.Equal(3, prompt.SourceLine);
        }

        [Fact]
        public void Reading_stops_when_cancelled()
        {
            using var cts = new System.Threading.CancellationTokenSource();
            using var stream = File.OpenRead(Fixture("claude-code/interrupt.jsonl"));
            var events = _format.Read(stream, "interrupt.jsonl", cts.Token).GetEnumerator();
            Assert.True(events.MoveNext());
            cts.Cancel();
            Assert.Throws<OperationCanceledException>(() => { while (events.MoveNext()) { } });
        }

        [Theory]
        [InlineData("claude-code/declined-tool-use.jsonl")]
        [InlineData("claude-code/interrupt.jsonl")]
        [InlineData("claude-code/policy.jsonl")]
        [InlineData("claude-code/sidechain.jsonl")]
        [InlineData("claude-code/noise.jsonl")]
        public void Fixtures_are_recognised_as_claude_code_only(string fixture)
        {
            var sample = Sample(Fixture(fixture));
            Assert.True(_format.Recognizes(sample));
            Assert.False(new CodexTraceFormat().Recognizes(sample));
            Assert.Equal(TraceFormat.ClaudeCode, TraceFormatRegistry.All.First(f => f.Recognizes(sample)).Format);
        }

        [Theory]
        [InlineData("{\"trace_id\":\"t1\",\"kind\":\"action_succeeded\",\"action_id\":\"a1\",\"tool\":\"bash\",\"data\":{}}\n")]
        [InlineData("{\"trace_id\":\"t1\",\"kind\":\"user_prompt\",\"action_id\":null,\"type\":\"user\",\"sessionId\":\"s\",\"uuid\":\"u\"}\n")]
        [InlineData("{\"type\":\"summary\",\"summary\":\"only a summary\",\"leafUuid\":\"x\"}\n")]
        [InlineData("{\"timestamp\":\"2026-01-01T00:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"s\"}}\n")]
        [InlineData("not json\n")]
        [InlineData("")]
        public void Other_files_are_not_claimed(string head)
        {
            Assert.False(_format.Recognizes(SampleOf(head)));
        }

        [Theory]
        [InlineData("")]
        [InlineData("{\"type\":\"summary\",\"summary\":\"x\",\"leafUuid\":\"y\"}\n")]
        public void A_first_user_record_longer_than_the_sample_is_judged_by_its_leading_keys(string before)
        {
            var head = before + "{\"parentUuid\":null,\"isSidechain\":false,\"sessionId\":\"s\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"data\":\"" + new string('A', 70_000);
            Assert.True(_format.Recognizes(SampleOf(head.Substring(0, 64 * 1024))));
            Assert.False(new CodexTraceFormat().Recognizes(SampleOf(head.Substring(0, 64 * 1024))));
            var skillForge = "{\"kind\":\"user_prompt\",\"sessionId\":\"s\",\"type\":\"user\",\"parentUuid\":null,\"data\":\"" + new string('A', 70_000);
            Assert.False(_format.Recognizes(SampleOf(skillForge.Substring(0, 64 * 1024))));
        }

        [Fact]
        public void A_record_after_bookkeeping_lines_is_enough_to_recognise_a_session()
        {
            var head =
                "{\"type\":\"summary\",\"summary\":\"Fix build\",\"leafUuid\":\"x\"}\n" +
                "{\"type\":\"file-history-snapshot\",\"messageId\":\"m\",\"snapshot\":{}}\n" +
                "{\"type\":\"user\",\"sessionId\":\"s\",\"uuid\":\"u\",\"message\":{\"content\":\"hi\"}}\n" +
                "{\"type\":\"assistant\",\"sessionId\":\"s\",\"uu"; // the 64 KiB head may end mid-record
            Assert.True(_format.Recognizes(SampleOf(head)));
        }
    }

    public class ClaudeCodeTranscriptTextTests
    {
        [Theory]
        [InlineData("no, only the unit tests")]
        [InlineData("No. Use the other config")]
        [InlineData("That's wrong, undo the rounding change")]
        [InlineData("that\u2019s not what I asked for")]
        [InlineData("i never said to rewrite that file")]
        [InlineData("the load function does not function")]
        [InlineData("It still doesn't work")]
        [InlineData("please revert it")]
        [InlineData("try again with the flag")]
        [InlineData("move it out like i asked")]
        [InlineData("That's almost right. But the header is missing")]
        [InlineData("hook.js:608 [ErrorBoundary:App] ReferenceError: React is not defined")]
        [InlineData("Traceback (most recent call last):\n  File \"x.py\"")]
        public void Corrections_are_recognised(string prompt) => Assert.True(TranscriptText.LooksLikeCorrection(prompt));

        [Theory]
        [InlineData("Add a --version flag to the CLI")]
        [InlineData("nothing else to do, thanks")]
        [InlineData("note in memory and proceed until completed in full")]
        [InlineData("fetch latest docs on vite and setup error logging for the dev")]
        [InlineData("Know what? Add tests too")]
        public void Ordinary_prompts_are_not_corrections(string prompt) => Assert.False(TranscriptText.LooksLikeCorrection(prompt));

        [Fact]
        public void A_correction_word_deep_inside_a_long_request_does_not_count()
        {
            var prompt = "Please build the export page. " + new string('x', 500) + " and do not undo the old fix";
            Assert.False(TranscriptText.LooksLikeCorrection(prompt));
        }

        [Fact]
        public void Truncation_names_the_dropped_length_and_never_splits_a_surrogate_pair()
        {
            Assert.Equal("short", TranscriptText.Truncate("short", 10));
            Assert.Equal("abc…[truncated 3 chars]", TranscriptText.Truncate("abcdef", 3));
            var emoji = "ab\U0001F600cd"; // a, b, high, low, c, d
            Assert.Equal("ab…[truncated 4 chars]", TranscriptText.Truncate(emoji, 3));
        }
    }
}

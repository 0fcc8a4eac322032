using System.Linq;
using System.Text.Json;
using SkillForge.Diagnostics;
using SkillForge.Tests.MemoryFormats;
using SkillForge.Tests.Support;
using SkillForge.Traces.Formats;
using Xunit;

namespace SkillForge.Tests.TraceFormats
{
    public class OTelTraceFormatTests
    {
        private static readonly OTelTraceFormat Reader = new OTelTraceFormat();

        // Counted independently from the files (execute_tool spans, invoke_agent roots, trace ids).
        [RealDataTheory]
        [InlineData("AGNO_trace.json", 2, "39712373237291850001929057769826244787")]
        [InlineData("GOOGLE_trace.json", 3, "273475590164507581703505203264503192396")]
        [InlineData("LANGCHAIN_trace.json", 2, "115825058289444712299650141807529952578")]
        [InlineData("OPENAI_trace.json", 2, "100927429609276267646756448943279827607")]
        [InlineData("SMOLAGENTS_trace.json", 3, "193014249579837554382251753808266698816")]
        public void Any_agent_exports_give_one_action_per_tool_span_and_one_note(string file, int actions, string traceId)
        {
            var path = TestPaths.RealDataFile("otel-genai/any-agent/" + file);
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (events, errors) = FormatHarness.ReadTrace(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(actions, events.Count(e => e.Kind == "action_succeeded"));
            Assert.Equal(0, events.Count(e => e.Kind == "action_failed" || e.Kind == "policy_violation"));
            Assert.Equal(1, events.Count(e => e.Kind == "assistant_note"));
            Assert.Equal(actions + 1, events.Count);
            Assert.All(events, e => Assert.Equal(traceId, e.TraceId));
            Assert.Equal("assistant_note", events[0].Kind); // the root starts first, wherever the file lists it
            Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Sequence));
            Assert.Equal(events.OrderBy(e => e.Timestamp).Select(e => e.Sequence), events.Select(e => e.Sequence));
            Assert.Equal("get_current_time", events[1].Tool);
            Assert.Equal("write_file", events[2].Tool);
        }

        [RealDataFact]
        public void Tool_call_ids_are_used_when_present_and_arguments_and_results_are_json()
        {
            var (events, _) = FormatHarness.ReadTrace(Reader, TestPaths.RealDataFile("otel-genai/any-agent/AGNO_trace.json"));
            var first = events.Single(e => e.ActionId == "LlAGPjfO0");
            Assert.Equal("get_current_time", first.Tool);
            Assert.Equal(3.165, first.DurationMs!.Value, 6);
            using var data = JsonDocument.Parse(first.Data);
            Assert.Equal("America/New_York", data.RootElement.GetProperty("arguments").GetProperty("timezone").GetString());
            Assert.Equal("America/New_York", data.RootElement.GetProperty("result").GetProperty("timezone").GetString());
            Assert.Equal(JsonValueKind.Null, data.RootElement.GetProperty("error").ValueKind);
            Assert.Equal("wzCUjvRq4", events[2].ActionId);
        }

        [RealDataFact]
        public void Without_a_tool_call_id_the_span_id_is_the_action_id_as_exact_decimal_text()
        {
            var (events, _) = FormatHarness.ReadTrace(Reader, TestPaths.RealDataFile("otel-genai/any-agent/OPENAI_trace.json"));
            // 13687147528289423029 exceeds Int64: it must come through as text, not a rounded double.
            Assert.Equal("13687147528289423029", events[1].ActionId);
            Assert.Equal("3402142098134531952", events[2].ActionId);
            Assert.Equal(2.52, events[1].DurationMs!.Value, 6);
            using var note = JsonDocument.Parse(events[0].Data);
            Assert.Equal("any_agent", note.RootElement.GetProperty("agent").GetString());
        }

        [Fact]
        public void Failing_spans_become_action_failed_with_the_error_and_bad_spans_are_reported()
        {
            var path = FormatHarness.Fixture("otel/failing-tool-span.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (events, errors) = FormatHarness.ReadTrace(Reader, path);

            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Equal(6, error.Line);
            Assert.Contains("failing-tool-span.json", error.Message);

            Assert.Equal(new[] { "assistant_note", "action_failed", "action_succeeded", "action_failed" }, events.Select(e => e.Kind));
            Assert.All(events, e => Assert.Equal("340282366920938463463374607431768211455", e.TraceId));
            Assert.Equal("18446744073709551615", events[0].ActionId);

            var missing = events[1];
            Assert.Equal("call_read_1", missing.ActionId);
            Assert.Equal("read_file", missing.Tool);
            Assert.Equal(500, missing.DurationMs!.Value, 6);
            Assert.Equal(4, missing.SourceLine);
            using (var data = JsonDocument.Parse(missing.Data))
            {
                Assert.Equal("FileNotFoundError: config.yaml", data.RootElement.GetProperty("error").GetString());
                Assert.Equal("config.yaml", data.RootElement.GetProperty("arguments").GetProperty("path").GetString());
            }

            Assert.Equal("call_read_2", events[2].ActionId);
            using (var data = JsonDocument.Parse(events[2].Data))
                Assert.Equal("# Project", data.RootElement.GetProperty("result").GetString());

            var timeout = events[3];
            Assert.Equal("run_tests", timeout.Tool);
            Assert.Equal("1004", timeout.ActionId);
            using (var data = JsonDocument.Parse(timeout.Data))
            {
                Assert.Equal("TimeoutError", data.RootElement.GetProperty("error").GetString());
                Assert.Equal("unit", data.RootElement.GetProperty("arguments").GetProperty("suite").GetString());
            }
        }

        [Fact]
        public void Otlp_json_with_a_triggered_guardrail_gives_policy_violations_and_lower_case_hex_ids()
        {
            var path = FormatHarness.Fixture("otel/otlp-guardrail.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (events, errors) = FormatHarness.ReadTrace(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(new[] { "assistant_note", "action_succeeded", "policy_violation", "policy_violation" }, events.Select(e => e.Kind));
            Assert.All(events, e => Assert.Equal("5b8efff798038103d269b633813fc60c", e.TraceId));

            Assert.Equal("call_1", events[1].ActionId);
            Assert.Equal("lookup_order", events[1].Tool);
            Assert.Equal(250, events[1].DurationMs!.Value, 6);
            Assert.Equal(new System.DateTimeOffset(2018, 12, 13, 14, 51, 1, System.TimeSpan.Zero), events[1].Timestamp);

            Assert.Equal("refund_order", events[2].Tool);
            Assert.Equal("eee19b7ec3c1b176", events[2].ActionId);
            using (var data = JsonDocument.Parse(events[2].Data))
            {
                Assert.Equal("blocked by refund_limit", data.RootElement.GetProperty("error").GetString());
                Assert.Equal("refund_limit", data.RootElement.GetProperty("guardrail").GetString());
                Assert.Equal(5000, data.RootElement.GetProperty("arguments").GetProperty("amount").GetInt32());
            }

            Assert.Equal("output_policy", events[3].Tool);
            Assert.Equal("eee19b7ec3c1b178", events[3].ActionId);
        }

        [Fact]
        public void Otlp_json_lines_are_read_line_by_line_and_a_bad_line_is_an_error_naming_it()
        {
            var span = "{\"traceId\":\"AB\",\"spanId\":\"01\",\"name\":\"execute_tool t\",\"startTimeUnixNano\":\"{0}\",\"endTimeUnixNano\":\"{1}\"," +
                       "\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"execute_tool\"}},{\"key\":\"gen_ai.tool.name\",\"value\":{\"stringValue\":\"t{2}\"}}]}";
            string Line(string start, string end, string n) =>
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span.Replace("{0}", start).Replace("{1}", end).Replace("{2}", n) + "]}]}]}";
            var content = Line("2000", "3000", "2") + "\n{not json\n" + Line("1000", "1500", "1") + "\n";
            var (events, errors) = FormatHarness.ReadTraceText(Reader, "collector.jsonl", content);

            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.TraceInvalidJson, error.ErrorId);
            Assert.Equal(2, error.Line);
            Assert.Equal(new[] { "t1", "t2" }, events.Select(e => e.Tool)); // start-time order
            Assert.Equal(new long[] { 3, 1 }, events.Select(e => e.SourceLine));
            Assert.Equal(0.0005, events[0].DurationMs!.Value, 9);
            Assert.All(events, e => Assert.Equal("ab", e.TraceId));
        }

        [Fact]
        public void Spans_of_several_traces_come_out_trace_by_trace()
        {
            string S(string trace, string id, long start, string tool) =>
                "{\"context\":{\"trace_id\":\"0x" + trace + "\",\"span_id\":\"0x" + id + "\"},\"name\":\"execute_tool " + tool + "\",\"start_time\":" + start +
                ",\"end_time\":" + (start + 10) + ",\"status\":{\"status_code\":\"OK\"},\"attributes\":{\"gen_ai.operation.name\":\"execute_tool\"}}";
            var content = "[" + S("AA", "1", 30, "a2") + "," + S("BB", "2", 10, "b1") + "," + S("AA", "3", 20, "a1") + "]";
            var (events, errors) = FormatHarness.ReadTraceText(Reader, "spans.json", content);
            Assert.Empty(errors);
            Assert.Equal(new[] { "a1", "a2", "b1" }, events.Select(e => e.Tool)); // tool name from the span name when the attribute is absent
            Assert.Equal(new[] { "aa", "aa", "bb" }, events.Select(e => e.TraceId));
            Assert.Equal(new[] { 0, 1, 0 }, events.Select(e => e.Sequence));
        }

        [Fact]
        public void Invalid_json_is_one_clear_error()
        {
            var (events, errors) = FormatHarness.ReadTraceText(Reader, "broken.json", "{\n  \"spans\": [\n    {\"context\": \n");
            Assert.Empty(events);
            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.TraceInvalidJson, error.ErrorId);
            Assert.Contains("broken.json", error.Message);
            Assert.Contains("not valid JSON", error.Message);
        }

        [Fact]
        public void Openai_agents_sdk_spans_map_functions_errors_and_guardrails()
        {
            var path = FormatHarness.Fixture("otel/agents-sdk.jsonl");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (events, errors) = FormatHarness.ReadTrace(Reader, path);

            Assert.Empty(errors); // the trace header line is not a span and not an error
            Assert.Equal(new[] { "assistant_note", "action_succeeded", "action_failed", "policy_violation" }, events.Select(e => e.Kind));
            Assert.All(events, e => Assert.Equal("trace_0a1b2c3d4e5f", e.TraceId));
            Assert.Equal(new[] { null, "lookup_order", "refund", "no_legal_advice" }, events.Select(e => e.Tool));
            Assert.Equal("span_fn1", events[1].ActionId);
            Assert.Equal(200, events[1].DurationMs!.Value, 6);
            using (var data = JsonDocument.Parse(events[1].Data))
                Assert.Equal("delivered", data.RootElement.GetProperty("result").GetProperty("status").GetString());
            using (var data = JsonDocument.Parse(events[2].Data))
                Assert.Equal("Error running tool: payment gateway timeout", data.RootElement.GetProperty("error").GetString());
            Assert.Equal(new long[] { 2, 4, 5, 6 }, events.Select(e => e.SourceLine));
        }

        [Theory]
        [InlineData("{\"spans\": []}")]
        [InlineData("{\"resourceSpans\": []}")]
        [InlineData("\"just a string\"")]
        public void A_file_without_spans_is_an_error_not_an_empty_result(string content)
        {
            var (events, errors) = FormatHarness.ReadTraceText(Reader, "empty.json", content);
            Assert.Empty(events);
            Assert.Contains("no OpenTelemetry spans", Assert.Single(errors).Message);
        }

        [Fact]
        public void Console_exporter_output_of_indented_spans_one_after_another_is_read()
        {
            var path = FormatHarness.Fixture("otel/console-exporter.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (events, errors) = FormatHarness.ReadTrace(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(new[] { "fetch_url", "search_docs" }, events.Select(e => e.Tool)); // start-time order
            Assert.Equal(new[] { "action_failed", "action_succeeded" }, events.Select(e => e.Kind));
            Assert.All(events, e => Assert.Equal("5b8aa5a2d2c872e8321cf37308d69df2", e.TraceId)); // "0x" dropped, lower-cased
            Assert.Equal("051581bf3cb55c12", events[0].ActionId);
            Assert.Equal(750, events[0].DurationMs!.Value, 3);
            Assert.Equal(new System.DateTimeOffset(2025, 4, 12, 14, 35, 50, System.TimeSpan.Zero), events[0].Timestamp);
            using (var data = JsonDocument.Parse(events[0].Data))
                Assert.Equal("ConnectionError: timed out", data.RootElement.GetProperty("error").GetString());
            using (var data = JsonDocument.Parse(events[1].Data))
                Assert.Equal("docs/retries.md", data.RootElement.GetProperty("result")[0].GetString());
            Assert.Equal(new long[] { 2, 1 }, events.Select(e => e.SourceLine));
        }

        [Fact]
        public void Concatenated_spans_that_break_off_keep_the_complete_ones_and_report_the_rest()
        {
            var text = System.IO.File.ReadAllText(FormatHarness.Fixture("otel/console-exporter.json"));
            var (events, errors) = FormatHarness.ReadTraceText(Reader, "console.json", text + text + text.Substring(0, 200));
            Assert.Equal(4, events.Count);
            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.TraceInvalidJson, error.ErrorId);
            Assert.Contains("4 spans before that point", error.Message);
        }
    }
}

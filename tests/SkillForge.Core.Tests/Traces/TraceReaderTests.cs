using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.IO;
using SkillForge.Tests.Support;
using SkillForge.Traces;
using SkillForge.Traces.Formats;
using Xunit;

namespace SkillForge.Tests.Traces
{
    public class TraceReaderTests
    {
        private static List<Outcome<TraceEvent>> ReadAll(string path, TraceFormat format = TraceFormat.Auto) =>
            TraceReader.Read(path, format).ToList();

        [Fact]
        public void Example_trace_imports_every_event_with_ids_and_sequences()
        {
            var path = Path.Combine(TestPaths.Examples, "trace.jsonl");
            var outcomes = ReadAll(path);

            Assert.All(outcomes, o => Assert.False(o.IsError, o.Error?.Message));
            var events = outcomes.Select(o => o.Value!).ToList();
            Assert.True(events.Count >= 40);
            var traces = events.Select(e => e.TraceId).Distinct().ToList();
            Assert.True(traces.Count >= 3);
            foreach (var trace in traces)
                Assert.Equal(Enumerable.Range(0, events.Count(e => e.TraceId == trace)), events.Where(e => e.TraceId == trace).Select(e => e.Sequence));

            var first = events[0];
            Assert.Equal("user_prompt", first.Kind);
            Assert.Equal(path, first.SourceFile);
            Assert.Equal(1, first.SourceLine);
            Assert.StartsWith("{\"text\"", first.Data);
            Assert.NotNull(first.Timestamp);

            Assert.Contains(events, e => e.Kind == TraceEventKinds.PolicyViolation);
            Assert.Contains(events, e => e.Kind == TraceEventKinds.UserCorrection);
            Assert.Contains(events, e => e.Kind == TraceEventKinds.EpisodeEnd && e.Reward.HasValue);
            Assert.Contains(events, e => e.StateBefore != null && e.StateAfter != null && e.DurationMs > 0);
            // A retried action: the same action id fails and then succeeds in one trace.
            Assert.Contains(events, f => f.Kind == TraceEventKinds.ActionFailed &&
                events.Any(s => s.Kind == TraceEventKinds.ActionSucceeded && s.ActionId == f.ActionId && s.TraceId == f.TraceId && s.Sequence > f.Sequence));
        }

        [Fact]
        public void Json_array_with_camel_and_pascal_case_takes_trace_id_from_file_name()
        {
            using var dir = new TempDir();
            var path = dir.Write("run-7.json", @"[
  {""kind"": ""action_succeeded"", ""actionId"": ""a1"", ""tool"": ""search"", ""data"": {""q"": ""x""}, ""durationMs"": 12.5, ""stateBefore"": {""page"": 1}},
  {""Kind"": ""action_failed"", ""ActionId"": ""a2"", ""Tool"": ""shell"", ""Data"": ""boom"", ""DurationMs"": ""7"", ""StateAfter"": {""ok"": false}, ""Reward"": 0},
  {""kind"": ""episode_end"", ""reward"": 1, ""timestamp"": 1767225600},
]");
            var events = ReadAll(path).Select(o => o.Value!).ToList();

            Assert.Equal(3, events.Count);
            Assert.All(events, e => Assert.Equal("run-7", e.TraceId));
            Assert.Equal("a1", events[0].ActionId);
            Assert.Equal(12.5, events[0].DurationMs);
            Assert.Equal("{\"q\": \"x\"}", events[0].Data);
            Assert.Equal("{\"page\": 1}", events[0].StateBefore);
            Assert.Equal("action_failed", events[1].Kind);
            Assert.Equal("\"boom\"", events[1].Data);
            Assert.Equal(7, events[1].DurationMs);
            Assert.Equal(0, events[1].Reward);
            Assert.Equal("null", events[2].Data);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), events[2].Timestamp);
            Assert.Equal(new[] { 0, 1, 2 }, events.Select(e => e.Sequence));
            Assert.Equal(new long[] { 2, 3, 4 }, events.Select(e => e.SourceLine));
        }

        [Fact]
        public void Events_container_uses_its_trace_id_for_records_without_one()
        {
            using var dir = new TempDir();
            var path = dir.Write("episode.json", "{\n  \"trace_id\": \"ep-42\",\n  \"agent\": {\"name\": \"x\", \"tags\": [\"a\", \"]\"]},\n  \"events\": [\n    {\"kind\": \"action_succeeded\", \"action_id\": \"a1\"},\n    {\"kind\": \"action_failed\", \"action_id\": \"a2\", \"trace_id\": \"other\"}\n  ]\n}\n");
            var events = ReadAll(path).Select(o => o.Value!).ToList();

            Assert.Equal(2, events.Count);
            Assert.Equal("ep-42", events[0].TraceId);
            Assert.Equal("other", events[1].TraceId);
            Assert.Equal(0, events[1].Sequence);
            Assert.Equal(5, events[0].SourceLine);
        }

        [Fact]
        public void Pretty_printed_objects_one_after_another_are_read_as_records()
        {
            using var dir = new TempDir();
            // What `$events | ForEach-Object { $_ | ConvertTo-Json } | Set-Content` writes.
            var path = dir.Write("pretty.json",
                "{\r\n  \"kind\": \"action_succeeded\",\r\n  \"action_id\": \"a1\",\r\n  \"data\": { \"text\": \"}{\" }\r\n}\r\n" +
                "{\r\n  \"kind\": \"action_failed\",\r\n  \"action_id\": \"a2\"\r\n}\r\n" +
                "{\r\n  \"kind\": oops\r\n}\r\n" +
                "{\r\n  \"kind\": \"episode_end\"\r\n}\r\n");
            var outcomes = ReadAll(path);

            Assert.Equal(4, outcomes.Count);
            Assert.Equal("a1", outcomes[0].Value!.ActionId);
            Assert.Equal("{ \"text\": \"}{\" }", outcomes[0].Value!.Data);
            Assert.Equal(6, outcomes[1].Value!.SourceLine);
            Assert.True(outcomes[2].IsError);
            Assert.Equal(10, outcomes[2].Error!.Line);
            Assert.Equal("episode_end", outcomes[3].Value!.Kind);
        }

        [Fact]
        public void Gzip_is_read_and_both_extensions_leave_the_trace_id()
        {
            using var dir = new TempDir();
            var path = dir.File("nightly.jsonl.gz");
            using (var file = File.Create(path))
            using (var gz = new GZipStream(file, CompressionLevel.Fastest))
            {
                var bytes = Encoding.UTF8.GetBytes("{\"kind\":\"action_succeeded\",\"action_id\":\"a1\"}\n{\"kind\":\"action_failed\",\"action_id\":\"a2\"}\n");
                gz.Write(bytes, 0, bytes.Length);
            }
            var events = ReadAll(path).Select(o => o.Value!).ToList();
            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.Equal("nightly", e.TraceId));
        }

        [Fact]
        public void Bad_lines_are_errors_with_file_and_line_and_the_rest_is_imported()
        {
            using var dir = new TempDir();
            var path = dir.Write("mixed.jsonl",
                "{\"kind\":\"action_succeeded\",\"action_id\":\"a1\"}\n" +
                "{\"kind\":\"action_failed\", oops}\n" +
                "\n" +
                "{\"action_id\":\"a3\"}\n" +
                "{\"kind\":\"action_failed\",\"duration_ms\":{\"x\":1}}\n" +
                "[1,2]\n" +
                "{\"kind\":\"action_succeeded\",\"action_id\":\"a6\"}\n");
            var outcomes = ReadAll(path);

            var errors = outcomes.Where(o => o.IsError).Select(o => o.Error!).ToList();
            Assert.Equal(new long[] { 2, 4, 5, 6 }, errors.Select(e => e.Line));
            Assert.All(errors, e => Assert.Equal(ErrorIds.TraceInvalidRecord, e.ErrorId));
            Assert.All(errors, e => Assert.Contains("mixed.jsonl:", e.Message));
            Assert.Contains("kind", errors[1].Message);
            Assert.Contains("duration_ms", errors[2].Message);
            Assert.Contains("oops", errors[0].Snippet);

            var events = outcomes.Where(o => !o.IsError).Select(o => o.Value!).ToList();
            Assert.Equal(new[] { "a1", "a6" }, events.Select(e => e.ActionId));
            Assert.Equal(new[] { 0, 1 }, events.Select(e => e.Sequence));
        }

        [Theory]
        [InlineData("timestamp", "1e300")]
        [InlineData("timestamp", "-1e20")]
        [InlineData("timestamp", "1e400")]
        [InlineData("timestamp", "\"1e300\"")]
        [InlineData("timestamp", "\"NaN\"")]
        [InlineData("timestamp", "\"Infinity\"")]
        [InlineData("duration_ms", "1e400")]
        [InlineData("duration_ms", "\"NaN\"")]
        [InlineData("reward", "1e400")]
        [InlineData("reward", "\"-Infinity\"")]
        public void A_number_out_of_range_is_an_error_for_that_record_only(string field, string value)
        {
            using var dir = new TempDir();
            var path = dir.Write("far.jsonl",
                "{\"kind\":\"action_succeeded\",\"action_id\":\"a1\",\"timestamp\":1767225600}\n" +
                "{\"kind\":\"action_failed\",\"action_id\":\"a2\",\"" + field + "\":" + value + "}\n" +
                "{\"kind\":\"action_succeeded\",\"action_id\":\"a3\",\"timestamp\":1767225600000}\n");
            var outcomes = ReadAll(path);

            var error = outcomes.Single(o => o.IsError).Error!;
            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Equal(2, error.Line);
            Assert.Contains(field, error.Message);
            var events = outcomes.Where(o => !o.IsError).Select(o => o.Value!).ToList();
            Assert.Equal(new[] { "a1", "a3" }, events.Select(e => e.ActionId));
            Assert.All(events, e => Assert.Equal(1767225600L, e.Timestamp!.Value.ToUnixTimeSeconds()));
        }

        [Fact]
        public void Malformed_array_element_is_an_error_for_that_element_only()
        {
            using var dir = new TempDir();
            var path = dir.Write("arr.json", "[\n{\"kind\":\"action_succeeded\",\"data\":\"a ] , [ { \\\" tricky\"},\n{\"kind\": nope},\n/* a comment, with ] */\n{\"kind\":\"action_failed\"}\n]\n");
            var outcomes = ReadAll(path);

            Assert.Equal(3, outcomes.Count);
            Assert.Equal("\"a ] , [ { \\\" tricky\"", outcomes[0].Value!.Data);
            Assert.True(outcomes[1].IsError);
            Assert.Equal(3, outcomes[1].Error!.Line);
            Assert.Equal("action_failed", outcomes[2].Value!.Kind);
            Assert.Equal(5, outcomes[2].Value!.SourceLine);
        }

        [Fact]
        public void Truncated_array_reports_truncation_after_the_complete_records()
        {
            using var dir = new TempDir();
            var path = dir.Write("cut.json", "[{\"kind\":\"action_succeeded\"},{\"kind\":\"action_fa");
            var outcomes = ReadAll(path);

            Assert.Equal(2, outcomes.Count);
            Assert.False(outcomes[0].IsError);
            Assert.True(outcomes[1].IsError);
            Assert.Contains("truncated", outcomes[1].Error!.Message);
        }

        [Fact]
        public void An_array_whose_structure_breaks_ends_with_one_error_after_the_records_before_it()
        {
            using var dir = new TempDir();
            var path = dir.Write("broken.json", "[\n{\"kind\":\"action_succeeded\"},\n{\"kind\":\"action_failed},\n{\"kind\":\"episode_end\"}\n]\n");
            var outcomes = ReadAll(path);

            Assert.Equal(2, outcomes.Count);
            Assert.Equal("action_succeeded", outcomes[0].Value!.Kind);
            var error = outcomes[1].Error!;
            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Equal(3, error.Line);
            Assert.Contains("syntax error at line 3", error.Message);
        }

        [Fact]
        public void Unknown_format_names_the_formats_tried()
        {
            using var dir = new TempDir();
            var path = dir.Write("notes.txt", "just some notes\nnot a trace\n");
            var e = Assert.Throws<SkillForgeException>(() => TraceReader.Read(path));
            Assert.Equal(ErrorIds.TraceUnknownFormat, e.ErrorId);
            foreach (var f in TraceFormatRegistry.All) Assert.Contains(f.Format.ToString(), e.Message);
        }

        [Fact]
        public void Missing_file_is_file_not_found_when_read_is_called()
        {
            var e = Assert.Throws<SkillForgeException>(() => TraceReader.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".jsonl")));
            Assert.Equal(ErrorIds.FileNotFound, e.ErrorId);
        }

        [Theory]
        [InlineData(TraceFormat.Auto)]
        [InlineData(TraceFormat.SkillForge)]
        public void A_folder_is_a_file_error_that_says_it_is_a_folder(TraceFormat format)
        {
            using var dir = new TempDir();
            var e = Assert.Throws<SkillForgeException>(() => TraceReader.Read(dir.Path, format));
            Assert.Equal(ErrorIds.FileUnreadable, e.ErrorId);
            Assert.Equal(FailureCategory.InvalidArgument, e.Category);
            Assert.Contains("is a folder, not a file", e.Message);
            Assert.Contains("Get-ChildItem -File", e.Message);
        }

        [Fact]
        public void Explicit_format_reads_a_file_auto_would_not_place()
        {
            using var dir = new TempDir();
            // The first record has no kind, so nothing recognises the sample; asked for, the SkillForge reader reports it.
            var path = dir.Write("odd.jsonl", "{\"note\":\"header\"}\n{\"kind\":\"action_succeeded\"}\n");
            Assert.Throws<SkillForgeException>(() => TraceReader.Read(path));
            var outcomes = ReadAll(path, TraceFormat.SkillForge);
            Assert.True(outcomes[0].IsError);
            Assert.Equal("action_succeeded", outcomes[1].Value!.Kind);
        }

        [Fact]
        public void Explicit_format_on_a_binary_file_is_one_error_that_says_it_is_not_json()
        {
            using var dir = new TempDir();
            var path = Path.Combine(dir.Path, "trace.bin");
            File.WriteAllBytes(path, new byte[] { 0x01, 0x02, 0x03, 0x00, 0x04, 0x05, 0x06, 0x07 });

            var error = ReadAll(path, TraceFormat.SkillForge).Single().Error!;

            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Contains("is not a JSON or JSON Lines trace: it looks like a binary file, not text.", error.Message);
            Assert.DoesNotContain("the file it", error.Message);
        }

        [Theory]
        [InlineData("{\"kind\":\"action_succeeded\",\"action_id\":\"a\"}\n{\"kind\":\"x\"}", true)]
        [InlineData("[\n  {\n    \"Kind\": \"action_failed\"\n  }\n]", true)]
        [InlineData("{\n  \"traceId\": \"t\",\n  \"events\": [\n    {\"kind\": \"user_prompt\"}", true)]
        [InlineData("{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"hi\"},\"sessionId\":\"s\"}", false)]
        [InlineData("{\"name\":\"execute_tool\",\"kind\":1,\"traceId\":\"abc\"}", false)]
        [InlineData("{\"name\":\"span\",\"kind\":\"SPAN_KIND_INTERNAL\"}", false)]
        [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"x\"}]}]}]}", false)]
        [InlineData("hello", false)]
        [InlineData("", false)]
        public void Recognizes_its_own_records_only(string head, bool expected)
        {
            Assert.Equal(expected, new SkillForgeTraceFormat().Recognizes(new SourceSample("t.jsonl", head)));
        }

        [Fact]
        public void A_huge_array_streams_one_record_at_a_time()
        {
            // 2 million records (about 150 MB) generated on the fly: reading the first ten must not read the file.
            using var stream = new GeneratedJsonArrayStream(2_000_000, i => "{\"trace_id\":\"big\",\"kind\":\"action_succeeded\",\"action_id\":\"a" + i + "\",\"data\":{\"payload\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}");
            var events = new SkillForgeTraceFormat().Read(stream, "big.json", default).Take(10).ToList();

            Assert.Equal(10, events.Count);
            Assert.All(events, e => Assert.False(e.IsError));
            Assert.Equal(9, events[9].Value!.Sequence);
            Assert.True(stream.Produced < 1_000_000, $"read {stream.Produced} bytes for 10 records");
        }

        [Theory]
        [InlineData("[\n{\"kind\":\"action_succeeded\",\"data\":\"a\\\\\\\" ] /* , \"}, // c ] ,\n/* x ] */ {\"kind\":\"action_failed\",\"data\":[1,{\"y\":\"]\"}]}\n,{\"kind\": bad}\n]")]
        [InlineData("\uFEFF{\"trace_id\":\"c\",\"meta\":{\"events\":[1]},\"events\":[{\"kind\":\"user_prompt\"},{\"kind\":\"action_succeeded\"}]}")]
        [InlineData("\uFEFF\n\n{\"kind\":\"action_succeeded\"}\n{\"kind\":\"action_failed\"}\n")]
        [InlineData("{\n \"kind\": \"action_succeeded\"\n}\n{\n \"kind\": \"action_failed\" /* } */\n}")]
        public void Reading_one_byte_at_a_time_gives_the_same_records(string content)
        {
            var bytes = Encoding.UTF8.GetBytes(content);
            string Describe(Stream stream) => string.Join("\n", new SkillForgeTraceFormat().Read(stream, "x.json", default)
                .Select(o => o.IsError ? "error@" + o.Error!.Line : $"{o.Value!.TraceId}|{o.Value.Kind}|{o.Value.Data}|{o.Value.SourceLine}"));

            string whole = Describe(new MemoryStream(bytes));
            string trickled = Describe(new TrickleStream(bytes));
            Assert.Equal(whole, trickled);
            Assert.Contains("action_", whole);
        }

        [Fact]
        public void A_five_megabyte_record_inside_an_array_is_read_whole()
        {
            string blob = new string('z', 5 * 1024 * 1024);
            var bytes = Encoding.UTF8.GetBytes("[{\"kind\":\"action_succeeded\",\"data\":{\"blob\":\"" + blob + "\"}},{\"kind\":\"action_failed\"}]");
            var events = new SkillForgeTraceFormat().Read(new MemoryStream(bytes), "big.json", default).Select(o => o.Value!).ToList();
            Assert.Equal(2, events.Count);
            Assert.Equal(blob.Length + 11, events[0].Data.Length); // {"blob":"..."}
        }

        /// <summary>Hands out one byte per read, to exercise every buffer boundary.</summary>
        private sealed class TrickleStream : MemoryStream
        {
            public TrickleStream(byte[] bytes) : base(bytes) { }
            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
        }

        [RealDataFact]
        public void Other_tools_traces_are_not_mistaken_for_SkillForge_traces()
        {
            var format = new SkillForgeTraceFormat();
            var files = new[] { "claude-code", "codex", "otel-genai", "trajectories" }
                .SelectMany(d => Directory.EnumerateFiles(TestPaths.RealDataFile(d), "*", SearchOption.AllDirectories))
                .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                .ToList();
            Assert.NotEmpty(files);
            foreach (var file in files)
                Assert.False(format.Recognizes(SourceSample.Read(file)), file);
        }
    }
}

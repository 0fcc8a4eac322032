using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SkillForge.IO;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.IO
{
    public class JsonRecordReaderTests
    {
        private static readonly string[] MemoryWrappers = { "memories", "docs", "items" };
        private static readonly string[] TextNames = { "text", "content", "memory", "value" };

        private static JsonRecordReader Reader(string content, int bufferSize = 1 << 16, params string[] wrappers) =>
            Reader(new MemoryStream(Encoding.UTF8.GetBytes(content)), bufferSize, wrappers);

        private static JsonRecordReader Reader(Stream stream, int bufferSize = 1 << 16, params string[] wrappers) =>
            new JsonRecordReader(stream, wrappers.Length == 0 ? MemoryWrappers : wrappers, TextNames, default, bufferSize);

        private static List<(long Line, string? Record, JsonRecordErrorKind? Error)> ReadAll(JsonRecordReader reader)
        {
            var list = new List<(long, string?, JsonRecordErrorKind?)>();
            while (reader.MoveNext())
            {
                list.Add(reader.Error != null
                    ? (reader.Line, null, reader.Error.Kind)
                    : (reader.Line, Encoding.UTF8.GetString(reader.Record.ToArray()), null));
            }
            return list;
        }

        private static List<(long Line, string? Record, JsonRecordErrorKind? Error)> ReadAll(string content, int bufferSize, out JsonRecordLayout layout)
        {
            var reader = Reader(content, bufferSize);
            var list = ReadAll(reader);
            layout = reader.Layout;
            return list;
        }

        public static IEnumerable<object[]> Layouts()
        {
            yield return new object[] { "jsonl", "{\"id\":\"a\",\"text\":\"x\"}\r\n\r\n{\"id\":\"b\",\"text\":\"y \\\" ] } [ {\"}\nbroken {\n\"str\"\n{\"id\":\"c\",\"text\":\"z\"}" };
            yield return new object[] { "array", "\uFEFF\n\n[\n  {\"id\": \"a\",\n   \"text\": \"x\"},\n  \"stray\",\n  {\"id\": \"b\", \"text\": \"y ] } \\n\"}, // note\n  /* block\n comment */ {\"id\":\"c\",\"text\":\"z\"},\n]\n" };
            yield return new object[] { "wrapper", "{\n \"meta\": {\"a\": [1, 2, {\"memories\": [9]}]},\n \"items\": [\n  {\"id\": \"a\", \"text\": \"x\"},\n  {\"id\": \"b\",\n   \"text\": \"y\"}\n ],\n \"tail\": \"t\"\n}" };
            yield return new object[] { "objects", "{\n \"id\": \"a\",\n \"text\": \"x\"\n}\n\n{\"id\": \"b\",\n \"text\": \"y\"}\n" };
            yield return new object[] { "recovery", "[\n{\"id\":\"a\",\"data\":\"a ] , [ { \\\" tricky\"},\n{\"id\": nope, \"x\": [1, {\"y\": \"]\"}]},\n/* a comment, with ] */\n{\"id\":\"c\"} {\"id\":\"d\"}\n]\n" };
            yield return new object[] { "pretty-with-bad", "{\r\n  \"id\": \"a\",\r\n  \"data\": { \"text\": \"}{\" }\r\n}\r\n{\r\n  \"id\": oops\r\n}\r\n{\r\n  \"id\": \"c\" /* } */\r\n}\r\n" };
        }

        [Theory]
        [MemberData(nameof(Layouts))]
        public void Records_and_lines_do_not_depend_on_how_the_buffer_splits_the_input(string name, string content)
        {
            var expected = ReadAll(content, 1 << 16, out var layout);
            Assert.NotEmpty(expected);
            foreach (int size in new[] { 16, 17, 19, 23, 31, 64, 100 })
            {
                var actual = ReadAll(content, size, out var smallLayout);
                Assert.Equal(layout, smallLayout);
                Assert.True(expected.SequenceEqual(actual), $"{name} with a {size}-byte buffer");
            }
        }

        [Fact]
        public void Jsonl_lines_are_counted_including_blank_and_bad_ones()
        {
            var items = ReadAll(Layouts().First()[1].ToString()!, 16, out var layout);
            Assert.Equal(JsonRecordLayout.JsonLines, layout);
            Assert.Equal(new long[] { 1, 3, 4, 5, 6 }, items.Select(i => i.Line));
            Assert.Equal(new JsonRecordErrorKind?[] { null, null, JsonRecordErrorKind.Malformed, JsonRecordErrorKind.NotAnObject, null }, items.Select(i => i.Error));
        }

        [Fact]
        public void Array_elements_start_on_the_lines_counted_from_the_file_start()
        {
            var items = ReadAll(Layouts().Skip(1).First()[1].ToString()!, 16, out var layout);
            Assert.Equal(JsonRecordLayout.Array, layout);
            Assert.Equal(new long[] { 4, 6, 7, 9 }, items.Select(i => i.Line));
            Assert.Equal(JsonRecordErrorKind.NotAnObject, items[1].Error);
        }

        [Fact]
        public void Only_the_records_array_of_a_wrapper_is_read()
        {
            var items = ReadAll(Layouts().Skip(2).First()[1].ToString()!, 16, out var layout);
            Assert.Equal(JsonRecordLayout.Wrapper, layout);
            Assert.Equal(new long[] { 4, 5 }, items.Select(i => i.Line));
            Assert.All(items, i => Assert.Null(i.Error));
        }

        [Fact]
        public void A_huge_array_streams_through_a_buffer_that_never_grows()
        {
            // About 60 MB of records, generated on the fly: never in memory as a whole.
            const int count = 200_000;
            var stream = new GeneratedJsonArrayStream(count, i => $"{{\"id\":\"m{i}\",\"text\":\"{new string('a', 200 + i % 300)}\",\"tags\":[\"x\",\"y\"],\"access_count\":{i}}}");
            var reader = Reader(stream);
            long n = 0, lastLine = 0;
            while (reader.MoveNext())
            {
                Assert.Null(reader.Error);
                n++;
                lastLine = reader.Line;
            }
            Assert.Equal(count, n);
            Assert.Equal(count + 1, lastLine); // line 1 is "["
            Assert.Equal(1 << 16, reader.BufferCapacity);
            Assert.True(stream.Produced > 50_000_000);
        }

        [Fact]
        public void A_syntax_error_inside_an_array_is_an_error_for_that_element_and_reading_goes_on()
        {
            // Changed with the merge of the two readers: this used to end the file after the 3000 records before it.
            var sb = new StringBuilder("\n\n[\n");
            for (int i = 0; i < 3000; i++) sb.Append("  {\"id\": \"").Append(i).Append("\", \"text\": \"t\"},\n");
            sb.Append("  {\"id\": \"x\"\n   \"text\": \"t\"},\n  {\"id\": \"last\", \"text\": \"t\"}\n]");
            var reader = Reader(sb.ToString(), 64);
            var items = ReadAll(reader);

            Assert.Equal(3002, items.Count);
            var bad = items[3000];
            Assert.Equal(JsonRecordErrorKind.Malformed, bad.Error);
            Assert.Equal(3004, bad.Line);
            Assert.Contains("\"last\"", items[3001].Record);
            Assert.Equal(3006, items[3001].Line);
        }

        [Fact]
        public void The_error_names_the_line_inside_a_record_where_the_syntax_breaks()
        {
            var reader = Reader("[\n{\"id\": \"a\",\n \"text\": \"t\"\n \"tags\": []},\n{\"id\": \"b\"}]", 16);
            Assert.True(reader.MoveNext());
            Assert.Equal(2, reader.Line);
            Assert.Contains("(at line 4)", reader.Error!.Problem);
            Assert.True(reader.MoveNext());
            Assert.Null(reader.Error);
            Assert.Equal(5, reader.Line);
        }

        [Theory]
        [InlineData("[\n{\"id\": \"a\"},\n{\"id\": \"b}, \n{\"id\": \"c\"}\n]", 3)]          // a quote missing: strings no longer line up
        [InlineData("[\n{\"id\": \"a\"},\n{\"id\": [1, 2}, \n{\"id\": \"c\"}\n]", 3)]        // an array closed by '}'
        [InlineData("{\"memories\": [\n{\"id\": \"a\"}\n}", 3)]                                 // the wrapper closes the array
        [InlineData("{\"memories\": [{\"id\": \"a\"}], \"x\" 1}", 1)]                          // the wrapper itself is broken
        public void A_syntax_error_that_cannot_be_stepped_over_safely_ends_the_input(string content, long line)
        {
            var items = ReadAll(Reader(content, 16));
            var last = items.Last();
            Assert.Equal(JsonRecordErrorKind.SyntaxError, last.Error);
            Assert.Equal(line, last.Line);
            Assert.Null(items[0].Error);
        }

        [Theory]
        [InlineData("[{\"id\":\"a\"},{\"id\":\"b", 2)]
        [InlineData("[{\"id\":\"a\"},\n", 2)]
        [InlineData("{\"items\": [{\"id\":\"a\"}]", 2)]
        [InlineData("{\n\"id\": \"a\"\n}\n{\n\"id\": \"b\",\n", 2)]
        public void Truncated_input_ends_with_a_truncation_error_after_the_complete_records(string content, int count)
        {
            foreach (int size in new[] { 16, 1 << 16 })
            {
                var items = ReadAll(Reader(content, size));
                Assert.Equal(count, items.Count);
                Assert.Null(items[0].Error);
                Assert.Equal(JsonRecordErrorKind.Truncated, items.Last().Error);
            }
        }

        [Fact]
        public void A_wrapper_keeps_its_scalar_properties_and_skips_look_alike_arrays()
        {
            var reader = Reader("\uFEFF{\"trace_id\":\"c\",\"count\": 2,\"meta\":{\"events\":[1]},\"events\":[{\"kind\":\"a\"},{\"kind\":\"b\"}]}", 16, "events");
            var items = ReadAll(reader);
            Assert.Equal(JsonRecordLayout.Wrapper, reader.Layout);
            Assert.Equal(2, items.Count);
            Assert.All(items, i => Assert.Null(i.Error));
            Assert.Equal("c", reader.WrapperValues["traceid"]);
            Assert.Equal("2", reader.WrapperValues["count"]);
        }

        [Fact]
        public void An_object_with_a_text_field_before_a_wrapper_name_is_a_record()
        {
            var reader = Reader("{\"id\":\"a\",\"text\":\"t\",\"items\":[1,2]}\n{\"id\":\"b\",\"text\":\"u\"}\n");
            var items = ReadAll(reader);
            Assert.Equal(JsonRecordLayout.JsonLines, reader.Layout);
            Assert.Equal(new long[] { 1, 2 }, items.Select(i => i.Line));
        }

        [Fact]
        public void Reading_one_byte_at_a_time_gives_the_same_records()
        {
            foreach (var layout in Layouts())
            {
                var bytes = Encoding.UTF8.GetBytes((string)layout[1]);
                var whole = ReadAll(Reader(new MemoryStream(bytes), 16));
                var trickled = ReadAll(Reader(new TrickleStream(bytes), 16));
                Assert.True(whole.SequenceEqual(trickled), (string)layout[0]);
            }
        }

        [Fact]
        public void A_file_that_does_not_start_with_json_is_refused()
        {
            var reader = Reader("id,text\n1,hello\n");
            Assert.True(reader.MoveNext());
            Assert.Equal(JsonRecordErrorKind.NotJson, reader.Error!.Kind);
            Assert.True(reader.Error.EndsInput);
            Assert.Contains("does not start with '[' or '{'", reader.Error.Problem);
            Assert.False(reader.MoveNext());
        }

        [Fact]
        public void A_bad_first_line_before_json_lines_is_an_error_for_that_line_only()
        {
            var items = ReadAll(Reader("garbage header\n{\"id\":\"a\"}\n{\"id\":\"b\"}\n"));
            Assert.Equal(new JsonRecordErrorKind?[] { JsonRecordErrorKind.Malformed, null, null }, items.Select(i => i.Error));
            Assert.Equal(new long[] { 1, 2, 3 }, items.Select(i => i.Line));
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Utf16_text_is_named_with_or_without_a_bom(bool bom)
        {
            var text = Encoding.Unicode.GetBytes("[{\"id\":\"a\"}]");
            var bytes = bom ? Encoding.Unicode.GetPreamble().Concat(text).ToArray() : text;
            var reader = Reader(new MemoryStream(bytes));
            Assert.True(reader.MoveNext());
            Assert.Equal(JsonRecordErrorKind.NotJson, reader.Error!.Kind);
            Assert.Contains("UTF-16", reader.Error.Problem);
        }

        [Fact]
        public void Binary_data_is_named()
        {
            var bytes = new byte[4096];
            new Random(7).NextBytes(bytes);
            bytes[0] = 0x89;
            bytes[5] = 0;
            var reader = Reader(new MemoryStream(bytes));
            Assert.True(reader.MoveNext());
            Assert.Equal(JsonRecordErrorKind.NotJson, reader.Error!.Kind);
            Assert.Contains("binary", reader.Error.Problem);
        }

        [Fact]
        public void Empty_input_has_no_records()
        {
            var reader = Reader("\uFEFF \r\n\t");
            Assert.False(reader.MoveNext());
            Assert.Equal(JsonRecordLayout.Empty, reader.Layout);
        }

        /// <summary>Hands out one byte per read, to exercise every buffer boundary.</summary>
        private sealed class TrickleStream : MemoryStream
        {
            public TrickleStream(byte[] bytes) : base(bytes) { }
            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.Import;
using Xunit;

namespace SkillForge.Tests.Import
{
    public class JsonRecordReaderTests
    {
        private static List<(long Line, string? Record, string? Error)> ReadAll(string content, int bufferSize, out JsonRecordLayout layout)
        {
            var reader = new JsonRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(content)), "f.json", default, bufferSize);
            var list = new List<(long, string?, string?)>();
            while (reader.MoveNext())
            {
                list.Add(reader.Error != null
                    ? (reader.Line, null, reader.Error.ErrorId)
                    : (reader.Line, Encoding.UTF8.GetString(reader.Record.ToArray()), null));
            }
            layout = reader.Layout;
            return list;
        }

        public static IEnumerable<object[]> Layouts()
        {
            yield return new object[] { "jsonl", "{\"id\":\"a\",\"text\":\"x\"}\r\n\r\n{\"id\":\"b\",\"text\":\"y \\\" ] } [ {\"}\nbroken {\n\"str\"\n{\"id\":\"c\",\"text\":\"z\"}" };
            yield return new object[] { "array", "\uFEFF\n\n[\n  {\"id\": \"a\",\n   \"text\": \"x\"},\n  \"stray\",\n  {\"id\": \"b\", \"text\": \"y ] } \\n\"}, // note\n  /* block\n comment */ {\"id\":\"c\",\"text\":\"z\"},\n]\n" };
            yield return new object[] { "wrapper", "{\n \"meta\": {\"a\": [1, 2, {\"memories\": [9]}]},\n \"items\": [\n  {\"id\": \"a\", \"text\": \"x\"},\n  {\"id\": \"b\",\n   \"text\": \"y\"}\n ],\n \"tail\": \"t\"\n}" };
            yield return new object[] { "objects", "{\n \"id\": \"a\",\n \"text\": \"x\"\n}\n\n{\"id\": \"b\",\n \"text\": \"y\"}\n" };
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
            Assert.Equal(new[] { null, null, ErrorIds.ImportInvalidRecord, ErrorIds.ImportInvalidRecord, null }, items.Select(i => i.Error));
        }

        [Fact]
        public void Array_elements_start_on_the_lines_counted_from_the_file_start()
        {
            var items = ReadAll(Layouts().Skip(1).First()[1].ToString()!, 16, out var layout);
            Assert.Equal(JsonRecordLayout.Document, layout);
            Assert.Equal(new long[] { 4, 6, 7, 9 }, items.Select(i => i.Line));
            Assert.Equal(ErrorIds.ImportInvalidRecord, items[1].Error);
        }

        [Fact]
        public void Only_the_records_array_of_a_wrapper_is_read()
        {
            var items = ReadAll(Layouts().Skip(2).First()[1].ToString()!, 16, out _);
            Assert.Equal(new long[] { 4, 5 }, items.Select(i => i.Line));
            Assert.All(items, i => Assert.Null(i.Error));
        }

        [Fact]
        public void A_huge_array_streams_through_a_buffer_that_never_grows()
        {
            // About 60 MB of records, generated on the fly: never in memory as a whole.
            const int count = 200_000;
            var stream = new GeneratedArrayStream(count);
            var reader = new JsonRecordReader(stream, "huge.json");
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
        public void Syntax_error_line_counts_from_the_file_start_after_refills()
        {
            var sb = new StringBuilder("\n\n[\n");
            for (int i = 0; i < 3000; i++) sb.Append("  {\"id\": \"").Append(i).Append("\", \"text\": \"t\"},\n");
            sb.Append("  {\"id\": \"x\" \"text\": \"t\"}\n]");
            var reader = new JsonRecordReader(new MemoryStream(Encoding.UTF8.GetBytes(sb.ToString())), "f.json", default, 64);
            int n = 0;
            var e = Assert.Throws<SkillForgeException>(() => { while (reader.MoveNext()) n++; });
            Assert.Equal(3000, n);
            Assert.Contains("line 3004", e.Message);
        }

        [Fact]
        public void A_file_that_does_not_start_with_json_is_refused()
        {
            var reader = new JsonRecordReader(new MemoryStream(Encoding.UTF8.GetBytes("id,text\n1,hello\n")), "m.csv");
            var e = Assert.Throws<SkillForgeException>(() => reader.MoveNext());
            Assert.Equal(ErrorIds.ImportInvalidJson, e.ErrorId);
            Assert.Contains("does not start with '[' or '{'", e.Message);
        }

        private sealed class GeneratedArrayStream : Stream
        {
            private readonly int _count;
            private int _next;
            private byte[] _pending = Encoding.ASCII.GetBytes("[\n");
            private int _offset;

            public GeneratedArrayStream(int count) => _count = count;

            public long Produced { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_offset == _pending.Length)
                {
                    if (_next > _count) return 0;
                    _pending = _next == _count
                        ? Encoding.ASCII.GetBytes("]\n")
                        : Encoding.ASCII.GetBytes($"{{\"id\":\"m{_next}\",\"text\":\"{new string('a', 200 + _next % 300)}\",\"tags\":[\"x\",\"y\"],\"access_count\":{_next}}}{(_next == _count - 1 ? "" : ",")}\n");
                    _next++;
                    _offset = 0;
                }
                int n = Math.Min(count, _pending.Length - _offset);
                Buffer.BlockCopy(_pending, _offset, buffer, offset, n);
                _offset += n;
                Produced += n;
                return n;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}

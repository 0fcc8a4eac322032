using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.Import;
using SkillForge.Tests.Support;
using Xunit;
using static SkillForge.Tests.Import.ImportTestHelpers;

namespace SkillForge.Tests.Import
{
    public class MemoryExportReaderTests
    {
        private const string Three =
            "{\"id\":\"m1\",\"text\":\"Deploys run from the release branch.\",\"tier\":\"Core\",\"scope\":\"project:billing\",\"tags\":[\"ops\",\"deploy\"],\"kind\":\"fact\",\"access_count\":12}\n" +
            "{\"id\":\"m2\",\"text\":\"Dana prefers tabs.\",\"tier\":\"Working\",\"scope\":\"user:dana\",\"tags\":[],\"kind\":\"preference\",\"access_count\":3}\n" +
            "{\"id\":\"m3\",\"text\":\"Run migrations before the app starts.\"}\n";

        [Fact]
        public void Jsonl_records_become_docs_with_every_field_and_their_origin()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("memories.jsonl"), Three);

            var outcomes = ReadAll(path);

            Assert.Empty(outcomes.Errors());
            var docs = outcomes.Docs();
            Assert.Equal(new[] { "m1", "m2", "m3" }, docs.Select(d => d.Id));
            var first = docs[0];
            Assert.Equal("Deploys run from the release branch.", first.Text);
            Assert.Equal("Core", first.Tier);
            Assert.Equal("project:billing", first.Scope);
            Assert.Equal(new[] { "ops", "deploy" }, first.Tags);
            Assert.Equal("fact", first.Kind);
            Assert.Equal(12, first.AccessCount);
            Assert.Null(first.Embedding);
            Assert.Equal(Path.GetFullPath(path), first.SourceFile);
            Assert.Equal(new long[] { 1, 2, 3 }, docs.Select(d => d.SourceLine));
            Assert.Equal("Working", docs[1].Tier);
            Assert.Empty(docs[1].Tags);
        }

        [Fact]
        public void Missing_tier_is_Core_and_missing_scope_kind_and_tags_are_empty()
        {
            using var dir = new TempDir();
            var doc = ReadAll(WriteUtf8(dir.File("m.jsonl"), "{\"id\":\"a\",\"text\":\"t\"}\n")).Docs().Single();
            Assert.Equal("Core", doc.Tier);
            Assert.Equal("", doc.Scope);
            Assert.Equal("", doc.Kind);
            Assert.Empty(doc.Tags);
            Assert.Equal(0, doc.AccessCount);
            Assert.Null(doc.CreatedAt);
        }

        [Fact]
        public void A_malformed_line_is_an_error_with_file_and_line_and_the_others_are_imported()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("bad.jsonl"),
                "{\"id\":\"a\",\"text\":\"one\"}\n" +
                "{\"id\":\"b\",\"text\":\"two\"\n" +        // missing brace
                "{\"id\":\"c\",\"text\":\"three\"}\n" +
                "not json at all\n" +
                "{\"id\":\"d\",\"text\":\"four\"} trailing\n" +
                "{\"id\":\"e\",\"text\":\"five\"}\n");

            var outcomes = ReadAll(path);

            Assert.Equal(new[] { "a", "c", "e" }, outcomes.Docs().Select(d => d.Id));
            var errors = outcomes.Errors();
            Assert.Equal(new long[] { 2, 4, 5 }, errors.Select(e => e.Line));
            Assert.All(errors, e =>
            {
                Assert.Equal(ErrorIds.ImportInvalidRecord, e.ErrorId);
                Assert.Equal(Path.GetFullPath(path), e.SourceFile);
                Assert.Contains(Path.GetFullPath(path), e.Message);
                Assert.Contains($"line {e.Line}", e.Message, StringComparison.OrdinalIgnoreCase);
                Assert.False(string.IsNullOrEmpty(e.Snippet));
            });
            Assert.Contains("not json at all", errors[1].Snippet);
            Assert.Equal(new long[] { 1, 3, 6 }, outcomes.Docs().Select(d => d.SourceLine));
        }

        [Fact]
        public void Two_objects_on_one_line_are_an_error_for_that_line()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("two.jsonl"), "{\"id\":\"a\",\"text\":\"t\"}\n{\"id\":\"b\",\"text\":\"t\"} {\"id\":\"c\",\"text\":\"t\"}\n{\"id\":\"d\",\"text\":\"t\"}\n");
            var outcomes = ReadAll(path);
            Assert.Equal(new[] { "a", "d" }, outcomes.Docs().Select(d => d.Id));
            var error = outcomes.Errors().Single();
            Assert.Equal(2, error.Line);
            Assert.Contains("more than one JSON value", error.Message);
        }

        [Theory]
        [InlineData("{\"text\":\"no id here\"}", "no id")]
        [InlineData("{\"id\":\"x\"}", "no text")]
        [InlineData("{\"id\":\"x\",\"text\":\"   \"}", "no text, or only a blank one")]
        [InlineData("{\"id\":\"  \",\"text\":\"t\"}", "no id")]
        [InlineData("{\"id\":null,\"text\":null}", "neither an id")]
        [InlineData("{\"tier\":\"Core\"}", "neither an id")]
        [InlineData("{\"id\":\"x\",\"text\":42}", "text field that is a number")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"access_count\":\"many\"}", "access_count")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"access_count\":-4}", "negative access_count")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"access_count\":2.5}", "not a whole number")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"embedding\":[0.1,\"a\"]}", "embedding whose element 1")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"embedding\":\"0.1,0.2\"}", "embedding that is a string")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"tags\":{\"a\":1}}", "tags field")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"tier\":{\"name\":\"Core\"}}", "tier field that is")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"created_at\":\"yesterday\"}", "created_at")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"created_at\":\"2025-03-04T05:06:07+14:30\"}", "created_at")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"created_at\":1e300}", "created_at outside the range")]
        [InlineData("{\"id\":\"x\",\"text\":\"t\",\"created_at\":\"NaN\"}", "created_at outside the range")]
        public void A_record_missing_or_mistyping_a_field_is_an_InvalidRecord_error_naming_it(string record, string expected)
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("m.jsonl"), "{\"id\":\"ok\",\"text\":\"fine\"}\n" + record + "\n");

            var outcomes = ReadAll(path, MemoryFormat.SkillForge);

            Assert.Equal("ok", outcomes.Docs().Single().Id);
            var error = outcomes.Errors().Single();
            Assert.Equal(ErrorIds.ImportInvalidRecord, error.ErrorId);
            Assert.Equal(2, error.Line);
            Assert.Contains(expected, error.Message);
            Assert.Contains("line 2", error.Message);
            Assert.Contains(Path.GetFullPath(path), error.Message);
            Assert.Equal(record, error.Snippet);
        }

        [Fact]
        public void A_bom_crlf_blank_lines_and_comment_lines_are_accepted()
        {
            using var dir = new TempDir();
            var text = "\uFEFF{\"id\":\"a\",\"text\":\"one\"}\r\n\r\n   \r\n// a comment\r\n{\"id\":\"b\",\"text\":\"two\\r\\nlines\"}\r\n";
            var path = WriteBytes(dir.File("crlf.jsonl"), Encoding.UTF8.GetBytes(text));

            var outcomes = ReadAll(path);

            Assert.Empty(outcomes.Errors());
            var docs = outcomes.Docs();
            Assert.Equal(new[] { "a", "b" }, docs.Select(d => d.Id));
            Assert.Equal(new long[] { 1, 5 }, docs.Select(d => d.SourceLine));
            Assert.Equal("two\r\nlines", docs[1].Text);
        }

        [Fact]
        public void Invalid_utf8_is_an_error_for_that_record_only()
        {
            using var dir = new TempDir();
            var bytes = new System.Collections.Generic.List<byte>();
            bytes.AddRange(Encoding.UTF8.GetBytes("{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"text\":\"bad "));
            bytes.AddRange(new byte[] { 0xC3, 0x28, 0xFF });
            bytes.AddRange(Encoding.UTF8.GetBytes("\"}\n{\"id\":\"c\",\"text\":\"caf\u00e9 \u2603\"}\n"));
            var path = WriteBytes(dir.File("utf8.jsonl"), bytes.ToArray());

            var outcomes = ReadAll(path);

            Assert.Equal(new[] { "a", "c" }, outcomes.Docs().Select(d => d.Id));
            Assert.Equal("caf\u00e9 \u2603", outcomes.Docs()[1].Text);
            var error = outcomes.Errors().Single();
            Assert.Equal(2, error.Line);
            Assert.Contains("UTF-8", error.Message);
        }

        [Fact]
        public void Invalid_utf8_in_a_cached_value_is_an_error_too()
        {
            using var dir = new TempDir();
            var bytes = new System.Collections.Generic.List<byte>();
            bytes.AddRange(Encoding.UTF8.GetBytes("{\"id\":\"b\",\"text\":\"t\",\"scope\":\"x"));
            bytes.AddRange(new byte[] { 0xFF });
            bytes.AddRange(Encoding.UTF8.GetBytes("\"}\n"));
            var outcomes = ReadAll(WriteBytes(dir.File("utf8.jsonl"), bytes.ToArray()), MemoryFormat.SkillForge);
            Assert.Contains("UTF-8", outcomes.Errors().Single().Message);
        }

        [Theory]
        [InlineData("jsonl")]
        [InlineData("array")]
        public void A_five_megabyte_text_is_read_whole(string layout)
        {
            using var dir = new TempDir();
            var big = new string('x', 5 * 1024 * 1024 - 3) + "\u00e9nd";
            var record = "{\"id\":\"big\",\"text\":\"" + big + "\"}";
            var content = layout == "jsonl"
                ? "{\"id\":\"a\",\"text\":\"small\"}\n" + record + "\n{\"id\":\"z\",\"text\":\"after\"}\n"
                : "[\n  {\"id\":\"a\",\"text\":\"small\"},\n  " + record + ",\n  {\"id\":\"z\",\"text\":\"after\"}\n]\n";
            var path = WriteUtf8(dir.File("big." + layout), content);

            var docs = ReadAll(path).Docs();

            Assert.Equal(new[] { "a", "big", "z" }, docs.Select(d => d.Id));
            Assert.Equal(big, docs[1].Text);
            Assert.Equal(new long[] { 1, 2, 3 }.Select(l => layout == "jsonl" ? l : l + 1), docs.Select(d => d.SourceLine));
        }

        [Fact]
        public void A_pretty_printed_array_gives_the_line_where_each_record_starts()
        {
            using var dir = new TempDir();
            var content =
                "[\n" +                                           // 1
                "  {\n" +                                         // 2
                "    \"id\": \"a\",\n" +                          // 3
                "    \"text\": \"first\",\n" +                    // 4
                "    \"tags\": [\n      \"x\",\n      \"y\"\n    ]\n" + // 5-8
                "  },\n" +                                        // 9
                "\n" +                                            // 10
                "  {\"id\": \"b\", \"text\": \"second\"},\n" +    // 11
                "  // a comment line\n" +                         // 12
                "  {\n" +                                         // 13
                "    \"id\": \"c\",\n" +
                "    \"text\": \"third\"\n" +
                "  }\n" +
                "]\n";
            var path = WriteUtf8(dir.File("pretty.json"), content);

            var docs = ReadAll(path).Docs();

            Assert.Equal(new[] { "a", "b", "c" }, docs.Select(d => d.Id));
            Assert.Equal(new long[] { 2, 11, 13 }, docs.Select(d => d.SourceLine));
            Assert.Equal(new[] { "x", "y" }, docs[0].Tags);
        }

        [Theory]
        [InlineData("memories")]
        [InlineData("docs")]
        [InlineData("items")]
        [InlineData("Memories")]
        public void A_wrapper_object_holding_the_array_is_read(string key)
        {
            using var dir = new TempDir();
            var content =
                "{\n" +
                "  \"version\": 2,\n" +
                "  \"exported_at\": \"2025-03-01T10:00:00Z\",\n" +
                "  \"agent\": {\"name\": \"ops-bot\", \"tools\": [\"a\", \"b\"]},\n" +
                $"  \"{key}\": [\n" +
                "    {\"id\": \"a\", \"text\": \"first\"},\n" +
                "    {\"id\": \"b\", \"text\": \"second\"}\n" +
                "  ],\n" +
                "  \"count\": 2\n" +
                "}\n";
            var path = WriteUtf8(dir.File("wrapped.json"), content);

            var outcomes = ReadAll(path);

            Assert.Empty(outcomes.Errors());
            Assert.Equal(new[] { "a", "b" }, outcomes.Docs().Select(d => d.Id));
            Assert.Equal(new long[] { 6, 7 }, outcomes.Docs().Select(d => d.SourceLine));
        }

        [Fact]
        public void A_minified_wrapper_on_one_line_is_read_as_a_wrapper_not_as_one_record()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("min.json"), "{\"memories\":[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"b\",\"text\":\"y\"}]}");
            Assert.Equal(new[] { "a", "b" }, ReadAll(path).Docs().Select(d => d.Id));
        }

        [Fact]
        public void Pretty_printed_objects_one_after_another_are_records()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("objects.json"), "{\n  \"id\": \"a\",\n  \"text\": \"x\"\n}\n{\n  \"id\": \"b\",\n  \"text\": \"y\"\n}\n");
            var docs = ReadAll(path).Docs();
            Assert.Equal(new[] { "a", "b" }, docs.Select(d => d.Id));
            Assert.Equal(new long[] { 1, 5 }, docs.Select(d => d.SourceLine));
        }

        [Theory]
        [InlineData("jsonl")]
        [InlineData("array")]
        [InlineData("wrapper")]
        public void Gzip_is_recognised_by_its_bytes_whatever_the_name(string layout)
        {
            using var dir = new TempDir();
            string content = layout switch
            {
                "jsonl" => Three,
                "array" => "[" + string.Join(",", Three.Trim().Split('\n')) + "]",
                _ => "{\"docs\":[" + string.Join(",\n", Three.Trim().Split('\n')) + "]}",
            };
            foreach (var name in new[] { "m.jsonl.gz", "m.json" })
            {
                var path = WriteGzip(dir.File(layout + name), content);
                var outcomes = ReadAll(path);
                Assert.Empty(outcomes.Errors());
                Assert.Equal(new[] { "m1", "m2", "m3" }, outcomes.Docs().Select(d => d.Id));
            }
        }

        [Fact]
        public void Damaged_gzip_data_is_a_clear_file_error()
        {
            using var dir = new TempDir();
            var bytes = new byte[4096];
            new Random(7).NextBytes(bytes);
            bytes[0] = 0x1f;
            bytes[1] = 0x8b;
            bytes[2] = 8;
            bytes[3] = 0;
            var path = WriteBytes(dir.File("broken.jsonl.gz"), bytes);

            var e = Assert.Throws<SkillForgeException>(() => ReadAll(path));
            Assert.Equal(ErrorIds.FileUnreadable, e.ErrorId);
            Assert.Contains("gzip", e.Message);
        }

        [Theory]
        [InlineData("access_count")]
        [InlineData("accessCount")]
        [InlineData("AccessCount")]
        [InlineData("access-count")]
        [InlineData("ACCESS_COUNT")]
        public void Access_count_is_found_in_every_naming_style(string name)
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("m.jsonl"), $"{{\"id\":\"a\",\"text\":\"t\",\"{name}\":7}}\n");
            Assert.Equal(7, ReadAll(path).Docs().Single().AccessCount);
        }

        [Fact]
        public void Every_field_is_found_in_camelCase_and_PascalCase()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("m.jsonl"),
                "{\"Id\":\"a\",\"Text\":\"t\",\"Tier\":\"Archive\",\"Scope\":\"s\",\"Tags\":[\"x\"],\"Kind\":\"fact\",\"AccessCount\":3,\"Embedding\":[1,2],\"CreatedAt\":\"2025-01-02T03:04:05Z\"}\n" +
                "{\"id\":\"b\",\"text\":\"t\",\"tier\":\"Archive\",\"scope\":\"s\",\"tags\":[\"x\"],\"kind\":\"fact\",\"accessCount\":3,\"embedding\":[1,2],\"createdAt\":\"2025-01-02T03:04:05Z\"}\n");
            var docs = ReadAll(path).Docs();
            Assert.Equal(2, docs.Count);
            foreach (var doc in docs)
            {
                Assert.Equal("Archive", doc.Tier);
                Assert.Equal("s", doc.Scope);
                Assert.Equal(new[] { "x" }, doc.Tags);
                Assert.Equal("fact", doc.Kind);
                Assert.Equal(3, doc.AccessCount);
                Assert.Equal(new[] { 1f, 2f }, doc.Embedding);
                Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), doc.CreatedAt);
            }
        }

        [Theory]
        [InlineData("{\"_id\":\"a\",\"content\":\"t\",\"namespace\":\"ns\",\"type\":\"lesson\"}")]
        [InlineData("{\"uuid\":\"a\",\"memory\":\"t\",\"namespace\":\"ns\",\"type\":\"lesson\"}")]
        [InlineData("{\"memory_id\":\"a\",\"value\":\"t\",\"namespace\":\"ns\",\"type\":\"lesson\"}")]
        [InlineData("{\"memoryId\":\"a\",\"Content\":\"t\",\"Namespace\":\"ns\",\"Type\":\"lesson\"}")]
        [InlineData("{\"te\\u0078t\":\"t\",\"\\u0069d\":\"a\",\"namespace\":\"ns\",\"kind\":\"lesson\"}")]
        public void Aliases_of_id_text_scope_and_kind_are_accepted(string record)
        {
            using var dir = new TempDir();
            var doc = ReadAll(WriteUtf8(dir.File("m.jsonl"), record + "\n")).Docs().Single();
            Assert.Equal("a", doc.Id);
            Assert.Equal("t", doc.Text);
            Assert.Equal("ns", doc.Scope);
            Assert.Equal("lesson", doc.Kind);
        }

        [Fact]
        public void The_canonical_name_wins_over_an_alias_whatever_the_order()
        {
            using var dir = new TempDir();
            var doc = ReadAll(WriteUtf8(dir.File("m.jsonl"),
                "{\"content\":\"alias\",\"uuid\":\"u\",\"text\":\"canonical\",\"id\":\"i\",\"type\":\"t\",\"kind\":\"k\",\"value\":{\"nested\":[1,2]}}\n")).Docs().Single();
            Assert.Equal("canonical", doc.Text);
            Assert.Equal("i", doc.Id);
            Assert.Equal("k", doc.Kind);
        }

        [Fact]
        public void A_numeric_id_is_kept_as_its_json_text()
        {
            using var dir = new TempDir();
            Assert.Equal("1042", ReadAll(WriteUtf8(dir.File("m.jsonl"), "{\"id\":1042,\"text\":\"t\"}\n")).Docs().Single().Id);
        }

        [Theory]
        [InlineData("[\"deploy\",\"ops\",\"crystallized\"]")]
        [InlineData("\"deploy, ops,crystallized\"")]
        [InlineData("\"deploy;ops; crystallized\"")]
        [InlineData("\" deploy ,, ops ; crystallized ; \"")]
        [InlineData("[\"deploy\",null,\" ops \",\"\",\"crystallized\"]")]
        public void Tags_come_as_an_array_or_a_separated_string(string tags)
        {
            using var dir = new TempDir();
            var doc = ReadAll(WriteUtf8(dir.File("m.jsonl"), $"{{\"id\":\"a\",\"text\":\"t\",\"tags\":{tags}}}\n")).Docs().Single();
            Assert.Equal(new[] { "deploy", "ops", "crystallized" }, doc.Tags);
            Assert.True(doc.HasTag("Crystallized"));
        }

        [Fact]
        public void Embeddings_become_float_arrays()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("m.jsonl"),
                "{\"id\":\"a\",\"text\":\"t\",\"embedding\":[0.25,-1.5,3e-2,0]}\n" +
                "{\"id\":\"b\",\"text\":\"t\",\"embedding\":[]}\n" +
                "{\"id\":\"c\",\"text\":\"t\",\"embedding\":null}\n");
            var docs = ReadAll(path).Docs();
            Assert.Equal(new[] { 0.25f, -1.5f, 0.03f, 0f }, docs[0].Embedding);
            Assert.Null(docs[1].Embedding);
            Assert.Null(docs[2].Embedding);
        }

        [Theory]
        [InlineData("\"12\"", 12)]
        [InlineData("\" 12 \"", 12)]
        [InlineData("12", 12)]
        [InlineData("12.0", 12)]
        [InlineData("0", 0)]
        [InlineData("null", 0)]
        public void Access_count_accepts_numbers_and_numeric_strings(string value, long expected)
        {
            using var dir = new TempDir();
            var doc = ReadAll(WriteUtf8(dir.File("m.jsonl"), $"{{\"id\":\"a\",\"text\":\"t\",\"access_count\":{value}}}\n")).Docs().Single();
            Assert.Equal(expected, doc.AccessCount);
        }

        [Theory]
        [InlineData("\"2025-03-04T05:06:07Z\"", 1741064767L)]
        [InlineData("\"2025-03-04T07:06:07+02:00\"", 1741064767L)]
        [InlineData("\"2025-03-04 05:06:07\"", 1741064767L)]
        [InlineData("1741064767", 1741064767L)]
        [InlineData("1741064767.4", 1741064767L)]
        [InlineData("1741064767000", 1741064767L)]
        [InlineData("\"1741064767\"", 1741064767L)]
        public void Created_at_is_an_iso_date_or_epoch_seconds(string value, long epochSeconds)
        {
            using var dir = new TempDir();
            var doc = ReadAll(WriteUtf8(dir.File("m.jsonl"), $"{{\"id\":\"a\",\"text\":\"t\",\"created_at\":{value}}}\n")).Docs().Single();
            Assert.Equal(epochSeconds, doc.CreatedAt!.Value.ToUnixTimeSeconds());
        }

        [Theory]
        [InlineData("\"just a string\"", "a string")]
        [InlineData("[1,2,3]", "an array")]
        [InlineData("42", "a number")]
        [InlineData("null", "null")]
        [InlineData("true", "true")]
        public void A_jsonl_record_that_is_not_an_object_is_an_error(string line, string what)
        {
            using var dir = new TempDir();
            var outcomes = ReadAll(WriteUtf8(dir.File("m.jsonl"), "{\"id\":\"a\",\"text\":\"t\"}\n" + line + "\n{\"id\":\"b\",\"text\":\"t\"}\n"));
            Assert.Equal(new[] { "a", "b" }, outcomes.Docs().Select(d => d.Id));
            var error = outcomes.Errors().Single();
            Assert.Equal(2, error.Line);
            Assert.Contains($"is {what}, not a JSON object", error.Message);
        }

        [Fact]
        public void An_array_element_that_is_not_an_object_is_an_error_and_the_rest_is_read()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("m.json"), "[\n {\"id\":\"a\",\"text\":\"t\"},\n \"stray\",\n [1, {\"x\": 2}],\n {\"id\":\"b\",\"text\":\"t\"}\n]");
            var outcomes = ReadAll(path);
            Assert.Equal(new[] { "a", "b" }, outcomes.Docs().Select(d => d.Id));
            Assert.Equal(new long[] { 3, 4 }, outcomes.Errors().Select(e => e.Line));
            Assert.Contains("array element at line 3", outcomes.Errors()[0].Message);
            Assert.Contains("is an array", outcomes.Errors()[1].Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   \n\r\n\t\n")]
        [InlineData("\uFEFF")]
        public void An_empty_file_gives_no_docs_and_a_warning(string content)
        {
            using var dir = new TempDir();
            var path = WriteBytes(dir.File("empty.jsonl"), Encoding.UTF8.GetBytes(content));
            var sink = new RecordingSink();

            var outcomes = MemoryExportReader.Read(path, MemoryFormat.Auto, sink).ToList();

            Assert.Empty(outcomes);
            Assert.Contains("empty", Assert.Single(sink.Warnings));
        }

        [Fact]
        public void An_empty_array_or_wrapper_gives_no_docs_and_no_error()
        {
            using var dir = new TempDir();
            Assert.Empty(ReadAll(WriteUtf8(dir.File("a.json"), "[]")));
            Assert.Empty(ReadAll(WriteUtf8(dir.File("b.json"), "{\"memories\": []}")));
        }

        [Fact]
        public void A_binary_file_is_a_clear_error_not_garbage_docs()
        {
            using var dir = new TempDir();
            var bytes = new byte[8192];
            new Random(42).NextBytes(bytes);
            bytes[0] = 0x89; // PNG-like start, and never gzip magic
            bytes[1] = (byte)'P';
            bytes[10] = 0;
            var path = WriteBytes(dir.File("picture.jsonl"), bytes);

            var auto = Assert.Throws<SkillForgeException>(() => ReadAll(path));
            Assert.Equal(ErrorIds.ImportUnknownFormat, auto.ErrorId);
            Assert.Contains("binary", auto.Message);
            Assert.Contains("tried Letta, Mem0, SkillRL, Reflexion, SkillForge", auto.Message);

            var forced = Assert.Throws<SkillForgeException>(() => ReadAll(path, MemoryFormat.SkillForge));
            Assert.Equal(ErrorIds.ImportInvalidJson, forced.ErrorId);
            Assert.Contains("binary", forced.Message);
            Assert.Equal(Path.GetFullPath(path), forced.Target);
        }

        [Fact]
        public void A_utf16_file_is_told_to_be_saved_as_utf8()
        {
            using var dir = new TempDir();
            var path = WriteBytes(dir.File("u16.jsonl"), Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{\"id\":\"a\",\"text\":\"t\"}\n")).ToArray());
            var e = Assert.Throws<SkillForgeException>(() => ReadAll(path, MemoryFormat.SkillForge));
            Assert.Contains("UTF-16", e.Message);
        }

        [Fact]
        public void A_json_string_holding_an_export_is_told_apart()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("twice.json"), "\"{\\n  \\\"memories\\\": []}\"");
            var e = Assert.Throws<SkillForgeException>(() => ReadAll(path));
            Assert.Contains("JSON-encoded twice", e.Message);
        }

        [Fact]
        public void Json_that_is_no_known_export_names_the_formats_tried()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("other.json"), "{\"dialogues\": [{\"speaker\": \"ana\", \"utterance\": \"hello\"}]}");
            var e = Assert.Throws<SkillForgeException>(() => ReadAll(path));
            Assert.Equal(ErrorIds.ImportUnknownFormat, e.ErrorId);
            Assert.Contains("Letta, Mem0, SkillRL, Reflexion, SkillForge", e.Message);
            Assert.Contains("-Format", e.Message);
            Assert.Equal(Path.GetFullPath(path), e.Target);
        }

        [Fact]
        public void A_syntax_error_inside_an_array_is_an_error_for_that_record_and_the_rest_is_imported()
        {
            // This used to end the file after the docs before the error; the array reader now steps over the bad record.
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("broken.json"), "[\n {\"id\":\"a\",\"text\":\"t\"},\n {\"id\":\"b\",\"text\":\"t\"},\n {\"id\":\"c\" \"text\":\"t\"},\n {\"id\":\"d\",\"text\":\"t\"}\n]");
            var outcomes = ReadAll(path);

            Assert.Equal(new[] { "a", "b", "d" }, outcomes.Docs().Select(d => d.Id));
            var error = outcomes.Errors().Single();
            Assert.Equal(ErrorIds.ImportInvalidRecord, error.ErrorId);
            Assert.Equal(4, error.Line);
            Assert.Contains("line 4", error.Message);
            Assert.Contains(Path.GetFullPath(path), error.Message);
            Assert.Contains("\"c\"", error.Snippet);
        }

        [Fact]
        public void A_syntax_error_that_breaks_the_array_itself_ends_the_file_after_the_docs_before_it()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("broken.json"), "[\n {\"id\":\"a\",\"text\":\"t\"},\n {\"id\":\"b\",\"text\":\"t},\n {\"id\":\"d\",\"text\":\"t\"}\n]");
            var seen = new System.Collections.Generic.List<string>();

            var e = Assert.Throws<SkillForgeException>(() =>
            {
                foreach (var o in MemoryExportReader.Read(path)) seen.Add(o.Value!.Id);
            });

            Assert.Equal(new[] { "a" }, seen);
            Assert.Equal(ErrorIds.ImportInvalidJson, e.ErrorId);
            Assert.Contains("line 3", e.Message);
            Assert.Contains(Path.GetFullPath(path), e.Message);
        }

        [Fact]
        public void A_truncated_array_is_reported_after_its_complete_records()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("cut.json"), "[{\"id\":\"a\",\"text\":\"t\"},{\"id\":\"b\",\"te");
            var seen = new System.Collections.Generic.List<string>();
            var e = Assert.Throws<SkillForgeException>(() =>
            {
                foreach (var o in MemoryExportReader.Read(path)) seen.Add(o.Value!.Id);
            });
            Assert.Equal(new[] { "a" }, seen);
            Assert.Equal(ErrorIds.ImportInvalidJson, e.ErrorId);
        }

        [Fact]
        public void A_missing_file_and_a_folder_are_file_errors_raised_before_enumeration()
        {
            using var dir = new TempDir();
            var missing = Assert.Throws<SkillForgeException>(() => MemoryExportReader.Read(dir.File("nope.jsonl")));
            Assert.Equal(ErrorIds.FileNotFound, missing.ErrorId);
            var folder = Assert.Throws<SkillForgeException>(() => MemoryExportReader.Read(dir.Path));
            Assert.Equal(ErrorIds.FileUnreadable, folder.ErrorId);
            Assert.Contains("folder", folder.Message);
        }

        [Fact]
        public void The_stream_overload_reads_a_non_seekable_stream_and_detects_the_format()
        {
            var bytes = Encoding.UTF8.GetBytes(Three);
            using var stream = new ForwardOnlyStream(new MemoryStream(bytes));
            var docs = MemoryExportReader.Read(stream, "/exports/m.jsonl", MemoryFormat.Auto).Docs();
            Assert.Equal(new[] { "m1", "m2", "m3" }, docs.Select(d => d.Id));
            Assert.All(docs, d => Assert.Equal("/exports/m.jsonl", d.SourceFile));
        }

        [Fact]
        public void A_cancelled_token_stops_the_read()
        {
            using var dir = new TempDir();
            var path = WriteUtf8(dir.File("m.jsonl"), Three);
            using var cts = new CancellationTokenSource();
            using var e = MemoryExportReader.Read(path, MemoryFormat.Auto, cts.Token).GetEnumerator();
            Assert.True(e.MoveNext());
            cts.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => e.MoveNext());
        }

        [Fact]
        public void A_large_file_reports_progress_by_bytes_and_completes_it()
        {
            using var dir = new TempDir();
            var sb = new StringBuilder();
            var filler = new string('w', 900);
            for (int i = 0; sb.Length < MemoryExportReader.ProgressThresholdBytes + 1000; i++)
                sb.Append("{\"id\":\"m").Append(i).Append("\",\"text\":\"").Append(filler).Append("\"}\n");
            var path = WriteUtf8(dir.File("large.jsonl"), sb.ToString());
            var sink = new RecordingSink();

            int count = MemoryExportReader.Read(path, MemoryFormat.Auto, sink).Count();

            Assert.True(count > 4000);
            Assert.NotEmpty(sink.Progress);
            Assert.All(sink.Progress, p => Assert.Equal(MemoryExportReader.ProgressActivity, p.Activity));
            Assert.False(sink.Progress[0].Completed);
            Assert.True(sink.Progress[sink.Progress.Count - 1].Completed);
            Assert.Equal(new FileInfo(path).Length, sink.Progress[sink.Progress.Count - 1].Total);
        }

        [Fact]
        public void A_small_file_reports_no_progress()
        {
            using var dir = new TempDir();
            var sink = new RecordingSink();
            MemoryExportReader.Read(WriteUtf8(dir.File("m.jsonl"), Three), MemoryFormat.Auto, sink).ToList();
            Assert.Empty(sink.Progress);
        }

        [Fact]
        public void The_bundled_example_export_imports_cleanly()
        {
            var path = Path.Combine(TestPaths.Examples, "memories.jsonl");
            var outcomes = ReadAll(path);
            Assert.Empty(outcomes.Errors());
            var docs = outcomes.Docs();
            Assert.True(docs.Count >= 200, $"{docs.Count} docs");
            Assert.Equal(docs.Count, docs.Select(d => d.Id).Distinct().Count());
            Assert.True(docs.Select(d => d.Scope).Distinct().Count() >= 4);
            Assert.Contains(docs, d => d.Tier == "Working");
            Assert.Contains(docs, d => d.Tier == "Archive");
            Assert.Contains(docs, d => d.HasTag("crystallized"));
            Assert.All(docs, d => Assert.NotNull(d.CreatedAt));
            Assert.Equal(Enumerable.Range(1, docs.Count).Select(i => (long)i), docs.Select(d => d.SourceLine));
        }

        [RealDataFact]
        public void Real_exports_of_other_tools_are_not_taken_for_skillforge_exports()
        {
            // Letta agent files, a mem0 dump, SkillRL/Reflexion/SWE-agent files, Claude Code and Codex transcripts.
            var format = new SkillForge.Import.Formats.SkillForgeMemoryFormat();
            var files = new[] { "memory", "trajectories", "claude-code", "codex" }
                .Select(d => Path.Combine(TestPaths.RealData!, d))
                .Where(Directory.Exists)
                .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories))
                .Where(f => !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.NotEmpty(files);
            foreach (var file in files)
                Assert.False(format.Recognizes(SkillForge.IO.SourceSample.Read(file)), file);
        }

        /// <summary>A stream that can only be read forwards, like a pipe or a network stream.</summary>
        private sealed class ForwardOnlyStream : Stream
        {
            private readonly Stream _inner;
            public ForwardOnlyStream(Stream inner) => _inner = inner;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}

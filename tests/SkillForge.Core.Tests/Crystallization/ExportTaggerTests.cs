using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using SkillForge.Crystallization;
using SkillForge.Diagnostics;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Crystallization
{
    public class ExportTaggerTests
    {
        [Fact]
        public void Jsonl_copy_tags_listed_docs_and_keeps_other_lines_byte_identical()
        {
            using var temp = new TempDir();
            var lines = new[]
            {
                "{\"id\":\"m-1\",\"text\":\"Run migrations first.\",\"tags\":[\"db\"]}\r\n",
                "{ \"id\" : \"m-2\",   \"text\" : \"Unrelated, spaced   oddly.\" }\n",
                "not json at all\n",
                "{\"id\":\"m-3\",\"text\":\"Caf\u00e9 \\u00e9t\u00e9\",\"access_count\":4}\n",
                "\n",
                "{\"id\":\"m-4\",\"text\":\"Already done\",\"tags\":[\"crystallized\"]}",
            };
            var input = temp.Write("memories.jsonl", string.Concat(lines));
            var output = temp.File("out/memories.crystallized.jsonl");

            var result = ExportTagger.WriteTaggedCopy(input, output, new[] { "m-1", "m-3", "m-4", "m-404" });

            Assert.Equal(2, result.Tagged);
            Assert.Equal(new[] { "m-404" }, result.NotFound);
            var written = File.ReadAllText(output, Encoding.UTF8);
            var outLines = written.Split('\n');
            Assert.Equal("{\"id\":\"m-1\",\"text\":\"Run migrations first.\",\"tags\":[\"db\",\"crystallized\"]}\r", outLines[0]);
            Assert.Equal(lines[1].TrimEnd('\n'), outLines[1]);
            Assert.Equal("not json at all", outLines[2]);
            var m3 = JsonNode.Parse(outLines[3])!;
            Assert.Equal("Caf\u00e9 \u00e9t\u00e9", (string)m3["text"]!);
            Assert.Equal(new[] { "crystallized" }, m3["tags"]!.AsArray().Select(t => (string)t!));
            Assert.Equal("", outLines[4]);
            Assert.Equal(lines[5], outLines[5]); // already tagged: untouched, no trailing newline added
            Assert.Equal(string.Concat(lines), File.ReadAllText(input)); // input untouched
            Assert.Equal(new[] { "memories.crystallized.jsonl" }, Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName));
        }

        [Fact]
        public void A_damaged_gzip_export_is_a_SkillForge_error_and_writes_nothing()
        {
            using var temp = new TempDir();
            var input = temp.File("memories.jsonl.gz");
            // The gzip magic bytes, then bytes that are no deflate stream.
            File.WriteAllBytes(input, new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37 });
            var output = temp.File("out/memories.crystallized.jsonl");

            var e = Assert.Throws<SkillForgeException>(() => ExportTagger.WriteTaggedCopy(input, output, new[] { "m-1" }));

            Assert.Equal(ErrorIds.ExportUpdateFailed, e.ErrorId);
            Assert.Equal(FailureCategory.ReadError, e.Category);
            Assert.False(File.Exists(output));
        }

        [Fact]
        public void Json_wrapper_and_nested_records_are_tagged_through_JsonNode()
        {
            using var temp = new TempDir();
            var input = temp.Write("export.json",
                "{\"results\":[{\"id\":\"a\",\"memory\":\"one\",\"categories\":[\"ops\"]},{\"id\":\"b\",\"memory\":\"two\"}],\"relations\":[{\"id\":\"a\"}]}");
            var output = temp.File("export.tagged.json");
            var result = ExportTagger.WriteTaggedCopy(input, output, new[] { "a", "b" });
            Assert.Equal(2, result.Tagged);
            var root = JsonNode.Parse(File.ReadAllText(output))!;
            Assert.Equal(new[] { "ops", "crystallized" }, root["results"]![0]!["categories"]!.AsArray().Select(t => (string)t!));
            Assert.Equal(new[] { "crystallized" }, root["results"]![1]!["tags"]!.AsArray().Select(t => (string)t!));
            Assert.Null(root["relations"]![0]!["tags"]); // no text: not a memory record
        }

        [Fact]
        public void Json_array_with_PascalCase_fields_gets_a_Tags_list()
        {
            using var temp = new TempDir();
            var input = temp.Write("export.json", "[\n  {\"Id\": \"x\", \"Text\": \"t\", \"Tags\": null}\n]\n");
            var output = temp.File("copy.json");
            ExportTagger.WriteTaggedCopy(input, output, new[] { "x" });
            var text = File.ReadAllText(output);
            Assert.Equal(new[] { "crystallized" }, JsonNode.Parse(text)![0]!["Tags"]!.AsArray().Select(t => (string)t!));
            Assert.EndsWith("\n", text);
        }

        [Fact]
        public void Gzip_input_is_read_and_a_gz_output_is_compressed()
        {
            using var temp = new TempDir();
            var input = temp.File("m.jsonl.gz");
            using (var file = File.Create(input))
            using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            {
                var bytes = Encoding.UTF8.GetBytes("{\"id\":\"g\",\"text\":\"zipped\"}\n");
                zip.Write(bytes, 0, bytes.Length);
            }
            var output = temp.File("out.jsonl.gz");
            ExportTagger.WriteTaggedCopy(input, output, new[] { "g" });
            using var reader = new StreamReader(new GZipStream(File.OpenRead(output), CompressionMode.Decompress));
            Assert.Equal("{\"id\":\"g\",\"text\":\"zipped\",\"tags\":[\"crystallized\"]}\n", reader.ReadToEnd());
        }

        [Fact]
        public void The_input_path_itself_is_refused()
        {
            using var temp = new TempDir();
            var input = temp.Write("m.jsonl", "{\"id\":\"a\",\"text\":\"x\"}\n");
            var e = Assert.Throws<SkillForgeException>(() => ExportTagger.WriteTaggedCopy(input, Path.Combine(temp.Path, ".", "m.jsonl"), new[] { "a" }));
            Assert.Equal(ErrorIds.ExportUpdateFailed, e.ErrorId);
            Assert.Contains("never rewrites its input", e.Message);
            Assert.Equal("{\"id\":\"a\",\"text\":\"x\"}\n", File.ReadAllText(input));
        }
    }
}

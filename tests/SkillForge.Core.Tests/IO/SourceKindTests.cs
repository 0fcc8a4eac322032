using System.IO;
using SkillForge.Diagnostics;
using SkillForge.Import;
using SkillForge.IO;
using SkillForge.Tests.Support;
using SkillForge.Traces;
using Xunit;

namespace SkillForge.Tests.IO
{
    public class SourceKindTests
    {
        private static SourceSample Sample(string text) => new SourceSample("sample.jsonl", text);

        [Fact]
        public void A_memory_record_with_a_kind_is_a_memory_export_not_a_trace()
        {
            var memory = Sample("{\"id\":\"m1\",\"text\":\"Run make migrate first.\",\"tier\":\"Core\",\"scope\":\"project:x\",\"kind\":\"procedure\"}\n");
            Assert.True(SourceKind.LooksLikeMemoryExport(memory));
            Assert.Equal(ErrorIds.TraceIsMemoryExport, SourceKind.MemoryExportGivenToImportTrace(memory, "m.jsonl")!.ErrorId);
        }

        [Theory]
        [InlineData("{\"trace_id\":\"t\",\"kind\":\"action_succeeded\",\"tool\":\"shell\",\"text\":\"x\",\"scope\":\"s\"}\n")]
        [InlineData("{\"kind\":\"user_prompt\",\"data\":{\"text\":\"hello\"}}\n")]
        [InlineData("{\"kind\":\"note\",\"text\":\"only a text\"}\n")]
        public void Trace_records_and_bare_texts_are_not_taken_for_memories(string record)
        {
            Assert.False(SourceKind.LooksLikeMemoryExport(Sample(record)));
            Assert.Null(SourceKind.MemoryExportGivenToImportTrace(Sample(record), "t.jsonl"));
        }

        [Fact]
        public void The_bundled_files_are_told_apart_and_each_import_names_the_other()
        {
            var memories = Path.Combine(TestPaths.Examples, "memories.jsonl");
            var trace = Path.Combine(TestPaths.Examples, "trace.jsonl");
            var e = Assert.Throws<SkillForgeException>(() => TraceReader.Resolve(memories, TraceFormat.Auto));
            Assert.Equal(ErrorIds.TraceIsMemoryExport, e.ErrorId);
            Assert.Contains("Import-MemoryExport", e.Message);
            var f = Assert.Throws<SkillForgeException>(() => MemoryExportReader.Resolve(MemoryFormat.Auto, SourceSample.Read(trace), trace));
            Assert.Equal(ErrorIds.ImportIsTrace, f.ErrorId);
            Assert.Contains("Import-Trace", f.Message);
            Assert.Equal(TraceFormat.SkillForge, TraceReader.Resolve(trace, TraceFormat.Auto).Format);
            // Named explicitly, a format is read as asked.
            Assert.Equal(TraceFormat.SkillForge, TraceReader.Resolve(memories, TraceFormat.SkillForge).Format);
        }
    }
}

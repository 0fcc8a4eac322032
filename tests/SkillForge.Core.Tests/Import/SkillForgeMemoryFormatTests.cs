using SkillForge.Import.Formats;
using SkillForge.IO;
using Xunit;

namespace SkillForge.Tests.Import
{
    public class SkillForgeMemoryFormatTests
    {
        private static bool Recognizes(string head) => new SkillForgeMemoryFormat().Recognizes(new SourceSample("m.jsonl", head));

        [Theory]
        [InlineData("{\"id\":\"a\",\"text\":\"t\"}\n{\"id\":\"b\",\"text\":\"u\"}\n")]
        [InlineData("\n\n  {\"Id\":\"a\",\"Content\":\"t\"}\n")]
        [InlineData("not json\n{\"id\":\"b\",\"memory\":\"u\"}\n")]
        [InlineData("[{\"id\":\"a\",\"text\":\"t\"}]")]
        [InlineData("[\n  {\n    \"id\": \"a\",\n    \"value\": \"t\"\n  }\n]")]
        [InlineData("[]")]
        [InlineData("{\n  \"version\": 1,\n  \"memories\": [\n    {\"id\": \"a\", \"text\": \"t\"}\n  ]\n}")]
        [InlineData("{\"docs\": []}")]
        [InlineData("{\n  \"id\": \"a\",\n  \"text\": \"pretty single record\"\n}")]
        [InlineData("{\"id\":\"a\",\"text\":\"a record cut at the end of the sam")]
        public void Recognizes_its_records(string head) => Assert.True(Recognizes(head));

        [Theory]
        [InlineData("")]
        [InlineData("   \n")]
        [InlineData("id,text\n1,hello\n")]
        [InlineData("{\"conv_0\": [{\"question\": \"q\", \"memories\": [\"a\"]}]}")]
        [InlineData("{\"agents\": [{\"name\": \"a\", \"memory_blocks\": []}], \"blocks\": []}")]
        [InlineData("[{\"name\": \"env\", \"memory_list\": [\"x\"], \"is_success\": true}]")]
        [InlineData("[\"just\", \"strings\"]")]
        [InlineData("[{\"name\": \"env_0\", \"memory\": [\"reflection\"], \"is_success\": false}]")]
        [InlineData("{\"kind\":\"action_succeeded\",\"trace_id\":\"t\"}\n")]
        public void Does_not_claim_other_files(string head) => Assert.False(Recognizes(head));
    }
}

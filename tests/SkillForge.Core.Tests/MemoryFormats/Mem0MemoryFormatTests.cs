using System;
using System.Linq;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.MemoryFormats
{
    public class Mem0MemoryFormatTests
    {
        private static readonly Mem0MemoryFormat Reader = new Mem0MemoryFormat();

        [RealDataFact]
        public void Locomo_dump_gives_one_doc_per_distinct_memory_with_its_retrieval_count()
        {
            // Counted independently: conv_0 has 2 questions that each retrieved the same 10 memory strings.
            var path = TestPaths.RealDataFile("memory/mem0/mem0_results.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(10, read.Count);
            Assert.Equal(10, read.Select(d => d.Id).Distinct().Count());
            Assert.All(read, d =>
            {
                Assert.Equal("conv_0", d.Scope);
                Assert.Equal(2, d.AccessCount);
                Assert.Equal(new DateTimeOffset(2023, 5, 8, 13, 56, 0, TimeSpan.Zero), d.CreatedAt);
                Assert.DoesNotContain("on 8 May", d.Text);
                Assert.StartsWith("mem0-", d.Id);
                Assert.Equal("Core", d.Tier);
                Assert.Equal(1, d.SourceLine);
            });
            Assert.Equal("Went to an LGBTQ support group yesterday", read[0].Text);
            Assert.Equal(read.Select(d => d.Id), FormatHarness.ReadMemory(Reader, path).Docs.Select(d => d.Id));
        }

        [Fact]
        public void Results_items_map_scope_tags_dates_and_report_items_without_text()
        {
            var path = FormatHarness.Fixture("mem0/categories.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Equal(4, read.Count);
            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.ImportInvalidRecord, error.ErrorId);
            Assert.Equal(4, error.Line);

            Assert.Equal("0f8d7c1e-5b7a-4c55-9f7e-2d1a3c4b5e60", read[0].Id);
            Assert.Equal("Prefers window seats on long flights", read[0].Text);
            Assert.Equal("user:alice", read[0].Scope); // user_id wins over agent_id
            Assert.Equal(new[] { "travel", "preferences", "preference" }, read[0].Tags);
            Assert.Equal(new DateTimeOffset(2025, 1, 14, 17, 30, 0, TimeSpan.Zero), read[0].CreatedAt!.Value.ToUniversalTime());

            Assert.Equal("agent:travel-bot", read[1].Scope);
            Assert.Equal(new[] { "health" }, read[1].Tags);
            Assert.Equal("run:session-7", read[2].Scope);
            Assert.Equal(new[] { "fact" }, read[2].Tags);

            Assert.Equal("app:planner", read[3].Scope);
            Assert.StartsWith("mem0-", read[3].Id);
            Assert.Equal(5, read[3].SourceLine);
        }

        [Fact]
        public void Bare_lists_and_speaker_grouped_dumps_are_read()
        {
            var list = "[{\"id\": \"m1\", \"memory\": \"Likes tea\", \"user_id\": \"bob\"}]";
            Assert.True(Reader.Recognizes(FormatHarness.SampleOf("dump.json", list)));
            var (docs, errors) = FormatHarness.ReadMemoryText(Reader, "dump.json", list);
            Assert.Empty(errors);
            Assert.Equal("user:bob", Assert.Single(docs).Scope);

            var speakers = "{\"conv_3\": [{\"question\": \"q\", \"speaker_1_memories\": [{\"memory\": \"Owns a dog\", \"timestamp\": \"4:04 pm on 20 January, 2023\"}]," +
                           " \"speaker_2_memories\": [\"Plays chess\"]}]}";
            Assert.True(Reader.Recognizes(FormatHarness.SampleOf("search.json", speakers)));
            (docs, errors) = FormatHarness.ReadMemoryText(Reader, "search.json", speakers);
            Assert.Empty(errors);
            Assert.Equal(new[] { "conv_3/speaker_1", "conv_3/speaker_2" }, docs.Select(d => d.Scope));
            Assert.Equal(new DateTimeOffset(2023, 1, 20, 16, 4, 0, TimeSpan.Zero), docs[0].CreatedAt);
            Assert.Equal("Plays chess", docs[1].Text);
            Assert.Null(docs[1].CreatedAt);
        }

        [Theory]
        [InlineData("1:56 pm on 8 May, 2023", 2023, 5, 8, 13, 56)]
        [InlineData("10:37 am on 27 June, 2023", 2023, 6, 27, 10, 37)]
        [InlineData("8:00 PM on 1 Jan, 2024", 2024, 1, 1, 20, 0)]
        public void Locomo_times_parse_as_utc(string when, int y, int mo, int d, int h, int mi) =>
            Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero), Mem0MemoryFormat.ParseWhen(when));
    }
}

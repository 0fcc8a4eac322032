using System;
using System.Linq;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.MemoryFormats
{
    public class LettaMemoryFormatTests
    {
        private static readonly LettaMemoryFormat Reader = new LettaMemoryFormat();

        // Counted independently: blocks per file, and those with a blank value.
        [RealDataTheory]
        [InlineData("current/customer_service.af", 2, "customer_service")]
        [InlineData("current/deep_research_agent.af", 2, "deep-thought-research-agent")]
        [InlineData("current/memgpt_agent_with_convo.af", 2, "memgpt_agent")]
        [InlineData("legacy-v0.6/memgpt_agent_with_convo.af", 2, "memgpt_agent_with_convo")]
        public void Real_agent_files_give_one_doc_per_non_empty_block(string file, int docs, string agent)
        {
            var path = TestPaths.RealDataFile("memory/letta/" + file);
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(docs, read.Count);
            Assert.All(read, d =>
            {
                Assert.Equal("Core", d.Tier);
                Assert.Equal("block", d.Kind);
                Assert.StartsWith(agent + "/", d.Scope);
                Assert.Equal(d.Scope.Substring(agent.Length + 1), d.Tags[0]);
                Assert.False(string.IsNullOrWhiteSpace(d.Text));
                Assert.Equal(d.Text.Trim(), d.Text);
                Assert.Equal(path, d.SourceFile);
            });
            Assert.Equal(new[] { "human", "persona" }, read.Select(d => d.Tags[0]).OrderBy(t => t, StringComparer.Ordinal));
        }

        [RealDataFact]
        public void Double_encoded_current_file_keeps_block_ids_and_the_agent_that_uses_them()
        {
            var (read, _) = FormatHarness.ReadMemory(Reader, TestPaths.RealDataFile("memory/letta/current/customer_service.af"));
            Assert.Equal(new[] { "block-2", "block-3" }, read.Select(d => d.Id));
            Assert.Equal(new[] { "customer_service/human", "customer_service/persona" }, read.Select(d => d.Scope));
            Assert.StartsWith("Act as ANNA", read[1].Text);
        }

        [RealDataFact]
        public void Empty_research_blocks_are_skipped()
        {
            var (read, _) = FormatHarness.ReadMemory(Reader, TestPaths.RealDataFile("memory/letta/current/deep_research_agent.af"));
            Assert.Equal(new[] { "block-0", "block-1" }, read.Select(d => d.Id));
            Assert.DoesNotContain(read, d => d.Scope.EndsWith("research_plan", StringComparison.Ordinal));
        }

        [RealDataFact]
        public void Legacy_blocks_get_deterministic_ids_and_their_creation_time()
        {
            var path = TestPaths.RealDataFile("memory/letta/legacy-v0.6/memgpt_agent_with_convo.af");
            var first = FormatHarness.ReadMemory(Reader, path).Docs;
            var second = FormatHarness.ReadMemory(Reader, path).Docs;
            Assert.Equal(new[] { "memgpt_agent_with_convo/core_memory/0", "memgpt_agent_with_convo/core_memory/1" }, first.Select(d => d.Id));
            Assert.Equal(first.Select(d => d.Id), second.Select(d => d.Id));
            Assert.Equal(DateTimeOffset.Parse("2025-03-24T02:59:06.081842+00:00", System.Globalization.CultureInfo.InvariantCulture), first[0].CreatedAt);
            Assert.Contains("First name: Brad", first[1].Text);
        }

        [Fact]
        public void Hand_made_double_encoded_file_maps_scope_tags_kind_and_skips_placeholders()
        {
            var path = FormatHarness.Fixture("letta/double-encoded.af");
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);
            Assert.Empty(errors);
            Assert.Equal(new[] { "block-0", "block-1", "block-3" }, read.Select(d => d.Id)); // block-2 is "[unknown]"

            Assert.Equal("helpdesk/persona", read[0].Scope);
            Assert.Equal(new[] { "persona", "support", "tier-1" }, read[0].Tags);
            Assert.Equal("block", read[0].Kind);

            Assert.Equal("helpdesk/learned_corrections", read[1].Scope);
            Assert.Equal("lesson", read[1].Kind);

            Assert.Equal("shared_policies", read[2].Scope); // no agent lists block-3
            Assert.Equal(new[] { "shared_policies" }, read[2].Tags);
            Assert.Equal(4, read[2].SourceLine);
        }

        [Fact]
        public void Hand_made_legacy_file_skips_placeholders_and_reports_bad_blocks()
        {
            var path = FormatHarness.Fixture("letta/legacy-placeholders.af");
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Equal(new[] { "coach/core_memory/0", "coach/core_memory/4" }, read.Select(d => d.Id));
            Assert.Equal("I am a running coach who keeps advice short.", read[0].Text);
            Assert.Equal(new[] { "persona", "fitness" }, read[0].Tags);
            Assert.Equal("lesson", read[1].Kind);
            Assert.Equal("coach/mistake_log", read[1].Scope);

            Assert.Equal(new long[] { 6, 7 }, errors.Select(e => e.Line));
            Assert.All(errors, e =>
            {
                Assert.Equal(ErrorIds.ImportInvalidRecord, e.ErrorId);
                Assert.Contains("legacy-placeholders.af", e.Message);
            });
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("[unknown]")]
        [InlineData("Unknown")]
        [InlineData("No corrections yet")]
        [InlineData("No corrections yet.")]
        [InlineData("Nothing recorded yet")]
        [InlineData("Haven't learned anything yet.")]
        [InlineData("I haven’t learned any user preferences so far")]
        [InlineData("Have not recorded any mistakes yet")]
        public void Placeholders_are_recognised(string value) => Assert.True(LettaMemoryFormat.IsPlaceholder(value));

        [Theory]
        [InlineData("No sugar in coffee, ever.")]
        [InlineData("The user is unknown to the support team but is polite.")]
        [InlineData("Always confirm before deleting files.")]
        [InlineData("No corrections yet, but the user prefers short answers and metric units in every reply they receive.")]
        public void Real_memories_are_not_placeholders(string value) => Assert.False(LettaMemoryFormat.IsPlaceholder(value));

        [Fact]
        public void A_file_that_is_not_an_agent_file_is_one_clear_error()
        {
            var (read, errors) = FormatHarness.ReadMemoryText(Reader, "x.af", "[1, 2]");
            Assert.Empty(read);
            Assert.Contains("not a Letta agent file", Assert.Single(errors).Message);
        }
    }
}

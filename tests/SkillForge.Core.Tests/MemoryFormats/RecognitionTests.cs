using System.Collections.Generic;
using System.IO;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.MemoryFormats
{
    /// <summary>Each foreign-format reader claims its own files and nobody else's.</summary>
    public class RecognitionTests
    {
        [RealDataTheory]
        [InlineData("otel-genai/any-agent/AGNO_trace.json", "OTel")]
        [InlineData("otel-genai/any-agent/GOOGLE_trace.json", "OTel")]
        [InlineData("otel-genai/any-agent/LANGCHAIN_trace.json", "OTel")]
        [InlineData("otel-genai/any-agent/OPENAI_trace.json", "OTel")]
        [InlineData("otel-genai/any-agent/SMOLAGENTS_trace.json", "OTel")]
        [InlineData("trajectories/swe-agent/pydicom__pydicom-1458.traj", "SweAgent")]
        [InlineData("trajectories/swe-agent/swe-agent__test-repo-i1.traj", "SweAgent")]
        [InlineData("memory/letta/current/customer_service.af", "Letta")]
        [InlineData("memory/letta/current/deep_research_agent.af", "Letta")]
        [InlineData("memory/letta/current/memgpt_agent_with_convo.af", "Letta")]
        [InlineData("memory/letta/legacy-v0.6/memgpt_agent_with_convo.af", "Letta")]
        [InlineData("memory/mem0/mem0_results.json", "Mem0")]
        [InlineData("trajectories/skillrl/alfworld/generated_memories_alfworld_total.json", "SkillRL")]
        [InlineData("trajectories/skillrl/alfworld/claude_style_skills.json", "SkillRL")]
        [InlineData("trajectories/reflexion/alfworld/env_results_trial_14.json", "Reflexion")]
        public void Real_samples_are_claimed_by_their_reader_only(string relative, string format) =>
            Assert.Equal(new[] { format }, FormatHarness.Claims(FormatHarness.Sample(TestPaths.RealDataFile(relative))));

        [RealDataTheory]
        [InlineData("claude-code/claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl")]
        [InlineData("claude-code/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl")]
        [InlineData("claude-code/claude-reliability/coverage-test-fix/transcript.jsonl")]
        [InlineData("claude-code/claude-reliability/python-to-rust-port/transcript.jsonl")]
        [InlineData("claude-code/claude-reliability/stop-hook-reflection-first-stop/transcript.jsonl")]
        [InlineData("codex/agent-history-real-sessions/session-01.jsonl")]
        [InlineData("codex/codex-session-viewer-legacy/example.jsonl")]
        public void Claude_code_and_codex_transcripts_are_claimed_by_none(string relative) =>
            Assert.Empty(FormatHarness.Claims(FormatHarness.Sample(TestPaths.RealDataFile(relative))));

        public static IEnumerable<object[]> Fixtures() => new[]
        {
            new object[] { "otel/failing-tool-span.json", "OTel" },
            new object[] { "otel/otlp-guardrail.json", "OTel" },
            new object[] { "otel/agents-sdk.jsonl", "OTel" },
            new object[] { "otel/console-exporter.json", "OTel" },
            new object[] { "swe-agent/cost-limit.traj", "SweAgent" },
            new object[] { "letta/double-encoded.af", "Letta" },
            new object[] { "letta/legacy-placeholders.af", "Letta" },
            new object[] { "mem0/categories.json", "Mem0" },
            new object[] { "skillrl/small-memories.json", "SkillRL" },
            new object[] { "reflexion/two-envs.json", "Reflexion" },
        };

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void Fixtures_are_claimed_by_their_reader_only(string relative, string format) =>
            Assert.Equal(new[] { format }, FormatHarness.Claims(FormatHarness.Sample(FormatHarness.Fixture(relative))));

        [Fact]
        public void Content_is_recognised_without_the_telling_file_name()
        {
            // Renamed files: the Letta and SWE-agent readers fall back on their keys.
            var letta = File.ReadAllText(FormatHarness.Fixture("letta/legacy-placeholders.af"));
            Assert.Equal(new[] { "Letta" }, FormatHarness.Claims(FormatHarness.SampleOf("agent.json", letta)));
            var doubleEncoded = File.ReadAllText(FormatHarness.Fixture("letta/double-encoded.af"));
            Assert.Equal(new[] { "Letta" }, FormatHarness.Claims(FormatHarness.SampleOf("agent.json", doubleEncoded)));
            var swe = File.ReadAllText(FormatHarness.Fixture("swe-agent/cost-limit.traj"));
            Assert.Equal(new[] { "SweAgent" }, FormatHarness.Claims(FormatHarness.SampleOf("run.json", swe)));
        }

        [Fact]
        public void Gzipped_agent_files_are_recognised_by_name()
        {
            Assert.Equal(new[] { "Letta" }, FormatHarness.Claims(FormatHarness.SampleOf("agent.af.gz", "{\"agents\": []}")));
            Assert.Equal(new[] { "SweAgent" }, FormatHarness.Claims(FormatHarness.SampleOf("run.traj.gz", "{}")));
        }

        [Theory]
        [InlineData("memories.jsonl", "{\"id\":\"m1\",\"text\":\"Use UTC in logs\",\"tier\":\"Core\",\"scope\":\"ops\",\"tags\":[\"logging\"],\"access_count\":3}\n{\"id\":\"m2\",\"text\":\"x\"}")]
        [InlineData("memories.json", "[{\"id\":\"m1\",\"text\":\"Use UTC in logs\",\"tier\":\"Core\",\"scope\":\"ops\",\"kind\":\"fact\"}]")]
        [InlineData("export.json", "{\"memories\":[{\"id\":\"m1\",\"text\":\"Use UTC\",\"scope\":\"ops\"}]}")]
        [InlineData("trace.jsonl", "{\"trace_id\":\"t1\",\"kind\":\"action_succeeded\",\"action_id\":\"a1\",\"tool\":\"bash\",\"data\":{\"cmd\":\"ls\"},\"duration_ms\":12}\n{\"trace_id\":\"t1\",\"kind\":\"episode_end\",\"reward\":1}")]
        [InlineData("trace.json", "[{\"trace_id\":\"t1\",\"kind\":\"action_failed\",\"tool\":\"http\",\"data\":{\"span_id\":\"x\",\"note\":\"gen_ai.tool.name\"}}]")]
        [InlineData("notes.json", "{\"name\":\"x\",\"memory\":\"y\",\"is_success\":true}")]
        [InlineData("empty.json", "")]
        public void SkillForge_files_and_lookalikes_are_claimed_by_none(string fileName, string content) =>
            Assert.Empty(FormatHarness.Claims(FormatHarness.SampleOf(fileName, content)));
    }
}

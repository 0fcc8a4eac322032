using System.IO;
using System.Linq;
using SkillForge.Distillation;
using SkillForge.Prompts;
using SkillForge.Skills;
using SkillForge.Tests.Crystallization;
using SkillForge.Tests.Support;
using SkillForge.Traces;
using Xunit;

namespace SkillForge.Tests.Offline
{
    /// <summary>The trace flow end to end: offline answers parse as skill JSON and become valid SKILL.md files.</summary>
    public class OfflineTraceFlowTests
    {
        [Fact]
        public void Offline_trace_answers_parse_and_convert_to_valid_skills()
        {
            foreach (var kind in new[] { DistillPromptKind.TraceSuccess, DistillPromptKind.TraceFailure })
            {
                var prompt = OfflineDistillerTraceTests.Prompt(OfflineDistillerTraceTests.CheckoutTrace(), kind);
                AssertParsesToValidSkills(new OfflineDistiller().Distill(prompt).Text, kind);
            }
        }

        [ExampleFileFact("trace.jsonl")]
        public void Bundled_example_trace_gives_valid_skills()
        {
            var events = TraceReader.Read(Path.Combine(TestPaths.Examples, "trace.jsonl")).Select(o => o.Value!).Where(e => e != null).ToList();
            int prompts = 0;
            foreach (var partition in TracePartitioner.Partition(events))
            {
                foreach (var prompt in DistillPromptBuilder.ForPartition(partition))
                {
                    prompts++;
                    var result = new OfflineDistiller().Distill(prompt);
                    Assert.True(result.CompressionRatio > 0);
                    AssertParsesToValidSkills(result.Text, prompt.Kind);
                }
            }
            Assert.True(prompts > 0);
        }

        private static void AssertParsesToValidSkills(string json, DistillPromptKind kind)
        {
            var outcomes = SkillJsonParser.Parse(json);
            // A success side without a repeated routine is an empty array: no skill only says a tool worked.
            if (kind == DistillPromptKind.TraceFailure) Assert.NotEmpty(outcomes);
            foreach (var outcome in outcomes)
            {
                Assert.False(outcome.IsError, outcome.Error?.Message);
                var skill = outcome.Value!;
                Assert.Equal(kind == DistillPromptKind.TraceSuccess ? "success" : "failure", skill.Source);
                var markdown = SkillMarkdownWriter.ToMarkdown(skill);
                var check = SkillMarkdownValidator.Validate(markdown, folderName: skill.Name);
                Assert.True(check.IsValid, string.Join("; ", check.Diagnostics.Select(d => d.ToString())));
            }
        }
    }
}

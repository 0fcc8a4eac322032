using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Skills;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class SkillAnswerTests : IClassFixture<TestServerFixture>
    {
        private readonly TestServerFixture _fixture;

        public SkillAnswerTests(TestServerFixture fixture) => _fixture = fixture;

        private TestServer.OpenAITestServer Server => _fixture.Server;

        [Theory]
        [InlineData("```markdown\n---\nname: a\n---\nbody\n```", "---\nname: a\n---\nbody\n")]
        [InlineData("\n\n```md\r\n---\r\nname: a\r\n---\r\n```\n\n", "---\nname: a\n---\n")]
        [InlineData("```\n---\nname: a\n---\n```", "---\nname: a\n---\n")]
        [InlineData("---\nname: a\n---\nbody", "---\nname: a\n---\nbody")]
        [InlineData("```python\nprint(1)\n```", "```python\nprint(1)\n```")]
        [InlineData("Here it is:\n```markdown\n---\nname: a\n---\n```", "Here it is:\n```markdown\n---\nname: a\n---\n```")]
        public void A_fence_around_the_whole_answer_is_removed(string answer, string expected)
        {
            Assert.Equal(expected, SkillAnswer.StripFence(answer));
        }

        [Fact]
        public async Task A_fenced_SKILL_md_answer_is_unwrapped_validated_and_named()
        {
            var prompt = Distill.MemoryPrompt();
            using var distiller = Distill.For(Server, "echo");
            var result = await distiller.DistillAsync(prompt, CancellationToken.None);
            Assert.StartsWith("---\nname: echo-", result.Text);
            Assert.True(SkillMarkdownValidator.Validate(result.Text).IsValid);
            Assert.StartsWith("echo-", result.Name);
            Assert.False(result.Repaired);
            Assert.Single(Distill.RequestsFor(Server, prompt));
        }

        [Fact]
        public async Task An_invalid_SKILL_md_gets_one_repair_round_with_the_diagnostics()
        {
            var prompt = Distill.MemoryPrompt();
            using var distiller = Distill.For(Server, "repair");
            var result = await distiller.DistillAsync(prompt, CancellationToken.None);
            Assert.True(result.Repaired);
            Assert.StartsWith("repaired-", result.Name);
            Assert.True(SkillMarkdownValidator.Validate(result.Text).IsValid);

            var requests = Distill.RequestsFor(Server, prompt);
            Assert.Equal(2, requests.Count);
            var repair = requests[1].Messages;
            Assert.Equal(new[] { "user", "assistant", "user" }, repair.Select(m => m.Key));
            Assert.Contains("no frontmatter", repair[1].Value);
            Assert.Contains("does not pass validation", repair[2].Value);
            Assert.Matches("SF\\d+", repair[2].Value);
            // Tokens of both rounds are counted.
            Assert.True(result.InputTokens > (prompt.Text.Length + 3) / 4 + 3);
        }

        [Fact]
        public async Task Still_invalid_after_repair_is_InvalidSkill_carrying_the_raw_text()
        {
            var prompt = Distill.MemoryPrompt();
            using var distiller = Distill.For(Server, "invalidskill");
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            Assert.Equal(ErrorIds.DistillInvalidSkill, e.ErrorId);
            Assert.Equal(FailureCategory.InvalidResult, e.Category);
            Assert.Same(prompt, e.Target);
            Assert.Contains("# Notes", e.RawText);
            Assert.Contains("# Notes", e.Message);
            Assert.Equal(2, Distill.RequestsFor(Server, prompt).Count);
        }

        [Fact]
        public async Task A_trace_prompt_answer_is_passed_through_untouched()
        {
            var prompt = Distill.TracePrompt("Please answer with a JSON array. " + System.Guid.NewGuid());
            using var distiller = Distill.For(Server, "echo");
            var result = await distiller.DistillAsync(prompt, CancellationToken.None);
            Assert.StartsWith("[{\"name\":\"json-", result.Text);
            Assert.Null(result.Name);
        }
    }
}

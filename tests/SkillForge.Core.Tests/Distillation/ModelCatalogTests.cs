using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class ModelCatalogTests
    {
        [Theory]
        [InlineData("gpt-4.1-mini", 1_047_576)]
        [InlineData("gpt-4o-mini", 128_000)]
        [InlineData("openai/gpt-4o", 128_000)]
        [InlineData("llama3.1:8b", 131_072)]
        [InlineData("Gemma2", 8_192)]
        public void Known_models_have_their_context_window(string model, int window)
        {
            Assert.Equal(window, ModelCatalog.ContextWindow(model));
        }

        [Theory]
        [InlineData("my-own-finetune")]
        [InlineData("")]
        [InlineData(null)]
        public void Unknown_models_have_no_window_and_are_never_reported(string? model)
        {
            Assert.Null(ModelCatalog.ContextWindow(model));
            Assert.Null(ModelCatalog.DescribeContextOverflow(model, 10_000_000, 4096));
        }

        [Fact]
        public void A_prompt_over_the_context_is_described_with_its_numbers()
        {
            // 119367 prompt tokens (one real trace) fit gpt-4.1 but not gpt-4o once the answer is counted.
            Assert.Null(ModelCatalog.DescribeContextOverflow("gpt-4.1", 119_367, 4096));
            var message = ModelCatalog.DescribeContextOverflow("gpt-4o", 125_000, 4096);
            Assert.Equal("about 125000 prompt tokens plus up to 4096 output tokens exceed the 128000-token context of model 'gpt-4o'", message);
            Assert.Null(ModelCatalog.DescribeContextOverflow("gpt-4o", 123_904, 4096));
            Assert.NotNull(ModelCatalog.DescribeContextOverflow("gpt-4o", 123_905, 4096));
        }
    }
}

using SkillForge.Distillation.Offline;
using Xunit;

namespace SkillForge.Tests.Offline
{
    public class SentenceSplitterTests
    {
        [Fact]
        public void Splits_prose_and_list_items_and_keeps_abbreviations()
        {
            var sentences = SentenceSplitter.Split(
                "Deploy with care, e.g. on a Tuesday. Check v1.2 first!\nThis line wraps\nonto the next.\n\n# Heading\n- run tests\n2. Tag the release");
            Assert.Equal(new[]
            {
                "Deploy with care, e.g. on a Tuesday.",
                "Check v1.2 first!",
                "This line wraps onto the next.",
                "Run tests.",
                "Tag the release.",
            }, sentences);
        }

        [Fact]
        public void Drops_fragments_and_short_labels()
        {
            Assert.Empty(SentenceSplitter.Split("Steps:\n\nOK.\n```\n"));
        }
    }
}

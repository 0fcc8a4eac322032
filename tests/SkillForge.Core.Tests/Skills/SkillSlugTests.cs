using System.Linq;
using SkillForge.Skills;
using Xunit;

namespace SkillForge.Tests.Skills
{
    public class SkillSlugTests
    {
        [Theory]
        [InlineData("Web Search Pattern", "web-search-pattern")]
        [InlineData(" LLM--Retry Logic! ", "llm-retry-logic")]
        [InlineData("hello-world", "hello-world")]
        [InlineData("Café", "cafe")]
        [InlineData("Crème brûlée à la carte", "creme-brulee-a-la-carte")]
        [InlineData("Straße", "strasse")]
        [InlineData("Øresund Łódź", "oresund-lodz")]
        [InlineData("ＷＥＢ　Ｓｅａｒｃｈ", "web-search")]
        [InlineData("ﬁle handling", "file-handling")]
        [InlineData("../../etc/passwd", "etc-passwd")]
        [InlineData("..\\x", "x")]
        [InlineData("My_Skill", "my-skill")]
        [InlineData("日本語 search", "search")]
        [InlineData("v2.0 API", "v2-0-api")]
        [InlineData("emoji 🚀 launch", "emoji-launch")]
        public void Slugs(string input, string expected) => Assert.Equal(expected, SkillSlug.From(input));

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("!!!")]
        [InlineData("日本語")]
        [InlineData("\ud800")]
        public void Empty_results_fall_back(string? input) => Assert.Equal(SkillSlug.Fallback, SkillSlug.From(input));

        [Fact]
        public void Long_text_is_cut_at_a_hyphen_within_64()
        {
            var input = string.Join(" ", Enumerable.Repeat("segment", 20));
            var slug = SkillSlug.From(input);
            Assert.True(slug.Length <= 64);
            Assert.False(slug.EndsWith("-"));
            Assert.EndsWith("segment", slug);
            Assert.True(SkillMarkdownValidator.IsValidName(slug));
        }

        [Fact]
        public void Long_word_is_cut_hard_at_64()
        {
            var slug = SkillSlug.From("a " + new string('b', 100));
            Assert.Equal(64, slug.Length);
            Assert.Equal("a-" + new string('b', 62), slug);
        }

        [Fact]
        public void Suffix_keeps_names_within_64()
        {
            Assert.Equal("web", SkillSlug.WithSuffix("web", 1));
            Assert.Equal("web-2", SkillSlug.WithSuffix("web", 2));
            var longName = new string('a', 30) + "-" + new string('b', 33);
            Assert.Equal(64, longName.Length);
            var suffixed = SkillSlug.WithSuffix(longName, 99);
            Assert.True(suffixed.Length <= 64);
            Assert.Equal(new string('a', 30) + "-99", suffixed);
            Assert.True(SkillMarkdownValidator.IsValidName(suffixed));
            var oneWord = new string('x', 64);
            Assert.Equal(new string('x', 61) + "-99", SkillSlug.WithSuffix(oneWord, 99));
        }

        [Fact]
        public void Every_slug_is_a_valid_name()
        {
            var random = new System.Random(7);
            const string alphabet = "aZé9 -_./\\!ß日\U0001F600\u0301ﬁＡ\t\n";
            for (int i = 0; i < 2000; i++)
            {
                var chars = Enumerable.Range(0, random.Next(0, 120)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray();
                var slug = SkillSlug.From(new string(chars));
                Assert.True(SkillMarkdownValidator.IsValidName(slug), slug);
            }
        }
    }
}

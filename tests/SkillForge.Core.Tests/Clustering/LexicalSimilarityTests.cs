using System.Linq;
using SkillForge.Clustering;
using Xunit;

namespace SkillForge.Tests.Clustering
{
    public class LexicalSimilarityTests
    {
        [Theory]
        [InlineData("ＤＥＰＬＯＹ ｔｏ ＰＲＯＤ", "deploy|to|prod")]              // full-width letters fold to ASCII (NFKC)
        [InlineData("ﬁle ﬂow", "file|flow")]                                  // ligatures expand (NFKC)
        [InlineData("HeLLo WORLD", "hello|world")]                            // case
        [InlineData("don't stop—ever (really)!", "don|t|stop|ever|really")]   // punctuation separates
        [InlineData("port 8080 v2.1", "port|8080|v2|1")]                       // digits belong to words
        [InlineData("x² and ①", "x2|and|1")]                                   // compatibility digits (NFKC)
        [InlineData("部署到生产 环境", "部署到生产|环境")]                         // CJK: a run of ideographs is one word
        [InlineData("deploy🚀now 👍", "deploy|now")]                            // emoji separate, and are no word
        [InlineData("𐌰𐌱𐌲 x", "𐌰𐌱𐌲|x")]                                        // letters outside the BMP (surrogate pairs)
        [InlineData("𝐇𝐞𝐥𝐥𝐨 world", "hello|world")]                             // mathematical letters fold (NFKC)
        [InlineData("cafe\u0301 crème", "café|crème")]                          // combining accent composes and stays in the word
        [InlineData("ab\uD800cd", "ab|cd")]                                     // a lone surrogate is a separator, not an error
        [InlineData("", "")]
        [InlineData("  ... !!! ", "")]
        public void Words_follow_the_definition(string text, string expected)
        {
            var words = LexicalSimilarity.Words(text);
            Assert.Equal(expected, string.Join("|", words));
        }

        [Fact]
        public void Shingles_are_unigrams_and_adjacent_bigrams()
        {
            var shingles = LexicalSimilarity.Shingles("The cat sat.").OrderBy(s => s, System.StringComparer.Ordinal);
            Assert.Equal(new[] { "cat", "cat sat", "sat", "the", "the cat" }, shingles);
        }

        [Theory]
        // {the, cat, sat, the cat, cat sat} vs {the, cat, ran, the cat, cat ran}: 3 shared of 7
        [InlineData("the cat sat", "the cat ran", 3, 7)]
        // {a, b, a b, b a} vs {a, b, a b}: 3 shared of 4 (repeats count once)
        [InlineData("a b a b", "a b", 3, 4)]
        // case, punctuation and width do not matter
        [InlineData("Deploy, the API!", "ｄｅｐｌｏｙ the api", 5, 5)]
        // {x, y, x y} vs {y, x, y x}: 2 shared of 4 (order matters through bigrams)
        [InlineData("x y", "y x", 2, 4)]
        [InlineData("alpha beta", "gamma delta", 0, 6)]
        public void Jaccard_matches_hand_computed_values(string a, string b, int shared, int union)
        {
            Assert.Equal((double)shared / union, LexicalSimilarity.Jaccard(a, b), 12);
            Assert.Equal(LexicalSimilarity.Jaccard(a, b), LexicalSimilarity.Jaccard(b, a), 12);
        }

        [Fact]
        public void Texts_without_words_are_similar_to_nothing()
        {
            Assert.Equal(0, LexicalSimilarity.Jaccard("", ""));
            Assert.Equal(0, LexicalSimilarity.Jaccard("🚀🚀", "🚀🚀"));
            Assert.Equal(0, LexicalSimilarity.Jaccard("words here", "!!!"));
        }

        [Fact]
        public void Internal_shingle_sets_give_the_same_Jaccard_as_the_string_definition()
        {
            var texts = new[]
            {
                "Restart the billing worker after the nightly import.",
                "restart the billing worker after the import, nightly",
                "ＲＥＳＴＡＲＴ the ﬁle worker after 部署 🚀 import",
                "a a a a b",
            };
            var interner = new WordInterner();
            var sets = texts.Select(t =>
            {
                var s = LexicalSimilarity.Normalize(t);
                var bounds = new int[4];
                int n = WordScanner.Scan(s, ref bounds);
                var ids = new int[n];
                for (int i = 0; i < n; i++) ids[i] = interner.Intern(s, bounds[2 * i], bounds[2 * i + 1]);
                var buffer = new ulong[2];
                return LexicalSpace.ShingleSet(ids, n, ref buffer);
            }).ToArray();
            for (int i = 0; i < texts.Length; i++)
            {
                Assert.Equal(LexicalSimilarity.Shingles(texts[i]).Count, sets[i].Length);
                for (int j = 0; j < texts.Length; j++)
                    Assert.Equal(LexicalSimilarity.Jaccard(texts[i], texts[j]), LexicalSimilarity.Jaccard(sets[i], sets[j]), 12);
            }
        }

        [Fact]
        public void Interner_gives_equal_words_equal_ids_and_survives_growth()
        {
            var interner = new WordInterner();
            var text = string.Join(" ", Enumerable.Range(0, 5000).Select(i => "w" + i));
            var bounds = new int[2];
            int n = WordScanner.Scan(text, ref bounds);
            var first = Enumerable.Range(0, n).Select(i => interner.Intern(text, bounds[2 * i], bounds[2 * i + 1])).ToArray();
            var again = Enumerable.Range(0, n).Select(i => interner.Intern(text, bounds[2 * i], bounds[2 * i + 1])).ToArray();
            Assert.Equal(5000, interner.Count);
            Assert.Equal(first, again);
            Assert.Equal(5000, first.Distinct().Count());
        }

        [Theory]
        [InlineData(0.6, 0.995, 200)]
        [InlineData(0.3, 0.995, 200)]
        [InlineData(0.9, 0.995, 200)]
        [InlineData(1.0, 0.995, 200)]
        [InlineData(0.6, 0.995, 400)]
        [InlineData(0.8233, 0.995, 256)] // embedding: 1 − acos(0.85)/π
        public void Banding_reaches_the_target_recall_at_the_threshold(double p, double target, int budget)
        {
            var banding = LshBuckets.ChooseBanding(p, target, budget, 32);
            Assert.NotNull(banding);
            var (rows, bands) = banding!.Value;
            Assert.True(rows * bands <= budget);
            double recall = 1 - System.Math.Pow(1 - System.Math.Pow(p, rows), bands);
            Assert.True(recall >= target, $"recall {recall} with {bands} bands of {rows}");
        }
    }
}

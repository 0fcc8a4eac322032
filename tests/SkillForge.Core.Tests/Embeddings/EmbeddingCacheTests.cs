using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SkillForge.Embeddings;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Embeddings
{
    public class EmbeddingCacheTests
    {
        private static float[] Vector(int seed, int dims = 8) => Enumerable.Range(0, dims).Select(i => (float)Math.Sin(seed * 31 + i)).ToArray();

        [Fact]
        public void A_stored_vector_reads_back_exactly_and_is_keyed_by_model_and_text()
        {
            using var dir = new TempDir();
            var cache = new EmbeddingCache(dir.Path);
            var v = Vector(1);
            Assert.True(cache.TryPut("model-a", "hello", v));
            Assert.Equal(v, cache.TryGet("model-a", "hello"));
            Assert.Null(cache.TryGet("model-b", "hello"));
            Assert.Null(cache.TryGet("model-a", "hello "));
            Assert.StartsWith(dir.Path, cache.PathOf("model-a", "hello"), StringComparison.Ordinal);
            Assert.EndsWith(TextUtil.Sha256Hex("hello") + ".vec", cache.PathOf("model-a", "hello"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("ollama/nomic-embed-text:latest")]
        [InlineData("..")]
        [InlineData("a\\b")]
        public void Model_folders_are_safe_names_inside_the_cache(string model)
        {
            using var dir = new TempDir();
            var cache = new EmbeddingCache(dir.Path);
            Assert.True(cache.TryPut(model, "x", Vector(2)));
            var folder = Path.GetRelativePath(dir.Path, cache.PathOf(model, "x")).Split(Path.DirectorySeparatorChar)[0];
            Assert.NotEqual("..", folder);
            Assert.False(folder.StartsWith(".", StringComparison.Ordinal));
            Assert.True(folder.IndexOfAny(new[] { '/', '\\', ':' }) < 0);
            Assert.NotEqual(EmbeddingCache.ModelFolder("a/b"), EmbeddingCache.ModelFolder("a_b"));
        }

        [Fact]
        public void A_truncated_or_foreign_file_is_a_miss_not_an_error()
        {
            using var dir = new TempDir();
            var cache = new EmbeddingCache(dir.Path);
            cache.TryPut("m", "t", Vector(3));
            var path = cache.PathOf("m", "t");
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes.Take(bytes.Length - 3).ToArray());
            Assert.Null(cache.TryGet("m", "t"));
            File.WriteAllText(path, "not a vector");
            Assert.Null(cache.TryGet("m", "t"));
        }

        [Fact]
        public void Trim_keeps_the_cache_under_its_bound_and_removes_the_least_recently_used_first()
        {
            using var dir = new TempDir();
            long entry = EmbeddingCache.Encode(Vector(0, 64)).Length;
            var cache = new EmbeddingCache(dir.Path, maxBytes: entry * 10);
            for (int i = 0; i < 20; i++)
            {
                cache.TryPut("m", "text " + i, Vector(i, 64));
                File.SetLastWriteTimeUtc(cache.PathOf("m", "text " + i), DateTime.UtcNow.AddMinutes(-100 + i));
            }
            // A hit marks an old entry as used.
            Assert.NotNull(cache.TryGet("m", "text 0"));
            Assert.True(cache.Trim() > 0);
            Assert.True(cache.SizeBytes() <= entry * 10 * 0.9);
            Assert.NotNull(cache.TryGet("m", "text 0"));
            Assert.NotNull(cache.TryGet("m", "text 19"));
            Assert.Null(cache.TryGet("m", "text 1"));
            Assert.Equal(0, cache.Trim());
        }

        [Fact]
        public void Concurrent_writers_and_readers_of_the_same_keys_never_see_a_partial_vector()
        {
            using var dir = new TempDir();
            var failures = 0;
            Parallel.For(0, 8, worker =>
            {
                // Separate instances, as separate runs would have.
                var cache = new EmbeddingCache(dir.Path, maxBytes: 1L << 30);
                for (int round = 0; round < 200; round++)
                {
                    int key = round % 25;
                    var expected = Vector(key, 128);
                    cache.TryPut("m", "key " + key, expected);
                    var got = cache.TryGet("m", "key " + (round * 7 % 25));
                    if (got != null && !got.SequenceEqual(Vector(round * 7 % 25, 128))) System.Threading.Interlocked.Increment(ref failures);
                }
            });
            Assert.Equal(0, failures);
            Assert.Equal(25, Directory.GetFiles(dir.Path, "*.vec", SearchOption.AllDirectories).Length);
            Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
        }

        [Fact]
        public void The_default_folder_follows_the_variable()
        {
            var saved = Environment.GetEnvironmentVariable(EmbeddingCache.DirectoryVariable);
            try
            {
                Environment.SetEnvironmentVariable(EmbeddingCache.DirectoryVariable, "/tmp/somewhere-else");
                Assert.Equal("/tmp/somewhere-else", EmbeddingCache.DefaultDirectory());
                Environment.SetEnvironmentVariable(EmbeddingCache.DirectoryVariable, null);
                Assert.EndsWith(Path.Combine("embeddings"), EmbeddingCache.DefaultDirectory(), StringComparison.Ordinal);
            }
            finally
            {
                Environment.SetEnvironmentVariable(EmbeddingCache.DirectoryVariable, saved);
            }
        }
    }
}

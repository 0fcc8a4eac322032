using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Clustering;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Embeddings;
using SkillForge.TestServer;
using SkillForge.Tests.Distillation;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Embeddings
{
    /// <summary>An embedder that counts what it is asked and answers with the test server's vectors.</summary>
    internal sealed class CountingEmbedder : ITextEmbedder
    {
        public List<string> Seen { get; } = new List<string>();
        public string Model { get; set; } = "counting";
        public string Source => "test";
        public int BatchSize { get; set; } = 3;
        public int Calls { get; private set; }

        public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            Calls++;
            Seen.AddRange(texts);
            return Task.FromResult(texts.Select(t => OpenAITestServer.EmbedText(t, 16)).ToArray());
        }

        public void Dispose() { }
    }

    internal sealed class RecordingSink : IOperationSink
    {
        public List<string> Messages { get; } = new List<string>();
        public List<OperationProgress> Progress { get; } = new List<OperationProgress>();
        public void Verbose(string message) => Messages.Add(message);
        public void Warning(string message) => Messages.Add("WARNING: " + message);
        void IOperationSink.Progress(OperationProgress progress) => Progress.Add(progress);
    }

    public class MemoryEmbedderTests
    {
        private static MemoryDoc Doc(string id, string text) => new MemoryDoc { Id = id, Text = text };

        [Fact]
        public void Embeds_each_distinct_text_once_in_batches_and_reports_rate_and_time_left()
        {
            var docs = Enumerable.Range(0, 10).Select(i => Doc("d" + i, "text number" + (i % 7))).ToList();
            var embedder = new CountingEmbedder();
            var sink = new RecordingSink();
            var run = MemoryEmbedder.Embed(docs, embedder, null, force: false, sink);
            Assert.Equal(7, embedder.Seen.Count);
            Assert.Equal(3, embedder.Calls);
            Assert.Equal(7, run.Computed);
            Assert.Equal(docs.Select(d => d.Id), run.Docs.Select(d => d.Id));
            Assert.All(run.Docs, d => Assert.Equal("counting", d.EmbeddingModel));
            Assert.Same(run.Docs[0].Embedding, run.Docs[7].Embedding);
            Assert.All(docs, d => Assert.Null(d.Embedding));
            Assert.Contains(sink.Progress, p => p.Status.Contains("texts/s") && p.Status.Contains("left") && !p.Completed);
            Assert.True(sink.Progress.Last().Completed);
        }

        [Fact]
        public void A_second_run_through_the_cache_embeds_nothing()
        {
            using var dir = new TempDir();
            var docs = Enumerable.Range(0, 5).Select(i => Doc("d" + i, "cached" + i)).ToList();
            var cache = new EmbeddingCache(dir.Path);
            var first = MemoryEmbedder.Embed(docs, new CountingEmbedder(), cache, false);
            var again = new CountingEmbedder();
            var second = MemoryEmbedder.Embed(docs, again, new EmbeddingCache(dir.Path), false);
            Assert.Equal(0, again.Calls);
            Assert.Equal(5, second.CacheHits);
            Assert.Equal(first.Docs[3].Embedding, second.Docs[3].Embedding);
        }

        [Fact]
        public void Keeps_an_embedding_unless_forced_or_made_by_another_model()
        {
            var own = new MemoryDoc { Id = "own", Text = "x", Embedding = new float[] { 1, 0 } };
            var other = new MemoryDoc { Id = "other", Text = "y", Embedding = new float[] { 0, 1 }, EmbeddingModel = "another" };
            var embedder = new CountingEmbedder();
            var run = MemoryEmbedder.Embed(new[] { own, other }, embedder, null, false);
            Assert.Same(own, run.Docs[0]);
            Assert.Equal(1, run.Kept);
            Assert.Equal(new[] { "y" }, embedder.Seen);
            var forced = MemoryEmbedder.Embed(new[] { own }, new CountingEmbedder(), null, true);
            Assert.Equal(16, forced.Docs[0].Embedding!.Length);
        }

        [Fact]
        public void A_wrong_number_of_vectors_is_an_invalid_result()
        {
            var broken = new BrokenEmbedder();
            var e = Assert.Throws<SkillForgeException>(() => MemoryEmbedder.Embed(new[] { Doc("a", "a"), Doc("b", "b") }, broken, null, false));
            Assert.Equal(ErrorIds.EmbeddingInvalidResult, e.ErrorId);
        }

        private sealed class BrokenEmbedder : ITextEmbedder
        {
            public string Model => "broken";
            public string Source => "test";
            public int BatchSize => 10;
            public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) => Task.FromResult(new[] { new float[] { 1 } });
            public void Dispose() { }
        }

        [Fact]
        public void Clustering_uses_the_threshold_of_the_model_that_made_the_embeddings()
        {
            var docs = new[] { "a b c", "a b c", "a b c" }.Select((t, i) => Doc("d" + i, t)).ToList();
            var run = MemoryEmbedder.Embed(docs, new CountingEmbedder { Model = EmbeddingModelCatalog.LocalModel }, null, false);
            var cluster = MemoryClusterer.FindAll(run.Docs, new ClusterOptions { Method = SimilarityMethod.Embedding }).Single();
            Assert.Equal(EmbeddingModelCatalog.LocalModelThreshold, cluster.Threshold);
        }

        [Fact]
        public void Embeddings_of_two_models_do_not_mix_in_one_clustering()
        {
            var a = new MemoryDoc { Id = "a", Text = "a", Embedding = new float[] { 1, 0 }, EmbeddingModel = "one" };
            var b = new MemoryDoc { Id = "b", Text = "b", Embedding = new float[] { 1, 0 }, EmbeddingModel = "two" };
            var e = Assert.Throws<SkillForgeException>(() => MemoryClusterer.FindAll(new[] { a, b }, new ClusterOptions { Method = SimilarityMethod.Embedding, MinSize = 2 }));
            Assert.Equal(ErrorIds.ClusterNoEmbeddings, e.ErrorId);
            Assert.Equal(SimilarityMethod.Lexical, MemoryClusterer.ResolveMethod(new[] { a, b }, SimilarityMethod.Auto));
        }
    }

    public class OverlapDiscountTests
    {
        [Theory]
        [InlineData(0.816, 0.69, 0.406)]
        [InlineData(0.65, 0.05, 0.632)]
        [InlineData(0.99, 1.0, 0.99)]
        [InlineData(0.7, 0.0, 0.7)]
        [InlineData(0.2, 0.6, -1.0)]
        public void Discounts_what_the_shared_words_explain(double cosine, double jaccard, double expected) =>
            Assert.Equal(expected, OverlapDiscount.Apply(cosine, jaccard), 2);

        [Fact]
        public void Is_never_above_the_cosine_so_the_cosine_index_finds_every_candidate()
        {
            var r = new Random(5);
            for (int k = 0; k < 10000; k++)
            {
                double c = r.NextDouble() * 2 - 1, j = r.NextDouble();
                Assert.True(OverlapDiscount.Apply(c, j) <= c + 1e-12);
            }
        }

        [Fact]
        public void Clustering_a_calibrated_model_scores_beyond_word_overlap()
        {
            // Same words (J = 1 after normalisation) keep the cosine; a template pair is discounted.
            var v = new float[] { 1, 0 };
            var w = new float[] { 0.6f, 0.8f }; // cosine 0.6 with v: above 0.47, but not beyond the words b shares with a
            MemoryDoc D(string id, string text, float[] e) => new MemoryDoc { Id = id, Text = text, Embedding = e, EmbeddingModel = EmbeddingModelCatalog.LocalModel };
            var docs = new[] { D("a", "prefers replies in german", v), D("b", "prefers replies in spanish", w), D("c", "prefers replies in german", w) };
            var cluster = MemoryClusterer.FindAround(docs, "a", new ClusterOptions { Method = SimilarityMethod.Embedding, MinSize = 2 })!;
            Assert.Equal(new[] { "a", "c" }, cluster.DocumentIds);
            Assert.Equal(0.6, cluster.Similarities[1], 5);
        }
    }

    public class EmbeddingTextTests
    {
        [Theory]
        [InlineData("Take bowl 3 from cabinet 12.", "Take bowl from cabinet.")]
        [InlineData("go to   drawer 1\nthen  shelf 4", "go to drawer then shelf")]
        [InlineData("version 2.5 stays", "version 2.5 stays")]
        [InlineData("3 apples", "3 apples")]
        public void Object_numbers_and_extra_white_space_go(string text, string expected) =>
            Assert.Equal(expected, EmbeddingText.Normalize(text));

        [Fact]
        public void A_SkillRL_mistake_starts_with_its_task_type()
        {
            var doc = new MemoryDoc { Id = "m/mistake-1", Kind = "anti_pattern", Tags = new[] { "failure", "pick_and_place", "skillrl" }, Text = "When in kitchen, avoid: opening fridge 1" };
            Assert.Equal("pick_and_place: When in kitchen, avoid: opening fridge", EmbeddingText.For(doc));
            var lesson = new MemoryDoc { Id = "m", Kind = "lesson", Tags = doc.Tags, Text = "Lesson" };
            Assert.Equal("Lesson", EmbeddingText.For(lesson));
        }
    }

    public class GeneratorTextEmbedderTests : IClassFixture<TestServerFixture>
    {
        private readonly OpenAITestServer _server;

        public GeneratorTextEmbedderTests(TestServerFixture fixture) => _server = fixture.Server;

        private GeneratorTextEmbedder Endpoint(string model, int retries = 3, string key = DistillationSettingsResolver.LocalPlaceholderKey) =>
            GeneratorTextEmbedder.Create(new EmbeddingSettings { Model = model, Endpoint = _server.BaseUrl, ApiKey = key, MaxRetryCount = retries, TimeoutSec = 30 });

        [Fact]
        public async Task Returns_the_servers_vectors_in_input_order()
        {
            string unique = Guid.NewGuid().ToString("N");
            using var embedder = Endpoint("embed-test");
            var texts = new[] { "first " + unique, "second " + unique, "third " + unique };
            var vectors = await embedder.EmbedAsync(texts, CancellationToken.None);
            for (int i = 0; i < texts.Length; i++) Assert.Equal(OpenAITestServer.EmbedText(texts[i]), vectors[i]);
            Assert.Single(_server.Requests, r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal) && r.Inputs.Count == 3 && r.Inputs[0] == texts[0]);
        }

        [Fact]
        public async Task Retries_server_errors_then_succeeds_and_notes_each_retry()
        {
            string text = "retry " + Guid.NewGuid().ToString("N");
            using var embedder = Endpoint("error500:2");
            var vectors = await embedder.EmbedAsync(new[] { text }, CancellationToken.None);
            Assert.Single(vectors);
            Assert.Equal(3, _server.Requests.Count(r => r.Inputs.Count > 0 && r.Inputs[0] == text));
            Assert.Equal(2, embedder.Notes.Count);
        }

        [Fact]
        public async Task An_unauthorized_key_fails_at_once_without_the_key_in_the_message()
        {
            string key = "sk-test-" + Guid.NewGuid().ToString("N") + "SECRET";
            using var embedder = Endpoint("status:401", key: key);
            var e = await Assert.ThrowsAsync<SkillForgeException>(() => embedder.EmbedAsync(new[] { "x " + Guid.NewGuid() }, CancellationToken.None));
            Assert.Equal(ErrorIds.DistillUnauthorized, e.ErrorId);
            Assert.DoesNotContain(key.Substring(8, 12), e.Message);
        }

        [Fact]
        public void Something_that_is_no_generator_gets_a_clear_error()
        {
            var e = Assert.Throws<SkillForgeException>(() => GeneratorTextEmbedder.AsGenerator("not a generator"));
            Assert.Equal(ErrorIds.EmbeddingInvalidGenerator, e.ErrorId);
        }
    }
}

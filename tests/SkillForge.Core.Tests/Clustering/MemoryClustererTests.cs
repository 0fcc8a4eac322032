using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SkillForge.Clustering;
using SkillForge.Diagnostics;
using Xunit;

namespace SkillForge.Tests.Clustering
{
    public class MemoryClustererTests
    {
        private const string Base = "restart the billing worker after the nightly import finishes on staging";
        private const string Variant1 = "restart the billing worker after the nightly import finishes on staging again";
        private const string Variant2 = "always restart the billing worker after the nightly import finishes on staging";
        private const string Variant3 = "restart the billing worker after nightly import finishes on staging";
        private const string Unrelated1 = "the search team prefers squash merges and pytest checks on every pull request";
        private const string Unrelated2 = "backups of postgres in eu-west-1 are kept for thirty days";

        internal static MemoryDoc Doc(string id, string text, long access = 0, string tier = "Core", string scope = "s", params string[] tags) =>
            new MemoryDoc { Id = id, Text = text, AccessCount = access, Tier = tier, Scope = scope, Tags = tags };

        private static List<MemoryDoc> Family(string scope = "s") => new List<MemoryDoc>
        {
            Doc("a", Base, 10, scope: scope),
            Doc("b", Variant1, 5, scope: scope),
            Doc("c", Variant2, 4, scope: scope),
            Doc("d", Variant3, 3, scope: scope),
            Doc("u1", Unrelated1, 50, scope: scope),
            Doc("u2", Unrelated2, 1, scope: scope),
        };

        [Fact]
        public void Variants_in_the_fixture_are_near_duplicates_and_the_others_are_not()
        {
            foreach (var v in new[] { Variant1, Variant2, Variant3 }) Assert.InRange(LexicalSimilarity.Jaccard(Base, v), 0.75, 1.0);
            Assert.InRange(LexicalSimilarity.Jaccard(Base, Unrelated1), 0, 0.2);
            Assert.InRange(LexicalSimilarity.Jaccard(Base, Unrelated2), 0, 0.2);
        }

        [Fact]
        public void FindAll_returns_the_near_duplicates_around_the_most_accessed_doc()
        {
            var cluster = Assert.Single(MemoryClusterer.FindAll(Family(), new ClusterOptions()));
            Assert.Equal("a", cluster.SourceId);
            Assert.Equal("a", cluster.Documents[0].Id);
            Assert.Equal(new[] { "a", "b", "c", "d" }, cluster.DocumentIds.OrderBy(x => x, StringComparer.Ordinal));
            Assert.Equal(SimilarityMethod.Lexical, cluster.Method);
            Assert.Equal(ClusterOptions.DefaultLexicalThreshold, cluster.Threshold);
            Assert.Equal("s", cluster.Scope);
            Assert.Equal(ClusterFingerprint.Compute(new[] { "a", "b", "c", "d" }), cluster.Fingerprint);
            Assert.Equal(1.0, cluster.Similarities[0]);
            for (int i = 1; i < cluster.Size; i++)
                Assert.Equal(LexicalSimilarity.Jaccard(Base, cluster.Documents[i].Text), cluster.Similarities[i], 12);
            // Members by similarity, highest first, then by id.
            for (int i = 2; i < cluster.Size; i++)
            {
                Assert.True(cluster.Similarities[i - 1] > cluster.Similarities[i]
                    || (cluster.Similarities[i - 1] == cluster.Similarities[i] && string.CompareOrdinal(cluster.Documents[i - 1].Id, cluster.Documents[i].Id) < 0));
            }
            var member = cluster.Similarities.Skip(1).ToArray();
            Assert.Equal(member.Min(), cluster.MinSimilarity, 12);
            Assert.Equal(member.Average(), cluster.MeanSimilarity, 12);
        }

        [Fact]
        public void Seeds_are_taken_most_accessed_first_with_ties_broken_by_ordinal_id()
        {
            var docs = new List<MemoryDoc> { Doc("m", Base, 1), Doc("z", Variant1, 7), Doc("k", Variant2, 7) };
            var cluster = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions()));
            Assert.Equal("k", cluster.SourceId); // 7 accesses, and "k" < "z"

            docs[0].AccessCount = 8;
            Assert.Equal("m", Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions())).SourceId);
        }

        [Fact]
        public void MinSize_counts_the_source_doc()
        {
            var docs = new List<MemoryDoc> { Doc("a", Base, 3), Doc("b", Variant1, 2) };
            Assert.Empty(MemoryClusterer.FindAll(docs, new ClusterOptions { MinSize = 3 }));
            Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions { MinSize = 2 }));
            Assert.Empty(MemoryClusterer.FindAll(Family(), new ClusterOptions { MinSize = 5 }));
            Assert.Single(MemoryClusterer.FindAll(Family(), new ClusterOptions { MinSize = 4 }));
        }

        [Fact]
        public void Members_are_measured_against_the_source_so_there_is_no_chaining()
        {
            const string a = "alpha bravo charlie delta echo foxtrot golf hotel india juliet";
            const string b = "alpha bravo charlie delta echo foxtrot golf hotel india kilo";
            const string c = "alpha bravo charlie delta echo foxtrot golf hotel lima kilo";
            Assert.True(LexicalSimilarity.Jaccard(a, b) >= 0.7);
            Assert.True(LexicalSimilarity.Jaccard(b, c) >= 0.7);
            Assert.True(LexicalSimilarity.Jaccard(a, c) < 0.7);
            var docs = new List<MemoryDoc> { Doc("A", a, 3), Doc("B", b, 2), Doc("C", c, 1) };
            foreach (var exact in new[] { false, true })
            {
                var cluster = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions { SimilarityThreshold = 0.7, MinSize = 2, Exact = exact }));
                Assert.Equal(new[] { "A", "B" }, cluster.DocumentIds);
            }
        }

        [Fact]
        public void No_doc_is_in_two_clusters()
        {
            // B is close to both A and C; A and C are apart. A seeds first and takes B; C is left alone.
            const string a = "alpha bravo charlie delta echo foxtrot golf hotel india juliet";
            const string b = "alpha bravo charlie delta echo foxtrot golf hotel india kilo";
            const string c = "alpha bravo charlie delta echo foxtrot golf hotel lima kilo";
            var docs = new List<MemoryDoc> { Doc("A", a, 3), Doc("B", b, 1), Doc("C", c, 2), Doc("C2", c + " again", 0) };
            var clusters = MemoryClusterer.FindAll(docs, new ClusterOptions { SimilarityThreshold = 0.7, MinSize = 2 });
            Assert.Equal(2, clusters.Count);
            Assert.Equal(new[] { "A", "B" }, clusters[0].DocumentIds);
            Assert.Equal(new[] { "C", "C2" }, clusters[1].DocumentIds);

            var generated = Generated(1500, 60, seed: 7);
            var all = MemoryClusterer.FindAll(generated, new ClusterOptions()).SelectMany(x => x.DocumentIds).ToList();
            Assert.Equal(all.Count, all.Distinct().Count());
        }

        [Fact]
        public void Only_core_tier_docs_are_clustered_and_the_tier_is_case_insensitive()
        {
            var docs = Family();
            docs[1].Tier = "core";
            docs[2].Tier = "Working";
            var cluster = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions()));
            Assert.Equal(new[] { "a", "b", "d" }, cluster.DocumentIds.OrderBy(x => x, StringComparer.Ordinal));

            foreach (var d in docs) d.Tier = "Archive";
            Assert.Empty(MemoryClusterer.FindAll(docs, new ClusterOptions()));
            Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions { Tier = "ARCHIVE" }));
        }

        [Fact]
        public void Crystallized_docs_are_left_out_unless_included()
        {
            var docs = Family();
            docs[1].Tags = new[] { "runbook", "Crystallized" };                                          // b: tagged (any case)
            var ledger = new HashSet<string>(StringComparer.Ordinal) { "c" };                            // c: in a ledger
            var cluster = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions { CrystallizedIds = ledger, MinSize = 2 }));
            Assert.Equal(new[] { "a", "d" }, cluster.DocumentIds);
            Assert.Empty(MemoryClusterer.FindAll(docs, new ClusterOptions { CrystallizedIds = ledger }));

            var all = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions { CrystallizedIds = ledger, IncludeCrystallized = true }));
            Assert.Equal(4, all.Size);
            Assert.Contains("is tagged 'crystallized'", MemoryClusterer.IneligibleReason(docs[1], new ClusterOptions()));
            Assert.Contains("ledger", MemoryClusterer.IneligibleReason(docs[2], new ClusterOptions { CrystallizedIds = ledger }));
        }

        [Fact]
        public void Each_scope_is_clustered_separately_and_Scope_picks_one()
        {
            var docs = Family("alpha").Concat(Family("beta").Select(d => { d.Id += "-beta"; return d; })).ToList();
            var clusters = MemoryClusterer.FindAll(docs, new ClusterOptions());
            Assert.Equal(new[] { "alpha", "beta" }, clusters.Select(c => c.Scope));
            Assert.All(clusters, c => Assert.All(c.Documents, d => Assert.Equal(c.Scope, d.Scope)));

            var beta = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions { Scope = "beta" }));
            Assert.Equal("a-beta", beta.SourceId);
            Assert.Empty(MemoryClusterer.FindAll(docs, new ClusterOptions { Scope = "Beta" })); // scopes match exactly
        }

        [Fact]
        public void FindAround_returns_the_doc_and_its_eligible_neighbours()
        {
            var docs = Family();
            var cluster = MemoryClusterer.FindAround(docs, "d", new ClusterOptions());
            Assert.NotNull(cluster);
            Assert.Equal("d", cluster!.SourceId);
            Assert.Equal("d", cluster.Documents[0].Id);
            Assert.Equal(new[] { "a", "b", "c", "d" }, cluster.DocumentIds.OrderBy(x => x, StringComparer.Ordinal));
            for (int i = 1; i < cluster.Size; i++)
                Assert.Equal(LexicalSimilarity.Jaccard(Variant3, cluster.Documents[i].Text), cluster.Similarities[i], 12);

            Assert.Null(MemoryClusterer.FindAround(docs, "u1", new ClusterOptions()));              // no neighbours
            Assert.Null(MemoryClusterer.FindAround(docs, "d", new ClusterOptions { MinSize = 5 }));   // too few
            docs[3].Tier = "Working";
            Assert.Null(MemoryClusterer.FindAround(docs, "d", new ClusterOptions()));                // ineligible source
            docs[0].Tags = new[] { "crystallized" };
            var around = MemoryClusterer.FindAround(docs, "b", new ClusterOptions { MinSize = 2 });
            Assert.Equal(new[] { "b", "c" }, around!.DocumentIds.OrderBy(x => x, StringComparer.Ordinal));
        }

        [Fact]
        public void FindAround_an_unknown_id_is_an_error()
        {
            var e = Assert.Throws<SkillForgeException>(() => MemoryClusterer.FindAround(Family(), "nope", new ClusterOptions()));
            Assert.Equal(ErrorIds.ClusterDocNotFound, e.ErrorId);
            Assert.Equal(FailureCategory.ObjectNotFound, e.Category);
            Assert.Equal("nope", e.Target);
            Assert.Contains("nope", e.Message);
            Assert.Throws<SkillForgeException>(() => MemoryClusterer.FindAround(Family(), "A", new ClusterOptions())); // ids are case-sensitive
        }

        [Fact]
        public void Invalid_options_are_errors()
        {
            Assert.Equal(ErrorIds.ClusterInvalidInput, Assert.Throws<SkillForgeException>(() => MemoryClusterer.FindAll(Family(), new ClusterOptions { SimilarityThreshold = 1.5 })).ErrorId);
            Assert.Equal(ErrorIds.ClusterInvalidInput, Assert.Throws<SkillForgeException>(() => MemoryClusterer.FindAll(Family(), new ClusterOptions { MinSize = 1 })).ErrorId);
        }

        [Fact]
        public void Results_are_deterministic_whatever_the_input_order()
        {
            var docs = Generated(2000, 80, seed: 11);
            var first = Summary(MemoryClusterer.FindAll(docs, new ClusterOptions()));
            var random = new Random(3);
            var shuffled = docs.OrderBy(_ => random.Next()).ToList();
            Assert.NotEmpty(first);
            Assert.Equal(first, Summary(MemoryClusterer.FindAll(docs, new ClusterOptions())));
            Assert.Equal(first, Summary(MemoryClusterer.FindAll(shuffled, new ClusterOptions())));
        }

        [Theory]
        [InlineData(0.6)]
        [InlineData(0.5)]
        [InlineData(0.8)]
        [InlineData(0.3)]
        public void The_index_finds_what_the_exact_comparison_finds_on_a_generated_set(double threshold)
        {
            var docs = Generated(2500, 120, seed: 42);
            var options = new ClusterOptions { SimilarityThreshold = threshold };
            var index = MemoryClusterer.FindAll(docs, options);
            var exact = MemoryClusterer.FindAll(docs, new ClusterOptions { SimilarityThreshold = threshold, Exact = true });
            Assert.True(exact.Count >= 50, $"only {exact.Count} clusters");
            Assert.Equal(Summary(exact), Summary(index));
        }

        [Fact]
        public void Every_member_is_verified_so_there_are_no_false_members()
        {
            var docs = Generated(3000, 120, seed: 5);
            // A low threshold makes the index propose many chance candidates that must be rejected.
            foreach (var threshold in new[] { 0.3, 0.6 })
            {
                foreach (var cluster in MemoryClusterer.FindAll(docs, new ClusterOptions { SimilarityThreshold = threshold, MinSize = 2 }))
                {
                    var source = cluster.Documents[0];
                    for (int i = 1; i < cluster.Size; i++)
                    {
                        double truth = LexicalSimilarity.Jaccard(source.Text, cluster.Documents[i].Text);
                        Assert.Equal(truth, cluster.Similarities[i], 12);
                        Assert.True(truth >= threshold);
                    }
                }
            }
        }

        [Fact]
        public void Embeddings_are_compared_by_cosine()
        {
            var docs = new List<MemoryDoc>
            {
                Emb("a", 9, 1, 0, 0),
                Emb("b", 1, 0.95f, 0.2f, 0),
                Emb("c", 1, 2f, 0.1f, 0.1f),          // same direction matters, not length
                Emb("d", 1, 0, 1, 0),
                Emb("e", 1, 0.6f, 0.8f, 0),
            };
            var cluster = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions()));
            Assert.Equal(SimilarityMethod.Embedding, cluster.Method);
            Assert.Equal(ClusterOptions.DefaultEmbeddingThreshold, cluster.Threshold);
            Assert.Equal(new[] { "a", "c", "b" }, cluster.DocumentIds);
            Assert.Equal(2 / Math.Sqrt(4.02), cluster.Similarities[1], 5);
            Assert.Equal(0.95 / Math.Sqrt(0.9025 + 0.04), cluster.Similarities[2], 5);

            var wide = MemoryClusterer.FindAll(docs, new ClusterOptions { SimilarityThreshold = 0.55 });
            Assert.Contains("e", Assert.Single(wide).DocumentIds);
        }

        [Fact]
        public void Auto_uses_embeddings_only_when_every_eligible_doc_has_one_of_the_same_length()
        {
            var docs = Family();
            Assert.Equal(SimilarityMethod.Lexical, MemoryClusterer.ResolveMethod(docs, SimilarityMethod.Auto));
            foreach (var d in docs) d.Embedding = new float[] { 1, 0, 0 };
            Assert.Equal(SimilarityMethod.Embedding, MemoryClusterer.ResolveMethod(docs, SimilarityMethod.Auto));
            docs[2].Embedding = new float[] { 1, 0 };
            Assert.Equal(SimilarityMethod.Lexical, MemoryClusterer.ResolveMethod(docs, SimilarityMethod.Auto));
            var mismatch = Assert.Throws<SkillForgeException>(() => MemoryClusterer.ResolveMethod(docs, SimilarityMethod.Embedding));
            Assert.Equal(ErrorIds.ClusterNoEmbeddings, mismatch.ErrorId);
            docs[2].Embedding = null;
            Assert.Equal(SimilarityMethod.Lexical, MemoryClusterer.ResolveMethod(docs, SimilarityMethod.Auto));
            var missing = Assert.Throws<SkillForgeException>(() => MemoryClusterer.FindAll(docs, new ClusterOptions { Method = SimilarityMethod.Embedding }));
            Assert.Equal(ErrorIds.ClusterNoEmbeddings, missing.ErrorId);
            Assert.Contains("'c'", missing.Message);

            // An ineligible doc without an embedding does not stop Auto from using the others'.
            docs[2].Tier = "Working";
            var cluster = MemoryClusterer.FindAll(docs, new ClusterOptions()).First();
            Assert.Equal(SimilarityMethod.Embedding, cluster.Method);
            Assert.NotEqual(SimilarityMethod.Auto, cluster.Method);
        }

        [Fact]
        public void The_embedding_index_finds_what_the_exact_comparison_finds()
        {
            var random = new Random(17);
            const int dims = 48;
            var docs = new List<MemoryDoc>();
            for (int c = 0; c < 3000; c++)
            {
                var center = Enumerable.Range(0, dims).Select(_ => (float)Gaussian(random)).ToArray();
                docs.Add(new MemoryDoc { Id = "d" + c, Text = "x", AccessCount = random.Next(100), Embedding = center, Scope = "s" });
                if (c % 20 == 0)
                    for (int m = 0; m < 3; m++)
                        docs.Add(new MemoryDoc { Id = $"d{c}-m{m}", Text = "x", AccessCount = random.Next(100), Scope = "s", Embedding = center.Select(v => v + (float)(0.3 * Gaussian(random))).ToArray() });
            }
            var index = MemoryClusterer.FindAll(docs, new ClusterOptions());
            var exact = MemoryClusterer.FindAll(docs, new ClusterOptions { Exact = true });
            Assert.True(exact.Count >= 100, $"only {exact.Count} clusters");
            Assert.Equal(Summary(exact), Summary(index));
        }

        [Fact]
        public void Large_inputs_report_progress_and_honour_cancellation()
        {
            var docs = Generated(MemoryClusterer.ProgressMinimumDocs + 500, 100, seed: 9);
            var sink = new RecordingSink();
            MemoryClusterer.FindAll(docs, new ClusterOptions(), sink);
            Assert.NotEmpty(sink.Progress);
            Assert.All(sink.Progress, p => Assert.Equal("Clustering memory docs", p.Activity));
            Assert.True(sink.Progress.Last().Completed);
            Assert.True(sink.Progress.Select(p => p.Done).SequenceEqual(sink.Progress.Select(p => p.Done).OrderBy(x => x)));

            var small = new RecordingSink();
            MemoryClusterer.FindAll(Family(), new ClusterOptions(), small);
            Assert.Empty(small.Progress);

            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => MemoryClusterer.FindAll(docs, new ClusterOptions(), null, cancelled.Token));
        }

        [Fact]
        public void Repeated_ids_are_clustered_once_with_a_warning()
        {
            var docs = Family();
            docs.Add(Doc("a", Base, 10));
            var sink = new RecordingSink();
            var cluster = Assert.Single(MemoryClusterer.FindAll(docs, new ClusterOptions(), sink));
            Assert.Equal(4, cluster.Size);
            Assert.Contains(sink.Warnings, w => w.Contains("'a'"));
        }

        private static MemoryDoc Emb(string id, long access, params float[] v) =>
            new MemoryDoc { Id = id, Text = "", AccessCount = access, Scope = "s", Embedding = v };

        private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

        internal static List<string> Summary(IEnumerable<MemoryCluster> clusters) =>
            clusters.Select(c => c.SourceId + ":" + string.Join(",", c.DocumentIds) + ":" + string.Join(",", c.Similarities.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        /// <summary>Random sentences over a 3000-word vocabulary, with planted families of light paraphrases.</summary>
        internal static List<MemoryDoc> Generated(int count, int families, int seed)
        {
            var random = new Random(seed);
            var vocabulary = Enumerable.Range(0, 3000).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + (char)('a' + i % 26)).ToArray();
            var docs = new List<MemoryDoc>();
            string Sentence() => string.Join(" ", Enumerable.Range(0, 12 + random.Next(20)).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
            for (int f = 0; f < families; f++)
            {
                var words = Sentence().Split(' ').ToList();
                docs.Add(Doc($"f{f}-0", string.Join(" ", words), 100 + random.Next(50), scope: "s" + (f % 2)));
                int size = 2 + random.Next(4);
                for (int m = 1; m < size; m++)
                {
                    var copy = new List<string>(words);
                    for (int e = random.Next(4); e >= 0; e--)
                    {
                        int at = random.Next(copy.Count);
                        if (random.Next(2) == 0) copy.Insert(at, vocabulary[random.Next(vocabulary.Length)]);
                        else if (copy.Count > 5) copy.RemoveAt(at);
                    }
                    docs.Add(Doc($"f{f}-{m}", string.Join(" ", copy), random.Next(100), scope: "s" + (f % 2)));
                }
            }
            while (docs.Count < count) docs.Add(Doc("x" + docs.Count, Sentence(), random.Next(150), scope: "s" + (docs.Count % 2)));
            return docs;
        }

        internal sealed class RecordingSink : IOperationSink
        {
            public List<string> Verbose = new List<string>();
            public List<string> Warnings = new List<string>();
            public List<OperationProgress> Progress = new List<OperationProgress>();
            void IOperationSink.Verbose(string message) => Verbose.Add(message);
            void IOperationSink.Warning(string message) => Warnings.Add(message);
            void IOperationSink.Progress(OperationProgress progress) => Progress.Add(progress);
        }
    }
}

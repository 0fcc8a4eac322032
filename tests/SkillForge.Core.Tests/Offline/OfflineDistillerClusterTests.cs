using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Offline
{
    public class OfflineDistillerClusterTests
    {
        internal static MemoryDoc Doc(string id, string text, long access = 0, string scope = "proj-shop", string kind = "procedure") =>
            new MemoryDoc { Id = id, Text = text, AccessCount = access, Scope = scope, Kind = kind, Tier = "Core" };

        internal static DistillPrompt Prompt(params MemoryDoc[] docs)
        {
            var cluster = new MemoryCluster
            {
                Fingerprint = SkillForge.Clustering.ClusterFingerprint.Compute(docs.Select(d => d.Id)),
                SourceId = docs[0].Id,
                Scope = docs[0].Scope,
                Documents = docs,
                Similarities = docs.Select(_ => 1.0).ToArray(),
            };
            return new DistillPrompt
            {
                Kind = DistillPromptKind.MemoryCluster,
                ExpectedOutput = DistillOutputKind.SkillMarkdown,
                Cluster = cluster,
                SourceIds = docs.Select(d => d.Id).ToArray(),
                Fingerprint = cluster.Fingerprint,
                Scope = cluster.Scope,
                SourceTokens = docs.Sum(d => TokenEstimator.Estimate(d.Text)),
                Text = "prompt",
            };
        }

        private static readonly MemoryDoc[] Migrations =
        {
            Doc("m-102", "Always run the database migrations before deploying the API service. Use `dotnet ef database update` against staging first. If a migration fails, roll back to the previous migration: never edit applied migrations.", 12),
            Doc("m-117", "Run database migrations before you deploy the API service.\n- Apply them to staging first with dotnet ef database update.\n- Check the migration history table afterwards.", 30),
            Doc("m-130", "Before deploying the API service, run the database migrations. Check the migration history table afterwards to confirm it.", 3),
        };

        [Fact]
        public void A_name_yaml_would_read_as_a_boolean_is_quoted()
        {
            var result = new OfflineDistiller().Distill(Prompt(
                Doc("t-1", "True.", 3), Doc("t-2", "True!", 2), Doc("t-3", "TRUE.", 1)));

            Assert.Equal("true", result.Name);
            Assert.DoesNotContain("\nname: true\n", result.Text);
            Assert.Contains("\nname: \"true\"\n", result.Text);
            SkillMarkdownAssert.Valid(result.Text);
        }

        [Fact]
        public void Writes_a_skill_with_name_description_steps_and_sources()
        {
            var result = new OfflineDistiller().Distill(Prompt(Migrations));
            var map = SkillMarkdownAssert.Valid(result.Text);

            Assert.Equal(result.Name, map["name"]);
            Assert.Contains("database", (string)map["name"]);
            Assert.Contains("migration", (string)map["name"]);
            var description = (string)map["description"];
            Assert.StartsWith("Always run the database migrations before deploying the API service.", description);
            Assert.Contains("Use when", description);
            Assert.Contains("proj-shop", description);

            Assert.Contains("## m-117\n\n- Scope: proj-shop\n- Kind: procedure\n- Accessed: 30", result.Evidence);
            Assert.Contains("## m-102\n\n- Scope: proj-shop\n- Kind: procedure\n- Accessed: 12", result.Evidence);
            Assert.Contains("## m-130\n\n- Scope: proj-shop\n- Kind: procedure\n- Accessed: 3", result.Evidence);
        }

        [Fact]
        public void Result_carries_offline_model_tokens_and_compression_ratio()
        {
            var prompt = Prompt(Migrations);
            var result = new OfflineDistiller().Distill(prompt);
            Assert.Equal("offline", result.Model);
            Assert.Equal("offline", result.Endpoint);
            Assert.Equal("stop", result.FinishReason);
            Assert.Same(prompt, result.Prompt);
            Assert.Equal(TokenEstimator.Estimate(result.Text), result.OutputTokens);
            Assert.Equal(Math.Round((double)prompt.SourceTokens / result.OutputTokens, 2), result.CompressionRatio);
            Assert.True(result.InputTokens > 0);
        }

        [Fact]
        public void Near_duplicate_sentences_become_one_step_in_the_most_accessed_wording_citing_every_source()
        {
            var result = new OfflineDistiller().Distill(Prompt(Migrations));
            var steps = Steps(result.Text);

            // m-117 is accessed most: its wording leads (as the principle) and the near-duplicates of m-102 and m-130 merge into it.
            Assert.Equal("Run database migrations before you deploy the API service.", steps[0]);
            Assert.Single(steps, s => s.Contains("migration history table", StringComparison.Ordinal));
            Assert.Contains("Check the migration history table afterwards.", steps);
            Assert.DoesNotContain(steps, s => s.Contains("Always run the database migrations", StringComparison.Ordinal));
            foreach (var id in new[] { "m-117", "m-102", "m-130" }) Assert.Contains("## " + id, result.Evidence);
        }

        [Fact]
        public void Shorter_and_joined_wordings_of_steps_are_not_repeated()
        {
            var prompt = Prompt(
                Doc("s-1", "Stripe webhooks must be verified with the raw request body. Parsing the JSON before checking the signature makes every signature check fail.", 33),
                Doc("s-2", "Verify Stripe webhooks with the raw request body: parsing the JSON before checking the signature makes every signature check fail.", 7),
                Doc("s-3", "Parsing the JSON before checking the signature makes the signature check fail.", 2),
                Doc("s-4", "Rotate the webhook secret after every leak.", 1));
            var steps = Steps(new OfflineDistiller().Distill(prompt).Text);
            Assert.Equal(new[]
            {
                "Stripe webhooks must be verified with the raw request body.",
                "Parsing the JSON before checking the signature makes every signature check fail.",
                "Rotate the webhook secret after every leak.",
            }, steps);
        }

        [Fact]
        public void Steps_run_from_the_most_accessed_doc_down()
        {
            var prompt = Prompt(
                Doc("low", "Rotate the signing keys every quarter. Store them in the vault.", 1),
                Doc("high", "Restart the worker pool after a config change. Drain the queue before the restart.", 50),
                Doc("mid", "Tag every release with the build number. Publish release notes afterwards.", 10));
            var steps = Steps(new OfflineDistiller().Distill(prompt).Text);
            Assert.Equal(6, steps.Count);
            Assert.StartsWith("Restart the worker pool", steps[0]);
            Assert.StartsWith("Drain the queue", steps[1]);
            Assert.StartsWith("Tag every release", steps[2]);
            Assert.StartsWith("Store them in the vault", steps[5]);
        }

        [Fact]
        public void The_evidence_section_cites_the_sources_and_the_evidence_file_holds_every_memory()
        {
            var result = new OfflineDistiller().Distill(Prompt(Migrations));
            Assert.Contains("## Evidence", result.Text);
            Assert.Contains("m-117 (accessed", result.Text);
            Assert.Contains("references/evidence.md", result.Text);
            foreach (var doc in Migrations) Assert.Contains(doc.Text, result.Evidence);
            Assert.Equal(1, result.Coverage);
        }

        [Fact]
        public void Same_input_gives_byte_identical_output()
        {
            var a = new OfflineDistiller().Distill(Prompt(Migrations)).Text;
            var b = new OfflineDistiller().Distill(Prompt(Migrations.Select(d => Doc(d.Id, d.Text, d.AccessCount)).ToArray())).Text;
            Assert.Equal(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
        }

        [Theory]
        [InlineData("Note: use key: value pairs, \"quoted\" and 'single' # not a comment")]
        [InlineData("- starts like a YAML list item: yes")]
        [InlineData("| pipe & ampersand * star ! bang % percent @ at `tick`")]
        [InlineData("Compare a < b and c > d before the <script> runs.")]
        [InlineData("---\nname: injected\n---\nFake frontmatter inside a memory.")]
        [InlineData("Ünïcödé façade naïve café: 東京 deploys and 🚀 launches.")]
        [InlineData("true")]
        [InlineData("   ")]
        public void Awkward_text_still_gives_valid_yaml_and_exact_description(string text)
        {
            var prompt = Prompt(Doc("a-1", text, 5), Doc("a-2", text + " Also check the logs.", 2), Doc("a-3", text, 1));
            var result = new OfflineDistiller().Distill(prompt);
            var map = SkillMarkdownAssert.Valid(result.Text);
            Assert.Equal(result.Name, map["name"]);
            Assert.NotEqual("injected", map["name"]);
            if (text.Trim().Length > 0 && text != "true")
                Assert.Contains(System.Text.RegularExpressions.Regex.Match(text.ToLowerInvariant(), @"[\p{L}\p{N}]+").Value, ((string)map["description"]).ToLowerInvariant());
        }

        [Fact]
        public void Many_generated_clusters_all_give_valid_skills()
        {
            var random = new Random(20261121);
            string[] vocabulary =
            {
                "deploy", "the", "service", "cache", "invalidate", "before", "after", "token", "refresh", "retry", "backoff",
                "database", "migration", "schema", "index", "query", "timeout", "queue", "worker", "restart", "config",
                "a", "and", "of", "with", "using", "key:", "\"quoted\"", "<tag>", "café", "東京", "🚀", "e.g.", "v1.2.3",
                "https://api.example.com/v1", "C:\\temp\\x", "--flag", "#hash", "|", "---", "API", "JSON", "S3", "42",
            };
            for (int c = 0; c < 300; c++)
            {
                int size = random.Next(1, 8);
                var docs = new MemoryDoc[size];
                for (int d = 0; d < size; d++)
                {
                    var sb = new StringBuilder();
                    int sentences = random.Next(0, 6);
                    for (int s = 0; s < sentences; s++)
                    {
                        int words = random.Next(1, 25);
                        for (int w = 0; w < words; w++) sb.Append(vocabulary[random.Next(vocabulary.Length)]).Append(' ');
                        sb.Append(random.Next(4) == 0 ? "\n- " : random.Next(3) == 0 ? "! " : ". ");
                    }
                    if (random.Next(50) == 0) sb.Append(new string('x', 5000));
                    docs[d] = Doc($"g{c}-{d}", sb.ToString(), random.Next(0, 100), scope: random.Next(3) == 0 ? "" : "scope-" + random.Next(3));
                }
                var result = new OfflineDistiller().Distill(Prompt(docs));
                var map = SkillMarkdownAssert.Valid(result.Text);
                Assert.Equal(result.Name, map["name"]);
                foreach (var doc in docs) Assert.Contains("## " + doc.Id + "\n\n- Scope: ", result.Evidence);
            }
        }

        [Fact]
        public void A_prompt_without_its_cluster_is_a_clear_error()
        {
            var prompt = new DistillPrompt { Kind = DistillPromptKind.MemoryCluster, Fingerprint = "abc", Text = "from text" };
            var e = Assert.Throws<SkillForgeException>(() => new OfflineDistiller().Distill(prompt));
            Assert.Equal(ErrorIds.PromptInvalidInput, e.ErrorId);
            Assert.Contains("New-DistillPrompt", e.Message);
        }

        [Fact]
        public void Long_clusters_are_capped_and_say_so()
        {
            var docs = Enumerable.Range(0, 5).Select(i => Doc("big-" + i,
                string.Join(" ", Enumerable.Range(0, 40).Select(j => $"Statement {i}-{j} covers topic{i * 100 + j} with detail{j * 7 + i}.")), 10 - i)).ToArray();
            var result = new OfflineDistiller().Distill(Prompt(docs));
            SkillMarkdownAssert.Valid(result.Text);
            Assert.Equal(SkillForge.Distillation.Offline.ClusterSkillComposer.MaxSteps + 1, Steps(result.Text).Count);
            Assert.Contains("191 further statements are left out", result.Text);
        }

        /// <summary>What the skill states, in order: its principle, its steps, its mistakes to avoid.</summary>
        internal static List<string> Steps(string markdown)
        {
            var statements = new List<string>();
            string section = "";
            foreach (var line in markdown.Split('\n'))
            {
                if (line.StartsWith("## ", StringComparison.Ordinal)) { section = line.Substring(3); continue; }
                if (line.Trim().Length == 0) continue;
                if (section == "Principle") statements.Add(line.Trim());
                else if (section == "Steps" && System.Text.RegularExpressions.Regex.IsMatch(line, @"^\d+\. ")) statements.Add(line.Substring(line.IndexOf(". ", StringComparison.Ordinal) + 2));
                else if (section == "Mistakes to avoid" && line.StartsWith("- ", StringComparison.Ordinal)) statements.Add(line.Substring(2));
            }
            return statements;
        }
    }
}

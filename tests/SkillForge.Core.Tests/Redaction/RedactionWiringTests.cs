using System;
using System.IO;
using System.Linq;
using System.Threading;
using SkillForge.Clustering;
using SkillForge.Distillation;
using SkillForge.Prompts;
using SkillForge.Redaction;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Redaction
{
    /// <summary>The redaction pass where Core uses it: prompts, cuts, the offline distiller, the write check, validation.</summary>
    public class RedactionWiringTests
    {
        private static readonly string Leaky = string.Join("\n", PlantedSecrets.All.Select(s => s.Text)) + "\ncd /home/jane/src/app";

        private static MemoryCluster Cluster(params string[] texts)
        {
            var docs = texts.Select((t, i) => new MemoryDoc { Id = "m-" + i, Text = t, Scope = "ops", AccessCount = 10 - i }).ToArray();
            return new MemoryCluster { Fingerprint = ClusterFingerprint.Compute(docs.Select(d => d.Id)), SourceId = docs[0].Id, Scope = "ops", Documents = docs };
        }

        private static TracePartition Partition(string text) => new TracePartition
        {
            TraceId = "t1",
            Successes = new[] { new TraceEvent { TraceId = "t1", Kind = TraceEventKinds.ActionSucceeded, ActionId = "a1", Tool = "shell", Data = "{\"command\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}", Sequence = 0 } },
            Failures = new[] { new TraceEvent { TraceId = "t1", Kind = TraceEventKinds.ActionFailed, ActionId = "a2", Tool = "shell", Data = "{\"output\":" + System.Text.Json.JsonSerializer.Serialize(text) + "}", Sequence = 1 } },
        };

        private static void AssertClean(string text)
        {
            foreach (var s in PlantedSecrets.All)
            {
                Assert.False(text.Contains(s.Value, StringComparison.Ordinal), s.Kind + " leaked");
                Assert.False(text.Contains(System.Text.Json.JsonSerializer.Serialize(s.Value).Trim('"'), StringComparison.Ordinal), s.Kind + " leaked (JSON)");
            }
            Assert.DoesNotContain("/home/jane", text);
        }

        [Fact]
        public void Memory_prompts_quote_redacted_sources_and_count_them()
        {
            var prompt = DistillPromptBuilder.ForCluster(Cluster(Leaky, Leaky + " again"));
            AssertClean(prompt.Text);
            foreach (var kind in RedactionRules.Kinds) Assert.True(prompt.Redactions[kind] > 0, kind);
            Assert.Contains("[redacted:github-token]", prompt.Text);
            Assert.Contains("cd ~/src/app", prompt.Text);
        }

        [Fact]
        public void Trace_prompts_quote_redacted_sources_and_count_them()
        {
            var prompts = DistillPromptBuilder.ForPartition(Partition(Leaky), new DistillPromptOptions());
            Assert.Equal(2, prompts.Count);
            foreach (var prompt in prompts)
            {
                AssertClean(prompt.Text);
                Assert.True(prompt.Redactions["openai-key"] > 0);
            }
        }

        [Fact]
        public void None_keeps_the_sources_and_Secrets_keeps_personal_data()
        {
            var none = DistillPromptBuilder.ForCluster(Cluster(Leaky), new DistillPromptOptions { Redact = RedactionMode.None });
            Assert.Contains(PlantedSecrets.OpenAIKey, none.Text);
            Assert.Equal(0, none.Redactions.Total);
            var secrets = DistillPromptBuilder.ForCluster(Cluster(Leaky), new DistillPromptOptions { Redact = RedactionMode.Secrets });
            Assert.DoesNotContain(PlantedSecrets.OpenAIKey, secrets.Text);
            Assert.Contains(PlantedSecrets.Email, secrets.Text);
            Assert.Equal(0, secrets.Redactions["email"]);
        }

        [Fact]
        public void A_source_cut_to_size_never_quotes_half_a_secret()
        {
            string padding = new string('x', 30) + " ";
            foreach (var sample in PlantedSecrets.All)
            {
                string text = padding + sample.Text;
                int start = text.IndexOf(sample.Value, StringComparison.Ordinal);
                var options = new DistillPromptOptions { MaxDocumentChars = start + sample.Value.Length / 2 };
                var prompt = DistillPromptBuilder.ForCluster(Cluster(text), options);
                string piece = sample.Value.Substring(0, Math.Min(8, sample.Value.Length / 2));
                Assert.False(prompt.Text.Contains(piece, StringComparison.Ordinal), sample.Kind + " was cut in half");
                Assert.Contains("[truncated ", prompt.Text);
            }
        }

        [Fact]
        public void The_offline_distiller_writes_nothing_it_should_not()
        {
            var distiller = new OfflineDistiller();
            var cluster = Cluster(Leaky + "\nDeploy with make.", Leaky + "\nDeploy with make release.", Leaky + "\nDeploy.");
            var prompt = DistillPromptBuilder.ForCluster(cluster);
            AssertClean(distiller.Distill(prompt).Text);
            foreach (var tracePrompt in DistillPromptBuilder.ForPartition(Partition(Leaky), new DistillPromptOptions()))
                AssertClean(distiller.Distill(tracePrompt).Text);
            // The caller's objects are left as they were.
            Assert.Contains(PlantedSecrets.OpenAIKey, cluster.Documents[0].Text);
            Assert.Contains(PlantedSecrets.OpenAIKey, new OfflineDistiller(RedactionMode.None).Distill(prompt).Text);
        }

        [Fact]
        public async System.Threading.Tasks.Task A_prompt_from_elsewhere_is_redacted_on_its_way_to_the_distiller()
        {
            var seen = new RecordingDistiller();
            var prompt = new DistillPrompt { Text = "Distil this:\n" + Leaky, Fingerprint = "abc" };
            var result = await new RedactingDistiller(seen, RedactionMode.All).DistillAsync(prompt, CancellationToken.None);
            AssertClean(seen.Text);
            Assert.NotSame(prompt, result.Prompt);
            Assert.True(result.Prompt.Redactions["jwt"] == 1);
            Assert.Contains(PlantedSecrets.Jwt, prompt.Text); // the caller's prompt is not changed
            var clean = new DistillPrompt { Text = "nothing to hide", Fingerprint = "abc" };
            Assert.Same(clean, (await new RedactingDistiller(seen, RedactionMode.All).DistillAsync(clean, CancellationToken.None)).Prompt);
            Assert.Same(seen, RedactingDistiller.Wrap(seen, RedactionMode.None));
        }

        [Fact]
        public void The_write_check_redacts_text_and_provenance_and_counts_with_the_prompt()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var upstream = new RedactionCounts();
            upstream.Add("email", 2);
            var plan = library.Plan(new SkillWriteRequest
            {
                Content = "---\nname: deploy\ndescription: How to deploy.\n---\n\n" + Leaky + "\n",
                SourceIds = new[] { PlantedSecrets.Email, "m-2" },
                SourceRedactions = upstream,
            });
            AssertClean(plan.Content);
            Assert.DoesNotContain(PlantedSecrets.Email, string.Join(",", plan.SourceIds));
            var file = library.Commit(plan);
            AssertClean(File.ReadAllText(file.Path));
            Assert.Equal(PlantedSecrets.All.Count + 2, plan.Redactions.Total);
            Assert.Equal(plan.Redactions.Total + 2, file.Redactions.Total);

            var raw = library.Plan(new SkillWriteRequest { Content = "---\nname: raw\ndescription: Raw.\n---\n\n" + Leaky + "\n", Redact = RedactionMode.None });
            Assert.Contains(PlantedSecrets.OpenAIKey, raw.Content);
        }

        [Fact]
        public void Validation_reports_secrets_as_errors_and_personal_data_as_warnings_without_values()
        {
            string content = "---\nname: leaky\ndescription: Leaks.\n---\n\nuse " + PlantedSecrets.GitHubClassic + "\nmail " + PlantedSecrets.Email + "\ncd /Users/jane/app\n";
            var result = SkillMarkdownValidator.Validate(content);
            Assert.False(result.IsValid);
            var secret = Assert.Single(result.Diagnostics, d => d.Code == SkillDiagnosticCodes.SecretFound);
            Assert.Equal(DiagnosticSeverity.Error, secret.Severity);
            Assert.Equal(6, secret.Line);
            var personal = result.Diagnostics.Where(d => d.Code == SkillDiagnosticCodes.PersonalDataFound).ToList();
            Assert.Equal(new[] { 7, 8 }, personal.Select(d => d.Line));
            Assert.All(personal, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
            foreach (var d in result.Diagnostics)
            {
                Assert.DoesNotContain(PlantedSecrets.GitHubClassic, d.Message);
                Assert.DoesNotContain(PlantedSecrets.Email, d.Message);
            }
            Assert.True(SkillMarkdownValidator.Validate(content, findLeaks: false).IsValid);
        }

        [Fact]
        public void Validation_shows_at_most_a_bounded_number_of_leaks()
        {
            string content = "---\nname: many\ndescription: Many.\n---\n\n" + string.Join("\n", Enumerable.Range(0, 50).Select(i => "user" + i + "@acme-corp.io")) + "\n";
            var leaks = SkillMarkdownValidator.Validate(content).Diagnostics.Where(d => d.Code == SkillDiagnosticCodes.SecretFound || d.Code == SkillDiagnosticCodes.PersonalDataFound).ToList();
            Assert.Equal(SkillMarkdownValidator.MaxLeakDiagnostics + 1, leaks.Count);
            Assert.Contains("30 more", leaks.Last().Message);
        }

        private sealed class RecordingDistiller : IDistiller
        {
            public string Text = "";

            public System.Threading.Tasks.Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken)
            {
                Text = prompt.Text;
                return System.Threading.Tasks.Task.FromResult(new DistillationResult { Prompt = prompt, Text = "ok" });
            }
        }
    }
}

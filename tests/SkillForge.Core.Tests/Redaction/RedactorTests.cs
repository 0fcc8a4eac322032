using System;
using System.Collections.Generic;
using System.Linq;
using SkillForge.Redaction;
using Xunit;

namespace SkillForge.Tests.Redaction
{
    public class RedactorTests
    {
        public static IEnumerable<object[]> Samples() => PlantedSecrets.All.Select((s, i) => new object[] { i, s.Kind });

        public static IEnumerable<object[]> LookAlikes() => PlantedSecrets.LookAlikes.Select(t => new object[] { t });

        public static IEnumerable<object[]> HomeFolders() => PlantedSecrets.HomeFolders.Select(h => new object[] { h.Text, h.Expected });

        [Theory]
        [MemberData(nameof(Samples))]
        public void Finds_each_kind(int index, string kind)
        {
            var sample = PlantedSecrets.All[index];
            var findings = Redactor.Find(sample.Text);
            var finding = Assert.Single(findings);
            Assert.Equal(kind, finding.Kind);
            Assert.Equal(sample.Value, sample.Text.Substring(finding.Start, finding.Length));
        }

        [Theory]
        [MemberData(nameof(Samples))]
        public void Replaces_the_value_with_the_marker_of_its_kind(int index, string kind)
        {
            var sample = PlantedSecrets.All[index];
            var counts = new RedactionCounts();
            string redacted = Redactor.Redact(sample.Text, RedactionMode.All, counts);
            Assert.Equal(sample.Text.Replace(sample.Value, "[redacted:" + kind + "]"), redacted);
            Assert.DoesNotContain(sample.Value, redacted);
            Assert.Equal(1, counts[kind]);
            Assert.Equal(1, counts.Total);
        }

        [Theory]
        [MemberData(nameof(Samples))]
        public void Gives_the_same_value_the_same_marker_everywhere(int index, string kind)
        {
            var sample = PlantedSecrets.All[index];
            string text = sample.Text + "\nagain: " + sample.Text + "\n";
            string redacted = Redactor.Redact(text);
            string marker = Redactor.Marker(kind);
            Assert.DoesNotContain(sample.Value, redacted);
            Assert.Equal(2, CountOf(redacted, marker));
            Assert.Equal(Redactor.Redact(sample.Text), Redactor.Redact(sample.Text));
        }

        [Theory]
        [MemberData(nameof(LookAlikes))]
        public void Leaves_look_alikes_alone(string text)
        {
            var findings = Redactor.Find(text);
            Assert.True(findings.Count == 0, "found " + string.Join(", ", findings.Select(f => f.Kind + " '" + text.Substring(f.Start, f.Length) + "'")));
            Assert.Equal(text, Redactor.Redact(text));
        }

        [Theory]
        [MemberData(nameof(HomeFolders))]
        public void Turns_home_folders_into_a_tilde(string text, string expected)
        {
            var counts = new RedactionCounts();
            Assert.Equal(expected, Redactor.Redact(text, RedactionMode.All, counts));
            Assert.Equal(1, counts["home-path"]);
        }

        [Fact]
        public void A_value_found_after_a_password_name_is_replaced_where_it_appears_alone()
        {
            string text = "PGPASSWORD=" + PlantedSecrets.PairPassword + " psql\nlater the agent echoed " + PlantedSecrets.PairPassword + " to the log";
            string redacted = Redactor.Redact(text);
            Assert.DoesNotContain(PlantedSecrets.PairPassword, redacted);
            Assert.Equal(2, CountOf(redacted, "[redacted:password]"));
        }

        [Fact]
        public void Secrets_mode_keeps_personal_data()
        {
            string text = "mail " + PlantedSecrets.Email + " from /home/jane/app with key " + PlantedSecrets.OpenAIKey + ", call " + PlantedSecrets.PhoneInternational;
            string redacted = Redactor.Redact(text, RedactionMode.Secrets);
            Assert.Contains(PlantedSecrets.Email, redacted);
            Assert.Contains("/home/jane/app", redacted);
            Assert.Contains(PlantedSecrets.PhoneInternational, redacted);
            Assert.DoesNotContain(PlantedSecrets.OpenAIKey, redacted);
            Assert.Equal(text, Redactor.Redact(text, RedactionMode.None));
        }

        [Fact]
        public void A_private_key_cut_before_its_end_is_redacted_to_the_end_of_its_body()
        {
            string cut = "key:\n" + PlantedSecrets.PrivateKey.Substring(0, 45) + " [truncated 400 chars]";
            string redacted = Redactor.Redact(cut);
            Assert.Equal("key:\n[redacted:private-key] [truncated 400 chars]", redacted);
            string atEnd = "key:\n" + PlantedSecrets.PrivateKey.Substring(0, 45);
            Assert.Equal("key:\n[redacted:private-key]", Redactor.Redact(atEnd));
        }

        [Fact]
        public void A_private_key_quoted_in_json_is_redacted_whole()
        {
            string json = "{\"content\":\"" + PlantedSecrets.PrivateKey.Replace("\n", "\\n") + "\\n\",\"ok\":true}";
            Assert.Equal("{\"content\":\"[redacted:private-key]\\n\",\"ok\":true}", Redactor.Redact(json));
        }

        [Fact]
        public void A_token_that_is_also_a_bearer_value_is_marked_by_its_own_kind()
        {
            string text = "Authorization: Bearer " + PlantedSecrets.Jwt;
            Assert.Equal("Authorization: Bearer [redacted:jwt]", Redactor.Redact(text));
        }

        [Fact]
        public void Markers_are_never_found_again()
        {
            string once = Redactor.Redact(string.Join("\n", PlantedSecrets.All.Select(s => s.Text)));
            Assert.Empty(Redactor.Find(once));
            Assert.Equal(once, Redactor.Redact(once));
        }

        [Theory]
        [MemberData(nameof(Samples))]
        public void A_cut_never_splits_a_value(int index, string kind)
        {
            _ = kind;
            var sample = PlantedSecrets.All[index];
            string text = new string('a', 50) + " " + sample.Text + " tail";
            int start = text.IndexOf(sample.Value, StringComparison.Ordinal);
            for (int cut = start + 1; cut < start + sample.Value.Length; cut++)
                Assert.Equal(start, Redactor.SafeCut(text, cut));
            Assert.Equal(start, Redactor.SafeCut(text, start));
            Assert.Equal(start + sample.Value.Length + 1, Redactor.SafeCut(text, start + sample.Value.Length + 1));
        }

        [Fact]
        public void Every_kind_is_documented_with_an_example()
        {
            foreach (var detector in RedactionRules.All)
            {
                Assert.False(string.IsNullOrWhiteSpace(detector.Example), detector.Kind);
                Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", detector.Kind);
            }
            var kinds = PlantedSecrets.All.Select(s => s.Kind).Concat(new[] { "home-path" }).Distinct().OrderBy(k => k, StringComparer.Ordinal);
            Assert.Equal(RedactionRules.Kinds.OrderBy(k => k, StringComparer.Ordinal), kinds);
        }

        [Fact]
        public void Counts_print_kinds_and_numbers_only()
        {
            var counts = new RedactionCounts();
            Redactor.Redact(PlantedSecrets.Email + " " + PlantedSecrets.GitHubClassic + " " + PlantedSecrets.Email, RedactionMode.All, counts);
            Assert.Equal("2 email, 1 github-token", counts.ToString());
            Assert.Equal(3, counts.Total);
            Assert.Equal(0, counts["jwt"]);
            Assert.Equal("none", new RedactionCounts().ToString());
        }

        private static int CountOf(string text, string part)
        {
            int n = 0;
            for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) n++;
            return n;
        }
    }
}

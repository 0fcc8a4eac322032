using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SkillForge.Skills;

namespace SkillForge.Distillation.Offline
{
    /// <summary>
    /// Writes one SKILL.md from a memory cluster by extraction only: a name from the terms the members share,
    /// a description from the source doc's first sentence and the cluster's terms, numbered steps from the
    /// members' de-duplicated sentences (most-accessed memory first, each citing its sources) and a Sources list.
    /// </summary>
    internal static class ClusterSkillComposer
    {
        /// <summary>Sentences whose word sets overlap at least this much are one statement.</summary>
        public const double DuplicateJaccard = 0.6;
        /// <summary>A sentence whose words are this much inside a step is a shorter wording of it.</summary>
        public const double ContainedShare = 0.8;
        /// <summary>A step whose words are this much inside a longer sentence is one part of it.</summary>
        public const double PartShare = 0.7;
        public const int MaxSteps = 60;
        public const int MaxStepChars = 600;
        public const int MaxCitedIds = 5;
        private const int MaxNameTerms = 4;
        private const int MaxTriggerTerms = 5;
        private const int MaxWhatChars = 400;

        private sealed class Step
        {
            public Step(string text, HashSet<string> words, string firstId)
            {
                Text = text;
                Words = words;
                Ids.Add(firstId);
            }

            public string Text { get; }
            public HashSet<string> Words { get; }
            public List<string> Ids { get; } = new List<string>();
        }

        /// <summary>The SKILL.md text and its name.</summary>
        public static (string Markdown, string Name) Compose(MemoryCluster cluster)
        {
            var docs = cluster.Documents.Where(d => d != null).ToArray();
            if (docs.Length == 0)
            {
                throw new ArgumentException("The cluster has no documents.", nameof(cluster));
            }
            var source = docs.FirstOrDefault(d => string.Equals(d.Id, cluster.SourceId, StringComparison.Ordinal)) ?? docs[0];

            // Most-accessed first; ties keep the cluster's order (the source doc leads).
            var ranked = docs.Select((d, i) => (Doc: d, Index: i))
                .OrderByDescending(x => x.Doc.AccessCount)
                .ThenBy(x => x.Index)
                .Select(x => x.Doc)
                .ToArray();

            var terms = RankTerms(docs, source);
            var name = OfflineText.KebabName(terms.Take(MaxNameTerms).OrderBy(t => t.FirstSeen).Select(t => t.Term));
            if (name.Length == 0)
            {
                var fp = OfflineText.AsciiFold(cluster.Fingerprint);
                name = fp.Length >= 8 ? "memory-skill-" + fp.Substring(0, 8) : "memory-skill";
            }

            var steps = BuildSteps(ranked);
            var description = Describe(cluster, docs, source, terms);
            var markdown = Render(name, description, cluster, docs, ranked, steps);
            return (markdown, name);
        }

        private sealed class RankedTerm
        {
            public string Term = "";
            public int DocFrequency;
            public int Count;
            public int FirstSeen;
        }

        /// <summary>Terms most members share, weighted by document frequency, ties broken by first appearance in the source doc.</summary>
        private static List<RankedTerm> RankTerms(MemoryDoc[] docs, MemoryDoc source)
        {
            var table = new Dictionary<string, RankedTerm>(StringComparer.Ordinal);
            int position = 0;
            // The source doc first, so first appearance means "in the source doc" wherever it can.
            foreach (var doc in new[] { source }.Concat(docs.Where(d => !ReferenceEquals(d, source))))
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var word in OfflineText.Words(doc.Text ?? ""))
                {
                    var term = OfflineText.Term(word);
                    if (term == null) continue;
                    // "migration" and "migrations" are one term; it shows in the form met first.
                    var stem = OfflineText.Stem(term);
                    if (!table.TryGetValue(stem, out var entry))
                    {
                        entry = new RankedTerm { Term = term, FirstSeen = position++ };
                        table[stem] = entry;
                    }
                    entry.Count++;
                    if (seen.Add(stem)) entry.DocFrequency++;
                }
            }
            int threshold = docs.Length >= 2 ? Math.Max(2, (docs.Length + 1) / 2) : 1;
            var shared = table.Values.Where(t => t.DocFrequency >= threshold).ToList();
            var pool = shared.Count >= 2 ? shared : table.Values.ToList();
            return pool.OrderByDescending(t => t.DocFrequency)
                .ThenByDescending(t => Math.Min(t.Count, 3 * t.DocFrequency))
                .ThenBy(t => t.FirstSeen)
                .ToList();
        }

        private static List<Step> BuildSteps(MemoryDoc[] ranked)
        {
            var steps = new List<Step>();
            foreach (var doc in ranked)
            {
                foreach (var sentence in SentenceSplitter.Split(doc.Text ?? ""))
                {
                    var words = new HashSet<string>(OfflineText.Words(sentence), StringComparer.Ordinal);
                    var covered = Duplicates(steps, words);
                    if (covered.Count > 0)
                    {
                        foreach (var step in covered)
                        {
                            if (!step.Ids.Contains(doc.Id)) step.Ids.Add(doc.Id);
                        }
                        continue;
                    }
                    steps.Add(new Step(OfflineText.CutAtWord(sentence, MaxStepChars), words, doc.Id));
                }
            }
            return steps;
        }

        /// <summary>
        /// The steps a sentence repeats, empty when it says something new. A sentence repeats a step when their
        /// word sets have a Jaccard similarity of at least 0.6, or when nearly all its words (80%) are in that step
        /// (a shorter wording of it); and it repeats several steps when it is their sentences joined into one
        /// (each step's words 70% inside it, and at most 20% of its words outside them all).
        /// </summary>
        private static List<Step> Duplicates(List<Step> steps, HashSet<string> words)
        {
            foreach (var step in steps)
            {
                if (OfflineText.Jaccard(step.Words, words) >= DuplicateJaccard) return new List<Step> { step };
            }
            if (words.Count >= 3)
            {
                foreach (var step in steps)
                {
                    if (Containment(words, step.Words) >= ContainedShare) return new List<Step> { step };
                }
                var parts = steps.Where(st => st.Words.Count >= 3 && Containment(st.Words, words) >= PartShare).ToList();
                if (parts.Count >= 2)
                {
                    int outside = words.Count(w => !parts.Any(p => p.Words.Contains(w)));
                    if (outside <= (1 - ContainedShare) * words.Count) return parts;
                }
            }
            return new List<Step>();
        }

        /// <summary>Share of a's words that are also in b.</summary>
        private static double Containment(HashSet<string> a, HashSet<string> b)
        {
            if (a.Count == 0) return 0;
            int common = 0;
            foreach (var w in a) if (b.Contains(w)) common++;
            return (double)common / a.Count;
        }

        private static string Describe(MemoryCluster cluster, MemoryDoc[] docs, MemoryDoc source, List<RankedTerm> terms)
        {
            var first = SentenceSplitter.Split(source.Text ?? "").FirstOrDefault();
            string what;
            if (first == null)
            {
                what = $"Procedure distilled from {docs.Length} related agent memories";
            }
            else
            {
                what = OfflineText.CutAtWord(first, MaxWhatChars).TrimEnd('.', '!', '?', '…', ' ');
            }

            var triggerTerms = terms.Take(MaxTriggerTerms).OrderBy(t => t.FirstSeen).Select(t => t.Term).ToList();
            var sb = new StringBuilder();
            sb.Append(what).Append(". Use when ");
            var scope = !string.IsNullOrEmpty(cluster.Scope) ? cluster.Scope! : source.Scope ?? "";
            sb.Append(triggerTerms.Count > 0 ? "a task mentions " + JoinOr(triggerTerms) : "the same situation comes up again");
            if (scope.Length > 0) sb.Append(" (scope ").Append(OfflineText.CollapseWhitespace(scope)).Append(')');
            var kinds = docs.Select(d => (d.Kind ?? "").Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var kind = kinds.Count == 1 && kinds[0].Length > 0 ? OfflineText.CollapseWhitespace(kinds[0]) + " " : "";
            sb.Append("; distilled from ").Append(docs.Length).Append(' ').Append(kind)
              .Append(docs.Length == 1 ? "memory." : "memories.");
            var description = OfflineText.NoAngleBrackets(OfflineText.CollapseWhitespace(sb.ToString()));
            return TextUtil.CodePointLength(description) <= 1024 ? description : OfflineText.CutAtWord(description, 1000);
        }

        private static string JoinOr(IReadOnlyList<string> items)
        {
            if (items.Count == 1) return items[0];
            return string.Join(", ", items.Take(items.Count - 1)) + " or " + items[items.Count - 1];
        }

        private static string Render(string name, string description, MemoryCluster cluster, MemoryDoc[] docs, MemoryDoc[] ranked, List<Step> steps)
        {
            var sb = new StringBuilder();
            sb.Append("---\n").Append(Frontmatter(name, description)).Append("---\n\n");
            sb.Append("# ").Append(Title(name)).Append("\n\n");

            var scope = !string.IsNullOrEmpty(cluster.Scope) ? cluster.Scope! : docs[0].Scope ?? "";
            sb.Append("Extracted from ").Append(docs.Length).Append(docs.Length == 1 ? " memory" : " memories");
            if (scope.Length > 0) sb.Append(" in scope `").Append(OfflineText.CollapseWhitespace(scope).Replace("`", "'")).Append('`');
            sb.Append(", most-accessed first; near-duplicates are merged and each step names its sources.\n\n");

            sb.Append("## Steps\n\n");
            int shown = Math.Min(steps.Count, MaxSteps);
            if (shown == 0) sb.Append("The memories hold no complete sentences; read the sources directly.\n");
            for (int i = 0; i < shown; i++)
            {
                var step = steps[i];
                sb.Append(i + 1).Append(". ").Append(EscapeLineStart(step.Text)).Append(" (from ").Append(Cite(step.Ids)).Append(")\n");
            }
            if (steps.Count > shown)
            {
                sb.Append("\n").Append(steps.Count - shown).Append(" further statements were left out to keep this skill short; see the sources.\n");
            }

            sb.Append("\n## Sources\n\n");
            foreach (var doc in ranked)
            {
                sb.Append("- ").Append(OfflineText.CollapseWhitespace(doc.Id)).Append(": scope ")
                  .Append((doc.Scope ?? "").Length > 0 ? OfflineText.CollapseWhitespace(doc.Scope!) : "(none)");
                if (!string.IsNullOrEmpty(doc.Kind)) sb.Append(", kind ").Append(OfflineText.CollapseWhitespace(doc.Kind!));
                sb.Append(", accessed ").Append(OfflineText.Invariant(doc.AccessCount)).Append(doc.AccessCount == 1 ? " time\n" : " times\n");
            }
            return sb.ToString();
        }

        internal static string Frontmatter(string name, string description)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["name"] = name,
                ["description"] = description,
            };
            // The writer's serializer quotes values YAML would read as something else (true, null, 1e5).
            var yaml = SkillMarkdownWriter.SerializeYaml(map);
            return yaml.EndsWith("\n", StringComparison.Ordinal) ? yaml : yaml + "\n";
        }

        private static string Cite(List<string> ids)
        {
            var clean = ids.Select(OfflineText.CollapseWhitespace).ToList();
            if (clean.Count <= MaxCitedIds) return string.Join(", ", clean);
            return string.Join(", ", clean.Take(MaxCitedIds)) + $" and {clean.Count - MaxCitedIds} more";
        }

        /// <summary>A step must stay a list item's text: block markers at its start are escaped.</summary>
        private static string EscapeLineStart(string text)
        {
            if (text.Length > 0 && (text[0] == '#' || text[0] == '>' || text[0] == '|' || text[0] == '=' || text[0] == '-'))
                return "\\" + text;
            return text;
        }

        private static string Title(string name) =>
            string.Join(" ", name.Split('-').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
    }
}

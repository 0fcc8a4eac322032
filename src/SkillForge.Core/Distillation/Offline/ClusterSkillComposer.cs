using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SkillForge.Distillation.Offline
{
    /// <summary>
    /// Writes one SKILL.md from a memory cluster by extraction only, in the shape every offline skill has: a name
    /// from the terms the members share, a description from the source doc's first sentence and the cluster's
    /// terms, the principle and numbered steps from the members' de-duplicated sentences (most-accessed memory
    /// first), warnings among them as mistakes to avoid, and the sources cited briefly (all of them, with their
    /// text, in references/evidence.md).
    /// </summary>
    internal static class ClusterSkillComposer
    {
        /// <summary>Sentences whose word sets overlap at least this much are one statement.</summary>
        public const double DuplicateJaccard = 0.6;
        /// <summary>A sentence whose words are this much inside a step is a shorter wording of it.</summary>
        public const double ContainedShare = 0.8;
        /// <summary>A step whose words are this much inside a longer sentence is one part of it.</summary>
        public const double PartShare = 0.7;
        public const int MaxSteps = 8;
        public const int MaxStepChars = 300;
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

        /// <summary>The SKILL.md text, its name, the evidence file and the share of members the skill draws on.</summary>
        public static (string Markdown, string Name, string Evidence, double Coverage) Compose(MemoryCluster cluster)
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
            var draft = Shape(name, cluster, docs, source, ranked, terms, steps);
            var used = new HashSet<string>(steps.Take(MaxSteps + 1).SelectMany(st => st.Ids), StringComparer.Ordinal);
            double coverage = (double)docs.Count(d => used.Contains(d.Id)) / docs.Length;
            return (SkillShape.Render(draft), name, EvidenceDocument(name, cluster, ranked), coverage);
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

        /// <summary>Sentences that warn ("never", "do not", "avoid") are mistakes to avoid, not steps.</summary>
        private static readonly System.Text.RegularExpressions.Regex Warning = new System.Text.RegularExpressions.Regex(
            @"\b(?:never|don't|do not|avoid|must not|should not|shouldn't|instead of|without)\b",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static readonly System.Text.RegularExpressions.Regex Pattern = new System.Text.RegularExpressions.Regex(
            @"->|→|\[[A-Z][\w ]*\]|^(?:planning )?pattern\b",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        private static readonly System.Text.RegularExpressions.Regex Solved = new System.Text.RegularExpressions.Regex(
            @"^(?:solved|succeeded|completed|success)\b|^(?:in this environment, )?my plan was\b|^i should have\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        private static readonly System.Text.RegularExpressions.Regex Unsolved = new System.Text.RegularExpressions.Regex(
            @"^(?:unsolved|failed|failure|not solved)\b|^(?:however, )?i (?:was|got) stuck\b|^it did not help\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static readonly System.Text.RegularExpressions.Regex InstanceNumber = new System.Text.RegularExpressions.Regex(@"\b[a-z]+ \d+\b|\d", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private static bool IsGeneral(string text) =>
            !InstanceNumber.IsMatch(text) && !Solved.IsMatch(text) && !Unsolved.IsMatch(text) && !Warning.IsMatch(text);

        private static SkillDraft Shape(string name, MemoryCluster cluster, MemoryDoc[] docs, MemoryDoc source, MemoryDoc[] ranked, List<RankedTerm> terms, List<Step> steps)
        {
            var d = new SkillDraft { Name = name };
            var first = SentenceSplitter.Split(source.Text ?? "").FirstOrDefault();
            d.What = first == null ? $"Procedure distilled from {docs.Length} related agent memories" : OfflineText.CutAtWord(first, MaxWhatChars).TrimEnd('.', '!', '?', '…', ' ');
            var triggerTerms = terms.Take(MaxTriggerTerms).OrderBy(t => t.FirstSeen).Select(t => t.Term).ToList();
            var scope = !string.IsNullOrEmpty(cluster.Scope) ? cluster.Scope! : source.Scope ?? "";
            d.UseWhen = (triggerTerms.Count > 0 ? "a task mentions " + JoinOr(triggerTerms) : "the same situation comes up again")
                + (scope.Length > 0 ? " (scope " + OfflineText.CollapseWhitespace(scope) + ")" : "");
            d.WhenToUse.Add(triggerTerms.Count > 0 ? "A task mentions " + JoinOr(triggerTerms) + "." : "The situation these memories describe comes up again.");
            if (scope.Length > 0) d.WhenToUse.Add("The work is in scope " + SkillShape.Code(scope) + ".");

            // Episode reports ("Solved by …", "Unsolved due to …") are examples and mistakes; a stated pattern
            // ("Search [Location] -> Acquire [Object]") is the principle; the rest are steps.
            var shown = steps.Take(MaxSteps + 1).ToList();
            // The principle: a stated pattern, else the most-supported general statement (no instance numbers such as
            // "countertop 3", not an episode report), else the first statement.
            var stated = shown.Where(st => Pattern.IsMatch(st.Text)).OrderByDescending(st => st.Ids.Count).FirstOrDefault();
            var principle = stated
                ?? (shown.Count > 0 && IsGeneral(shown[0].Text) ? shown[0] : null)
                ?? shown.Select((st, i) => (st, i)).Where(x => IsGeneral(x.st.Text)).OrderByDescending(x => x.st.Ids.Count).ThenBy(x => x.i).Select(x => x.st).FirstOrDefault()
                ?? shown.FirstOrDefault(st => !Solved.IsMatch(st.Text) && !Unsolved.IsMatch(st.Text) && !Warning.IsMatch(st.Text))
                ?? shown.FirstOrDefault();
            d.Principle = principle != null ? principle.Text : d.What + ".";
            var examples = new List<string>();
            foreach (var step in shown)
            {
                if (step == principle) continue;
                if (Solved.IsMatch(step.Text)) examples.Add(step.Text);
                else if (Unsolved.IsMatch(step.Text) || Warning.IsMatch(step.Text)) d.Mistakes.Add(new SkillMistake(step.Text, "", ""));
                else d.Steps.Add(step.Text);
            }
            if (d.Steps.Count == 0) d.Steps.Add(principle != null && Pattern.IsMatch(principle.Text)
                ? "Follow the pattern above, filling each placeholder with the task's own objects and places."
                : d.Mistakes.Count > 0 ? "Apply the principle, and check the mistakes below before acting: they are what went wrong before."
                : "Apply the principle above when " + d.UseWhen + ".");
            if (examples.Count > 0) d.Example = string.Join("\n", examples.Take(2));
            if (stated != null && first != null && stated.Text != first && !Solved.IsMatch(first))
            {
                // The source's first sentence names the task; the principle says what to do about it.
                d.UseWhen = "a task is like: " + OfflineText.CutAtWord(first, MaxWhatChars).TrimEnd('.', ' ') + (scope.Length > 0 ? " (scope " + OfflineText.CollapseWhitespace(scope) + ")" : "");
                d.What = OfflineText.CutAtWord(stated.Text, MaxWhatChars).TrimEnd('.', ' ');
            }

            var cited = ranked.Take(MaxCitedIds).Select(doc => OfflineText.CollapseWhitespace(doc.Id) + " (accessed " + OfflineText.Invariant(doc.AccessCount) + ")").ToList();
            d.Evidence = $"Distilled from {docs.Length} {(docs.Length == 1 ? "memory" : "memories")}{(scope.Length > 0 ? " in scope " + SkillShape.Code(scope) : "")}, most-accessed first: "
                + string.Join(", ", cited) + (ranked.Length > cited.Count ? $" and {ranked.Length - cited.Count} more" : "")
                + (steps.Count > shown.Count ? $"; {steps.Count - shown.Count} further statements are left out" : "")
                + $". Every memory's text is in {SkillShape.EvidenceFile}.";
            d.Metadata["skillforge-kind"] = "memory";
            d.Metadata["skillforge-memories"] = OfflineText.Invariant(docs.Length);
            return d;
        }

        private static string JoinOr(IReadOnlyList<string> items)
        {
            if (items.Count == 1) return items[0];
            return string.Join(", ", items.Take(items.Count - 1)) + " or " + items[items.Count - 1];
        }

        private static string EvidenceDocument(string name, MemoryCluster cluster, MemoryDoc[] ranked)
        {
            var sb = new StringBuilder();
            sb.Append("# Evidence for ").Append(name).Append("\n\n- Cluster fingerprint: ").Append(cluster.Fingerprint)
              .Append("\n- Memories: ").Append(ranked.Length).Append(", most-accessed first\n\n");
            foreach (var doc in ranked)
            {
                sb.Append("## ").Append(OfflineText.CollapseWhitespace(doc.Id)).Append("\n\n- Scope: ")
                  .Append((doc.Scope ?? "").Length > 0 ? OfflineText.CollapseWhitespace(doc.Scope!) : "(none)");
                if (!string.IsNullOrEmpty(doc.Kind)) sb.Append("\n- Kind: ").Append(OfflineText.CollapseWhitespace(doc.Kind!));
                sb.Append("\n- Accessed: ").Append(OfflineText.Invariant(doc.AccessCount)).Append("\n\n")
                  .Append(OfflineText.CutAtWord(doc.Text ?? "", 4000).Replace("\r\n", "\n")).Append("\n\n");
            }
            return sb.ToString();
        }
    }
}

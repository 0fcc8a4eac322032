using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SkillForge.Traces.Patterns;

namespace SkillForge.Distillation.Offline
{
    /// <summary>
    /// Writes one SKILL.md from a TracePattern, deterministically: the lesson's name, what went wrong and the fix
    /// that worked (or the user's correction), the failing and working calls as the example, and its evidence.
    /// </summary>
    internal static class PatternSkillComposer
    {
        public const int MaxExampleValueChars = 160;
        public const int MaxQuoteChars = 200;
        public const int MaxCitedIds = 5;
        private const int MaxNameTerms = 4;

        public static (string Markdown, string Name, string Evidence) Compose(TracePattern pattern)
        {
            var draft = Draft(pattern);
            var cwd = pattern.Occurrences.Select(o => o.WorkingDirectory).FirstOrDefault(w => !string.IsNullOrEmpty(w));
            var markdown = SkillShape.Relative(SkillShape.Render(draft), cwd);
            return (markdown, draft.Name, SkillShape.Relative(EvidenceDocument(pattern, draft.Name), cwd));
        }

        internal static SkillDraft Draft(TracePattern pattern) =>
            pattern.Kind == TracePatternKind.Workflow ? Workflow(pattern) : Lesson(pattern);

        // ------------------------------------------------------------ lessons

        private static SkillDraft Lesson(TracePattern p)
        {
            // The occurrence that teaches best: one with a fix found in the trace, then one with a correction.
            var best = p.Occurrences.FirstOrDefault(o => o.HasFix && o.FixKind != TraceFixKind.Correction)
                ?? p.Occurrences.FirstOrDefault(o => o.Correction != null)
                ?? p.Occurrences[0];
            var failed = TraceAction.Read(best.Event);
            var fix = best.Fix.Select(TraceAction.Read).ToList();
            var d = new SkillDraft();
            var subject = Subject(failed);
            var error = Quote(best.ErrorLine);
            bool isFailure = TraceEventKinds.IsFailure(best.Event.Kind);

            switch (best.FixKind)
            {
                case TraceFixKind.CallsInBetween:
                {
                    var before = fix.Select(Subject).Distinct(StringComparer.Ordinal).ToList();
                    d.Name = Name(new[] { Verb(fix[0]) }.Concat(failed.Target.Length > 0 && !IsUrl(failed.Target) ? new[] { "file" } : Array.Empty<string>())
                        .Concat(new[] { "before" }).Concat(Words(Verb(failed))));
                    d.What = $"Call {SkillShape.JoinAnd(before.Select(SkillShape.Code).ToList())} before {SkillShape.Code(subject)}, so it does not fail with {error}";
                    d.Principle = $"{SkillShape.Code(subject)} succeeded unchanged once {SkillShape.JoinAnd(before.Select(SkillShape.Code).ToList())} had run: that call is a precondition, so make it first.";
                    d.Steps.Add($"Before calling {SkillShape.Code(subject)}{On(failed)}, call {SkillShape.JoinAnd(fix.Select(f => SkillShape.Code(Subject(f)) + On(f)).ToList())}.");
                    d.Steps.Add($"Then make the {SkillShape.Code(subject)} call as planned; its arguments did not need to change.");
                    d.Mistakes.Add(new SkillMistake($"{SkillShape.Code(subject)} fails with the error above.",
                        $"it was called before {SkillShape.JoinAnd(before.Select(SkillShape.Code).ToList())}, which it depends on.",
                        $"make {SkillShape.JoinAnd(before.Select(SkillShape.Code).ToList())} part of the routine before {SkillShape.Code(subject)}."));
                    break;
                }
                case TraceFixKind.ArgumentChange:
                {
                    var change = Change(failed, fix[0]);
                    d.Name = Name(Words(subject).Concat(ErrorTerms(p.Signature, subject)));
                    d.What = $"{OfflineText.Capitalize(change.Summary)} when {SkillShape.Code(subject)} fails with {error}";
                    d.Principle = $"This error is fixed by changing the call ({change.Summary}); retrying the same call does not help.";
                    d.Steps.Add("Read the line that carries the error, not the warnings and progress lines around it.");
                    d.Steps.AddRange(change.Steps);
                    d.Steps.Add($"Run {SkillShape.Code(subject)} again and check that the error is gone.");
                    d.Mistakes.Add(new SkillMistake($"Calling {SkillShape.Code(subject)} as in the failing example.", change.Why, change.How));
                    break;
                }
                default:
                {
                    var correction = Quote(best.Correction ?? "");
                    var instead = fix.Select(f => SkillShape.Code(Subject(f)) + On(f)).Distinct(StringComparer.Ordinal).Take(3).ToList();
                    var terms = CorrectionTerms(best.Correction ?? "");
                    d.Name = Name(terms.Count > 0 ? terms : Words(subject));
                    d.What = $"Do what the user asked instead of what {SkillShape.Code(subject)} did: {correction}";
                    d.Principle = $"The user objected to {SkillShape.Code(subject)}{On(failed)}{(isFailure ? $" (which failed with {error})" : "")}: {correction}. The user's words are the requirement; an action they did not ask for is a mistake even when it succeeds.";
                    d.Steps.Add($"Before {SkillShape.Code(subject)}{On(failed)}, check that the user asked for that change.");
                    d.Steps.Add("When the action goes beyond the request, leave it out or ask first.");
                    if (instead.Count > 0) d.Steps.Add($"After the correction the agent ran {SkillShape.JoinAnd(instead)} instead.");
                    d.Mistakes.Add(new SkillMistake($"{SkillShape.Code(subject)}{On(failed)} was done without being asked for.",
                        "the agent followed its own reading of the task.",
                        "re-read the request before changing what the user gave you."));
                    break;
                }
            }
            if (d.Name.Length == 0) d.Name = Name(Words(subject).Concat(new[] { "lesson" }));

            var others = p.Occurrences.Where(o => o != best && o.ErrorLine.Length > 0 && o.ErrorLine != best.ErrorLine)
                .Select(o => o.ErrorLine).Distinct(StringComparer.Ordinal).Take(1).ToList();
            foreach (var other in others)
                d.Mistakes.Add(new SkillMistake($"The same failure also reads {Quote(other)}.", "it is the same error with other values.", "apply the same fix."));

            d.UseWhen = isFailure
                ? $"a {SkillShape.Code(subject)} call fails with an error like that, or before calling it{On(failed)}"
                : $"about to run {SkillShape.Code(subject)}{On(failed)} in a way the user did not ask for";
            d.WhenToUse.Add(isFailure ? $"{SkillShape.Code(subject)} fails with an error like {Quote(p.Signature)}." : $"A task asks for work like the one the user corrected: {Quote(best.Correction ?? "")}.");
            if (best.Task != null && isFailure) d.WhenToUse.Add($"Tasks like: {Quote(best.Task)}.");
            d.Example = Example(best, failed, fix);
            d.Evidence = EvidenceLine(p);
            d.Metadata["skillforge-kind"] = "lesson";
            d.Metadata["skillforge-support"] = p.Support.ToString(CultureInfo.InvariantCulture);
            d.Metadata["skillforge-occurrences"] = p.Occurrences.Length.ToString(CultureInfo.InvariantCulture);
            return d;
        }

        private sealed class ArgumentChange
        {
            public string Summary = "";
            public List<string> Steps = new List<string>();
            public string Why = "";
            public string How = "";
        }

        /// <summary>What changed between the failing call and the one that worked, on key arguments only.</summary>
        private static ArgumentChange Change(TraceAction failed, TraceAction worked)
        {
            var c = new ArgumentChange();
            if (failed.Command.Length > 0 && worked.Command.Length > 0 && ShortCommand(failed.Command) && ShortCommand(worked.Command))
            {
                // Two short command lines say the change best side by side.
                var failing = SkillShape.Code(OfflineText.CollapseWhitespace(failed.Command));
                var working = SkillShape.Code(OfflineText.CollapseWhitespace(worked.Command));
                c.Summary = $"run {working} instead of {failing}";
                c.Steps.Add($"Run {working} instead of {failing}.");
                c.Why = $"{failing} is the form that fails.";
                c.How = c.Summary + ".";
                return c;
            }
            if (failed.Command.Length > 0 && worked.Command.Length > 0)
            {
                var before = Tokens(failed.Command);
                var after = Tokens(worked.Command);
                var added = after.Where(t => !before.Contains(t)).Distinct().Take(3).Select(t => SkillShape.Code(Cut(t, 60))).ToList();
                var removed = before.Where(t => !after.Contains(t)).Distinct().Take(3).Select(t => SkillShape.Code(Cut(t, 60))).ToList();
                var parts = new List<string>();
                if (removed.Count > 0) parts.Add("drop " + SkillShape.JoinAnd(removed));
                if (added.Count > 0) parts.Add("use " + SkillShape.JoinAnd(added));
                c.Summary = parts.Count > 0 ? string.Join(" and ", parts) : "rewrite the command (the working one is in the example)";
                if (removed.Count > 0) c.Steps.Add($"Drop {SkillShape.JoinAnd(removed)} from the command.");
                if (added.Count > 0) c.Steps.Add($"Use {SkillShape.JoinAnd(added)} instead.");
                if (c.Steps.Count == 0) c.Steps.Add("Rewrite the command as in the working call of the example.");
                c.Why = removed.Count > 0 ? $"the command used {SkillShape.JoinAnd(removed)}." : "the command lacked what the working call has.";
                c.How = c.Summary + ".";
                return c;
            }
            var old = failed.Arguments.Where(kv => !TraceAction.FreeTextKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var now = worked.Arguments.Where(kv => !TraceAction.FreeTextKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var addedKeys = now.Keys.Where(k => !old.ContainsKey(k)).Take(3).ToList();
            var changedKeys = now.Keys.Where(k => old.ContainsKey(k) && old[k] != now[k]).Take(3).ToList();
            var droppedKeys = old.Keys.Where(k => !now.ContainsKey(k)).Take(3).ToList();
            var summary = new List<string>();
            foreach (var k in addedKeys) { summary.Add($"give {SkillShape.Code(k)}"); c.Steps.Add($"Give {SkillShape.Code(k)}, as the working call in the example does."); }
            foreach (var k in changedKeys) { summary.Add($"change {SkillShape.Code(k)}"); c.Steps.Add($"Change {SkillShape.Code(k)}: {Value(failed, k)} failed, {Value(worked, k)} worked."); }
            foreach (var k in droppedKeys) { summary.Add($"leave out {SkillShape.Code(k)}"); c.Steps.Add($"Leave out {SkillShape.Code(k)}."); }
            c.Summary = summary.Count > 0 ? SkillShape.JoinAnd(summary) : "change the arguments as in the working call";
            c.Why = addedKeys.Count > 0 ? $"the call lacked {SkillShape.JoinAnd(addedKeys.Select(SkillShape.Code).ToList())}."
                : changedKeys.Count > 0 ? $"{SkillShape.JoinAnd(changedKeys.Select(SkillShape.Code).ToList())} had a value the tool rejects."
                : "the call carried arguments the tool rejects.";
            c.How = c.Summary + " before the first call.";
            return c;
        }

        // ------------------------------------------------------------ workflows

        private static SkillDraft Workflow(TracePattern p)
        {
            var d = new SkillDraft();
            var labels = p.Signature.Split(new[] { " → " }, StringSplitOptions.None).ToList();
            d.Name = Name(labels.SelectMany(l => Words(l)).Distinct(StringComparer.Ordinal).Concat(new[] { "workflow" }));
            var task = p.Occurrences.Select(o => o.Task).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
            d.What = $"Routine of {labels.Count} steps ({string.Join(", then ", labels.Select(SkillShape.Code))}) that recurred in {p.Support} traces";
            d.UseWhen = task != null ? $"a task is like {Quote(task)}" : $"a task needs {SkillShape.JoinAnd(labels.Distinct().Select(SkillShape.Code).ToList())} together";
            d.WhenToUse.Add(task != null ? $"Tasks like: {Quote(task)}." : "The same kind of task as the traces below.");
            d.Principle = $"This sequence worked in {p.Support} separate traces in the same order; keep the order and feed each step what the previous one produced.";
            foreach (var step in p.Steps)
                d.Steps.Add($"{SkillShape.Code(step.ToString())}" + (step.Examples.Length > 0 ? $" (e.g. {string.Join("; ", step.Examples)})" : ""));
            d.Mistakes.Add(new SkillMistake("Skipping or reordering a step.", "each step uses what the previous one produced.", "follow the steps in order."));
            d.Evidence = EvidenceLine(p);
            d.Metadata["skillforge-kind"] = "workflow";
            d.Metadata["skillforge-support"] = p.Support.ToString(CultureInfo.InvariantCulture);
            return d;
        }

        // ------------------------------------------------------------ pieces

        private static string Example(TracePatternOccurrence o, TraceAction failed, List<TraceAction> fix)
        {
            var sb = new StringBuilder();
            var what = TraceEventKinds.IsFailure(o.Event.Kind) ? "failed" : "corrected by the user";
            sb.Append("# ").Append(what).Append(":\n").Append(Call(failed)).Append('\n');
            if (o.ErrorLine.Length > 0 && TraceEventKinds.IsFailure(o.Event.Kind)) sb.Append("#   error: ").Append(Cut(o.ErrorLine, MaxQuoteChars)).Append('\n');
            if (o.Correction != null) sb.Append("# user: ").Append(Cut(OfflineText.CollapseWhitespace(o.Correction), MaxQuoteChars)).Append('\n');
            if (fix.Count > 0)
            {
                sb.Append(o.FixKind == TraceFixKind.CallsInBetween ? "# worked once this ran first:\n" : o.FixKind == TraceFixKind.Correction ? "# done next:\n" : "# worked:\n");
                foreach (var f in fix.Take(3)) sb.Append(Call(f)).Append('\n');
            }
            return sb.ToString();
        }

        private static string Call(TraceAction a)
        {
            var args = a.Arguments.Where(kv => !TraceAction.FreeTextKeys.Contains(kv.Key)).Take(4)
                .Select(kv => kv.Key + "=" + Cut(OfflineText.CollapseWhitespace(a.Command.Length > 0 && IsCommandKey(kv.Key) ? a.Command : a.Values[kv.Key]), MaxExampleValueChars));
            return $"{a.Tool}({string.Join(", ", args)})";
        }

        private const int MaxShortCommandChars = 140;

        private static bool ShortCommand(string command) => command.Length <= MaxShortCommandChars && command.IndexOf('\n') < 0;

        private static bool IsCommandKey(string key) => key == "command" || key == "cmd" || key == "script" || key == "action";

        private static string Value(TraceAction a, string key) =>
            a.Values.TryGetValue(key, out var v) ? SkillShape.Code(Cut(OfflineText.CollapseWhitespace(v), 80)) : "(none)";

        private static string EvidenceLine(TracePattern p)
        {
            var ids = p.SourceIds.Take(MaxCitedIds).ToList();
            var more = p.SourceIds.Length > ids.Count ? $" and {p.SourceIds.Length - ids.Count} more" : "";
            var fixedText = p.Kind == TracePatternKind.Lesson ? $", {p.FixedCount} with a fix found in the trace, {p.CorrectionCount} corrected by the user" : "";
            return $"Seen {SkillShape.Times(p.Occurrences.Length)} in {p.Support} {(p.Support == 1 ? "trace" : "traces")}{fixedText}: {string.Join(", ", ids)}{more}. Every occurrence is in {SkillShape.EvidenceFile}.";
        }

        /// <summary>references/evidence.md: every occurrence with its error line, fix and correction.</summary>
        internal static string EvidenceDocument(TracePattern p, string name)
        {
            var sb = new StringBuilder();
            sb.Append("# Evidence for ").Append(name).Append("\n\n");
            sb.Append("- Kind: ").Append(p.Kind).Append("\n- Tool: ").Append(p.Tool).Append("\n- Signature: ").Append(p.Signature)
              .Append("\n- Support: ").Append(p.Support).Append(" traces, ").Append(p.Occurrences.Length).Append(" occurrences\n- Fingerprint: ").Append(p.Fingerprint).Append("\n\n");
            int n = 0;
            foreach (var o in p.Occurrences)
            {
                n++;
                var a = TraceAction.Read(o.Event);
                sb.Append("## ").Append(n).Append(". ").Append(TracePatternFinder.SourceId(o)).Append("\n\n");
                if (o.Task != null) sb.Append("- Task: ").Append(Cut(OfflineText.CollapseWhitespace(o.Task), 300)).Append('\n');
                sb.Append("- ").Append(o.Event.Kind).Append(": `").Append(Call(a).Replace("`", "'")).Append("`\n");
                if (o.ErrorLine.Length > 0) sb.Append("- Error line: ").Append(o.ErrorLine).Append('\n');
                sb.Append("- Fix: ").Append(o.FixKind).Append('\n');
                foreach (var f in o.Fix) sb.Append("  - `").Append(Call(TraceAction.Read(f)).Replace("`", "'")).Append("` (").Append(f.ActionId ?? "step " + f.Sequence.ToString(CultureInfo.InvariantCulture)).Append(")\n");
                if (o.Correction != null) sb.Append("- Correction: ").Append(Cut(OfflineText.CollapseWhitespace(o.Correction), 600)).Append('\n');
                sb.Append('\n');
            }
            return sb.ToString();
        }

        /// <summary>The call's tool, and for a shell the program it ran ("git", not "Bash").</summary>
        private static string Subject(TraceAction a) => a.IsShell && a.Program.Length > 0 ? a.Program : a.Tool;

        private static string Verb(TraceAction a) => Subject(a);

        private static string On(TraceAction a)
        {
            if (a.Target.Length > 0) return " on " + SkillShape.Code(Cut(a.Target, 80));
            return "";
        }

        private static bool IsUrl(string s) => s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        private static List<string> ErrorTerms(string signature, string subject)
        {
            var skip = new HashSet<string>(Words(subject), StringComparer.Ordinal) { "value", "path", "n", "id", "hash", "url", "error", "tool", "call", "failed", "due", "following", "issue" };
            var words = Words(signature.Substring(signature.IndexOf(':') > 0 && signature.IndexOf(':') < 40 ? signature.IndexOf(':') + 1 : 0));
            return words.Where(w => !skip.Contains(w) && (Negation(w) || OfflineText.Term(w) != null)).Distinct(StringComparer.Ordinal).Take(MaxNameTerms).ToList();
        }

        private static List<string> CorrectionTerms(string text) =>
            Words(text).Where(w => Negation(w) || OfflineText.Term(w) != null).Distinct(StringComparer.Ordinal).Take(MaxNameTerms).ToList();

        private static bool Negation(string w) => w == "not" || w == "no" || w == "never" || w == "cannot";

        private static List<string> Words(string text) =>
            OfflineText.Words(text.Replace('_', ' ').Replace('.', ' ')).Select(OfflineText.AsciiFold).Where(w => w.Length > 0).ToList();

        private static string Name(IEnumerable<string> words)
        {
            var name = OfflineText.KebabName(words.SelectMany(Words));
            return name;
        }

        private static List<string> Tokens(string command) =>
            command.Split(new[] { ' ', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries).ToList();

        private static string Quote(string text) => "\"" + Cut(OfflineText.CollapseWhitespace(text ?? ""), MaxQuoteChars).Replace("\"", "'") + "\"";

        private static string Cut(string text, int max) => OfflineText.CutAtWord(text ?? "", max);
    }
}

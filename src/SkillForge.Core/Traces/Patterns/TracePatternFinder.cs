using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using SkillForge.Clustering;
using SkillForge.Diagnostics;

namespace SkillForge.Traces.Patterns
{
    /// <summary>Settings of Find-TracePattern.</summary>
    public sealed class TracePatternOptions
    {
        public const int DefaultMinSupport = 2;

        /// <summary>Fewest distinct traces a lesson or workflow must recur in (a user correction needs only one).</summary>
        public int MinSupport { get; set; } = DefaultMinSupport;
        public bool Lessons { get; set; } = true;
        public bool Workflows { get; set; }
        /// <summary>Extra regular expressions: a failed action whose command or error matches one is not a failure.</summary>
        public IReadOnlyList<string> NotFailure { get; set; } = Array.Empty<string>();
    }

    /// <summary>What one Find-TracePattern run saw, for its verbose summary and coverage.</summary>
    public sealed class TracePatternStatistics
    {
        public int Traces { get; set; }
        public int Actions { get; set; }
        public int Failures { get; set; }
        public int NotFailures { get; set; }
        public int FailuresWithFix { get; set; }
        public int Corrections { get; set; }
        /// <summary>Failures that ended in an emitted lesson.</summary>
        public int FailuresInLessons { get; set; }
        public Dictionary<string, int> NotFailureRules { get; } = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Find-TracePattern: lessons (a failure with its fix, or a user correction) and, on request, workflows
    /// that recur across the traces given. Events are kept per trace until Find runs.
    /// </summary>
    public sealed class TracePatternFinder
    {
        /// <summary>How far after a failure the fix is looked for, in actions.</summary>
        public const int FixWindow = 40;
        /// <summary>Most calls in between that still make a fix (more is not an identifiable fix).</summary>
        public const int MaxCallsInBetween = 4;
        /// <summary>Share of key-argument words two calls without a common target must share to be the same step.</summary>
        public const double RelatedJaccard = 0.2;
        private const int MaxCorrectionSignatureChars = 100;
        /// <summary>Longest value a changed argument may have for the change to be stated as a fix (a whole rewritten patch is not).</summary>
        public const int MaxChangedValueChars = 160;
        /// <summary>Most words added or dropped from a command for the change to be stated as a fix.</summary>
        public const int MaxChangedWords = 6;

        /// <summary>A correction that says what was wrong ("never", "don't", "instead", "not what I asked"), not one that only restates the task.</summary>
        private static readonly System.Text.RegularExpressions.Regex StatesARule = new System.Text.RegularExpressions.Regex(
            @"\b(?:never|don'?t|do not|didn'?t|did not|always|instead|stop|shouldn'?t|should not|must(?:n'?t| not)?|wrong|not (?:\S+ ){0,6}(?:asked|said|told|wanted))\b|, not\b",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>Tools and programs that change files: calls in between that edit are a code change, not a precondition.</summary>
        private static readonly HashSet<string> Editing = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "edit", "edit_file", "write_file", "multiedit", "write", "apply_patch", "applypatch", "str_replace_editor", "str_replace_based_edit_tool", "notebookedit", "create" };

        private readonly Dictionary<string, List<TraceEvent>> _traces = new Dictionary<string, List<TraceEvent>>(StringComparer.Ordinal);
        private readonly List<string> _order = new List<string>();

        public TracePatternStatistics Statistics { get; private set; } = new TracePatternStatistics();

        /// <summary>Every failure and correction the last Find saw, lesson or not, in trace order.</summary>
        public IReadOnlyList<TracePatternOccurrence> AllOccurrences { get; private set; } = Array.Empty<TracePatternOccurrence>();

        public void Add(TraceEvent e)
        {
            if (e == null) throw new ArgumentNullException(nameof(e));
            var id = e.TraceId ?? "";
            if (!_traces.TryGetValue(id, out var list))
            {
                list = new List<TraceEvent>();
                _traces[id] = list;
                _order.Add(id);
            }
            list.Add(e);
        }

        public IReadOnlyList<TracePattern> Find(TracePatternOptions options, CancellationToken cancellationToken = default)
        {
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.MinSupport < 1)
                throw new SkillForgeException(ErrorIds.PatternInvalidInput, FailureCategory.InvalidArgument,
                    $"MinSupport must be at least 1, not {options.MinSupport}.", options.MinSupport);
            var rules = new NotFailureRules(options.NotFailure);
            Statistics = new TracePatternStatistics { Traces = _order.Count };
            var traces = new List<TraceView>();
            foreach (var id in _order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                traces.Add(Analyse(id, _traces[id], rules));
            }
            AllOccurrences = traces.SelectMany(t => t.Occurrences).ToArray();
            var patterns = new List<TracePattern>();
            if (options.Lessons) patterns.AddRange(Lessons(traces, options));
            if (options.Workflows) patterns.AddRange(WorkflowMiner.Mine(traces, options.MinSupport));
            return patterns;
        }

        // ------------------------------------------------------------ one trace

        internal sealed class TraceView
        {
            public string TraceId = "";
            public string? Task;
            public string? WorkingDirectory;
            public List<TraceAction> Actions = new List<TraceAction>();
            /// <summary>Actions a user said were wrong: never a success anywhere.</summary>
            public HashSet<TraceEvent> Corrected = new HashSet<TraceEvent>();
            /// <summary>Failed actions whose output says they are not failures.</summary>
            public HashSet<TraceEvent> NotFailures = new HashSet<TraceEvent>();
            public List<TracePatternOccurrence> Occurrences = new List<TracePatternOccurrence>();
            public Dictionary<TracePatternOccurrence, string> Signatures = new Dictionary<TracePatternOccurrence, string>();

            public bool CountsAsSuccess(TraceAction a) =>
                (a.IsSuccess || NotFailures.Contains(a.Event)) && !Corrected.Contains(a.Event);
        }

        private TraceView Analyse(string traceId, List<TraceEvent> events, NotFailureRules rules)
        {
            var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.Sequence).ThenBy(x => x.i).Select(x => x.e).ToList();
            var view = new TraceView { TraceId = traceId };
            var corrections = new List<TraceEvent>();
            foreach (var e in ordered)
            {
                if (TraceEventKinds.IsSuccess(e.Kind) || TraceEventKinds.IsFailure(e.Kind))
                {
                    var a = TraceAction.Read(e);
                    view.Actions.Add(a);
                    if (view.WorkingDirectory == null) view.WorkingDirectory = StateField(e.StateBefore, "cwd");
                }
                else if (e.Kind == TraceEventKinds.UserPrompt && view.Task == null) view.Task = ContextText(e.Data, out _);
                else if (e.Kind == TraceEventKinds.UserCorrection) corrections.Add(e);
            }
            Statistics.Actions += view.Actions.Count;

            // Corrections first: a corrected action is no success when fixes are looked for.
            var correctionOf = new Dictionary<TraceEvent, (string Text, TraceEvent At, bool StatesARule)>();
            foreach (var c in corrections)
            {
                var text = ContextText(c.Data, out var target);
                if (string.IsNullOrWhiteSpace(text)) continue;
                Statistics.Corrections++;
                var corrected = (target != null ? view.Actions.LastOrDefault(a => a.Event.ActionId == target && a.Event.Sequence < c.Sequence) : null)
                    ?? view.Actions.LastOrDefault(a => a.Event.Sequence < c.Sequence);
                if (corrected == null || correctionOf.ContainsKey(corrected.Event)) continue;
                // On a failure every correction is evidence; alone, it makes a lesson when it says what was wrong
                // (a pasted error or a new request does not).
                bool rule = StatesRule(text!);
                correctionOf[corrected.Event] = (text!.Trim(), c, rule);
                view.Corrected.Add(corrected.Event);
            }

            for (int i = 0; i < view.Actions.Count; i++)
            {
                var a = view.Actions[i];
                if (!a.IsFailure) continue;
                var rule = rules.Match(a);
                if (rule != null)
                {
                    view.NotFailures.Add(a.Event);
                    Statistics.NotFailures++;
                    Statistics.NotFailureRules[rule] = Statistics.NotFailureRules.TryGetValue(rule, out var n) ? n + 1 : 1;
                }
            }

            for (int i = 0; i < view.Actions.Count; i++)
            {
                var a = view.Actions[i];
                bool failure = a.IsFailure && !view.NotFailures.Contains(a.Event);
                bool corrected = correctionOf.TryGetValue(a.Event, out var correction);
                if (!failure && !(corrected && correction.StatesARule)) continue;
                var occurrence = new TracePatternOccurrence
                {
                    TraceId = traceId,
                    Event = a.Event,
                    Task = view.Task,
                    WorkingDirectory = view.WorkingDirectory,
                };
                string signature;
                if (failure)
                {
                    Statistics.Failures++;
                    occurrence.ErrorLine = ErrorSignature.ErrorLine(a.Error, a.Output);
                    signature = ErrorSignature.Normalize(occurrence.ErrorLine);
                    if (signature.Length == 0) signature = a.Event.Kind.Replace('_', ' ');
                    var (kind, fix) = FindFix(view, i);
                    occurrence.FixKind = kind;
                    occurrence.Fix = fix;
                    if (occurrence.HasFix) Statistics.FailuresWithFix++;
                }
                else
                {
                    signature = "correction: " + ErrorSignature.Normalize(FirstSentence(correction.Text));
                }
                if (corrected)
                {
                    occurrence.Correction = correction.Text;
                    if (!occurrence.HasFix)
                    {
                        occurrence.FixKind = TraceFixKind.Correction;
                        occurrence.Fix = view.Actions.Where(x => x.Event.Sequence > correction.At.Sequence && view.CountsAsSuccess(x))
                            .Take(MaxCallsInBetween - 1).Select(x => x.Event).ToArray();
                    }
                }
                view.Occurrences.Add(occurrence);
                view.Signatures[occurrence] = a.Family + "\u0000" + signature;
            }
            return view;
        }

        /// <summary>
        /// The fix of the failure at index i: the next related call of the same tool that counts as a success.
        /// Changed key arguments make that call the fix; the same call succeeding unchanged makes the few
        /// successful calls in between the fix. An unrelated call of the same tool is not a retry.
        /// </summary>
        private static (TraceFixKind, TraceEvent[]) FindFix(TraceView view, int i)
        {
            var failed = view.Actions[i];
            int end = Math.Min(view.Actions.Count, i + 1 + FixWindow);
            int lastAttempt = i;
            for (int j = i + 1; j < end; j++)
            {
                var next = view.Actions[j];
                if (next.Family != failed.Family || !Related(failed, next)) continue;
                if (!view.CountsAsSuccess(next))
                {
                    lastAttempt = j;
                    continue;
                }
                if (next.KeyArguments != failed.KeyArguments)
                    return Identifiable(failed, next) ? (TraceFixKind.ArgumentChange, new[] { next.Event }) : (TraceFixKind.None, Array.Empty<TraceEvent>());
                var between = view.Actions.Skip(lastAttempt + 1).Take(j - lastAttempt - 1)
                    .Where(x => view.CountsAsSuccess(x) && (x.Family != failed.Family || !Related(failed, x))).ToList();
                // Calls in between are a precondition (read the file, install the package), not a code change made meanwhile.
                bool precondition = between.Count > 0 && between.Count <= MaxCallsInBetween && !between.Any(IsEditing)
                    && (failed.Target.Length == 0 || between.Any(x => x.Target == failed.Target) || between.Count <= 2);
                return precondition ? (TraceFixKind.CallsInBetween, between.Select(x => x.Event).ToArray()) : (TraceFixKind.None, Array.Empty<TraceEvent>());
            }
            return (TraceFixKind.None, Array.Empty<TraceEvent>());
        }

        private static bool StatesRule(string correction) => StatesARule.IsMatch(correction) && ErrorSignature.NamedError(correction).Length == 0;

        private static bool IsEditing(TraceAction a) =>
            Editing.Contains(a.Tool) || Editing.Contains(a.Program) || (a.Program == "sed" && System.Text.RegularExpressions.Regex.IsMatch(a.Command, @"\s-i\b"));

        /// <summary>A change that can be stated: arguments added or dropped, short values changed, or a few words of a command.</summary>
        internal static bool Identifiable(TraceAction failed, TraceAction worked)
        {
            if (failed.Command.Length > 0 && worked.Command.Length > 0)
            {
                var before = failed.Command.Split(new[] { ' ', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                var after = worked.Command.Split(new[] { ' ', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                int added = after.Count(t => !before.Contains(t)), dropped = before.Count(t => !after.Contains(t));
                return added + dropped > 0 && added + dropped <= MaxChangedWords;
            }
            var old = failed.Arguments.Where(kv => !TraceAction.FreeTextKeys.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            foreach (var kv in worked.Arguments.Where(kv => !TraceAction.FreeTextKeys.Contains(kv.Key)))
            {
                if (!old.TryGetValue(kv.Key, out var was)) continue; // an added argument is a stated change
                if (was != kv.Value && (was.Length > MaxChangedValueChars || kv.Value.Length > MaxChangedValueChars || was.Contains("\\n") || kv.Value.Contains("\\n"))) return false;
            }
            return true;
        }

        /// <summary>Two calls of one tool are the same step when they work on the same target, or run the same program on much the same words.</summary>
        internal static bool Related(TraceAction a, TraceAction b)
        {
            if (a.Target.Length > 0 && b.Target.Length > 0) return string.Equals(a.Target, b.Target, StringComparison.Ordinal);
            if (a.Command.Length > 0 && b.Command.Length > 0)
            {
                if (!string.Equals(a.Program, b.Program, StringComparison.Ordinal)) return false;
                var x = a.KeyTokens();
                var y = b.KeyTokens();
                int common = x.Count(y.Contains);
                int union = x.Count + y.Count - common;
                return union == 0 || (double)common / union >= RelatedJaccard;
            }
            return true;
        }

        // ------------------------------------------------------------ across traces

        private IEnumerable<TracePattern> Lessons(List<TraceView> traces, TracePatternOptions options)
        {
            var groups = new Dictionary<string, List<(TraceView View, TracePatternOccurrence Occurrence)>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var view in traces)
            {
                foreach (var o in view.Occurrences)
                {
                    var key = view.Signatures[o];
                    if (!groups.TryGetValue(key, out var list)) { list = new List<(TraceView, TracePatternOccurrence)>(); groups[key] = list; order.Add(key); }
                    list.Add((view, o));
                }
            }
            var result = new List<(TracePattern Pattern, int First)>();
            for (int g = 0; g < order.Count; g++)
            {
                var items = groups[order[g]];
                var occurrences = items.Select(x => x.Occurrence).ToArray();
                int support = occurrences.Select(o => o.TraceId).Distinct(StringComparer.Ordinal).Count();
                bool corrected = occurrences.Any(o => o.Correction != null && StatesRule(o.Correction));
                // What was done after a correction is no fix found in the trace.
                bool fixedOnce = occurrences.Any(o => o.HasFix && o.FixKind != TraceFixKind.Correction);
                // A lesson needs a fix and recurrence, or a user who said what was wrong.
                if (!corrected && !(fixedOnce && support >= options.MinSupport)) continue;
                var parts = order[g].Split('\u0000');
                var tool = occurrences.GroupBy(o => o.Event.Tool ?? "").OrderByDescending(x => x.Count()).First().Key;
                var pattern = new TracePattern
                {
                    Kind = TracePatternKind.Lesson,
                    Tool = tool,
                    Signature = parts[1],
                    Support = support,
                    Occurrences = occurrences,
                    SourceIds = occurrences.Select(SourceId).Distinct(StringComparer.Ordinal).ToArray(),
                    Fingerprint = ClusterFingerprint.Compute(new[] { "kind:Lesson", "tool:" + parts[0], "signature:" + parts[1] }),
                    EstimatedTokens = occurrences.Sum(EvidenceTokens),
                    CorrectionCount = occurrences.Count(o => o.Correction != null),
                    FixedCount = occurrences.Count(o => o.HasFix && o.FixKind != TraceFixKind.Correction),
                };
                Statistics.FailuresInLessons += occurrences.Count(o => TraceEventKinds.IsFailure(o.Event.Kind));
                result.Add((pattern, g));
            }
            return result.OrderByDescending(x => x.Pattern.Support).ThenByDescending(x => x.Pattern.Occurrences.Length).ThenBy(x => x.First).Select(x => x.Pattern);
        }

        internal static string SourceId(TracePatternOccurrence o) => o.TraceId + "#" + ActionKey(o.Event);

        internal static string ActionKey(TraceEvent e) =>
            !string.IsNullOrEmpty(e.ActionId) ? e.ActionId! : "step-" + e.Sequence.ToString(CultureInfo.InvariantCulture);

        private static int EvidenceTokens(TracePatternOccurrence o) =>
            TokenEstimator.Estimate(o.Event.Data) + o.Fix.Sum(f => TokenEstimator.Estimate(f.Data)) + TokenEstimator.Estimate(o.Correction);

        private static string FirstSentence(string text)
        {
            var t = string.Join(" ", text.Split(new[] { '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries).Take(1)).Trim();
            int stop = t.IndexOfAny(new[] { '.', '!', '?' }, Math.Min(20, t.Length));
            if (stop > 0) t = t.Substring(0, stop);
            return t.Length <= MaxCorrectionSignatureChars ? t : t.Substring(0, MaxCorrectionSignatureChars);
        }

        /// <summary>The text of a context event ({"text": …}) and the action it corrects, when it says.</summary>
        internal static string? ContextText(string? data, out string? correctsActionId)
        {
            correctsActionId = null;
            if (string.IsNullOrWhiteSpace(data)) return null;
            try
            {
                using var doc = JsonDocument.Parse(data!);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.String) return root.GetString();
                if (root.ValueKind != JsonValueKind.Object) return null;
                foreach (var key in new[] { "corrects_action_id", "correctsActionId", "action_id" })
                    if (root.TryGetProperty(key, out var id) && id.ValueKind == JsonValueKind.String) { correctsActionId = id.GetString(); break; }
                foreach (var key in new[] { "text", "content", "message", "prompt", "correction", "problem_statement" })
                    if (root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString();
                return null;
            }
            catch (JsonException) { return data; }
        }

        private static string? StateField(string? state, string key)
        {
            if (string.IsNullOrWhiteSpace(state)) return null;
            try
            {
                using var doc = JsonDocument.Parse(state!);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
                    ? v.GetString() : null;
            }
            catch (JsonException) { return null; }
        }
    }
}

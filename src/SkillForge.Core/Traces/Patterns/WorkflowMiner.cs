using System;
using System.Collections.Generic;
using System.Linq;
using SkillForge.Clustering;

namespace SkillForge.Traces.Patterns
{
    /// <summary>
    /// Workflows: runs of at least 3 successful steps over at least 2 tools that recur in several traces.
    /// A step is its tool (and, for a shell, the program it runs); arguments every instance had are kept,
    /// values that differ become placeholders, arguments only some instances had are dropped.
    /// </summary>
    internal static class WorkflowMiner
    {
        public const int MinSteps = 3;
        public const int MaxSteps = 5;
        public const int MaxWorkflows = 10;
        private const int MaxValueChars = 80;

        public static IEnumerable<TracePattern> Mine(List<TracePatternFinder.TraceView> traces, int minSupport)
        {
            // Per n-gram: the first instance in each trace, in trace order.
            var instances = new Dictionary<string, List<(string TraceId, List<TraceAction> Steps)>>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var view in traces)
            {
                var steps = view.Actions.Where(a => a.IsSuccess && !view.Corrected.Contains(a.Event)).ToList();
                var seenHere = new HashSet<string>(StringComparer.Ordinal);
                for (int n = MaxSteps; n >= MinSteps; n--)
                {
                    for (int i = 0; i + n <= steps.Count; i++)
                    {
                        var window = steps.Skip(i).Take(n).ToList();
                        if (window.Select(a => a.Family).Distinct(StringComparer.Ordinal).Count() < 2) continue;
                        var key = string.Join("\u0000", window.Select(StepKey));
                        if (!seenHere.Add(key)) continue;
                        if (!instances.TryGetValue(key, out var list)) { list = new List<(string, List<TraceAction>)>(); instances[key] = list; order.Add(key); }
                        list.Add((view.TraceId, window));
                    }
                }
            }

            var candidates = order.Where(k => instances[k].Count >= minSupport)
                .OrderByDescending(k => instances[k].Count * k.Split('\u0000').Length)
                .ThenByDescending(k => k.Split('\u0000').Length)
                .ThenBy(k => order.IndexOf(k))
                .ToList();
            var accepted = new List<string>();
            foreach (var key in candidates)
            {
                if (accepted.Count >= MaxWorkflows) break;
                var steps = key.Split('\u0000');
                // A part of a longer workflow seen as often says nothing new.
                if (accepted.Any(a => Contains(a.Split('\u0000'), steps) && instances[a].Count >= instances[key].Count)) continue;
                accepted.Add(key);
            }

            foreach (var key in accepted)
            {
                var list = instances[key];
                int length = list[0].Steps.Count;
                var steps = new List<TracePatternStep>();
                for (int s = 0; s < length; s++) steps.Add(Generalise(list.Select(x => x.Steps[s]).ToList()));
                var signature = string.Join(" → ", steps.Select((st, s) => Label(list.Select(x => x.Steps[s]).ToList())));
                var occurrences = list.Select(x => new TracePatternOccurrence
                {
                    TraceId = x.TraceId,
                    Event = x.Steps[0].Event,
                    Fix = x.Steps.Select(a => a.Event).ToArray(),
                    Task = traces.First(t => t.TraceId == x.TraceId).Task,
                    WorkingDirectory = traces.First(t => t.TraceId == x.TraceId).WorkingDirectory,
                }).ToArray();
                yield return new TracePattern
                {
                    Kind = TracePatternKind.Workflow,
                    Tool = string.Join(",", list[0].Steps.Select(a => a.Tool).Distinct(StringComparer.Ordinal)),
                    Signature = signature,
                    Support = list.Count,
                    Occurrences = occurrences,
                    Steps = steps.ToArray(),
                    SourceIds = list.SelectMany(x => x.Steps.Select(a => x.TraceId + "#" + TracePatternFinder.ActionKey(a.Event))).Distinct(StringComparer.Ordinal).ToArray(),
                    Fingerprint = ClusterFingerprint.Compute(new[] { "kind:Workflow", "signature:" + key.Replace('\u0000', '>') }),
                    EstimatedTokens = list.Sum(x => x.Steps.Sum(a => TokenEstimator.Estimate(a.Event.Data))),
                };
            }
        }

        private static string StepKey(TraceAction a) => a.IsShell && a.Program.Length > 0 ? a.Family + ":" + a.Program : a.Family;

        private static string Label(List<TraceAction> instances)
        {
            var tool = instances.GroupBy(a => a.Tool).OrderByDescending(g => g.Count()).First().Key;
            var program = instances[0].Program;
            return instances[0].IsShell && program.Length > 0 ? $"{tool}({program})" : tool;
        }

        private static bool Contains(string[] longer, string[] shorter)
        {
            for (int i = 0; i + shorter.Length <= longer.Length; i++)
            {
                bool all = true;
                for (int j = 0; j < shorter.Length && all; j++) all = longer[i + j] == shorter[j];
                if (all) return true;
            }
            return false;
        }

        /// <summary>One step over its instances: arguments all of them had, differing values as placeholders.</summary>
        internal static TracePatternStep Generalise(List<TraceAction> instances)
        {
            var tool = instances.GroupBy(a => a.Tool).OrderByDescending(g => g.Count()).First().Key;
            var keys = instances[0].Arguments.Select(kv => kv.Key)
                .Where(k => !TraceAction.FreeTextKeys.Contains(k) && instances.All(a => a.Values.ContainsKey(k)))
                .ToList();
            var args = new List<string>();
            var examples = new List<string>();
            foreach (var key in keys)
            {
                var values = instances.Select(a => key == CommandKey(a) && a.Command.Length > 0 ? a.Command : a.Values[key]).Select(Collapse).ToList();
                var distinct = values.Distinct(StringComparer.Ordinal).ToList();
                if (distinct.Count == 1)
                {
                    args.Add($"{key}={Quote(Cut(distinct[0]))}");
                    continue;
                }
                var prefix = CommonWordPrefix(distinct);
                var placeholder = prefix.Length > 0 ? "{args}" : "{" + key + "}";
                args.Add(prefix.Length > 0 ? $"{key}={Quote(prefix + " " + placeholder)}" : $"{key}={placeholder}");
                // The examples show only what the placeholder stands for, so the prefix is never written twice.
                var shown = distinct.Select(v => prefix.Length > 0 ? v.Substring(prefix.Length).TrimStart() : v).Where(v => v.Length > 0).Take(2).Select(v => Quote(Cut(v)));
                examples.Add($"{placeholder.Trim('{', '}')}: {string.Join(", ", shown)}");
            }
            return new TracePatternStep { Tool = tool, Arguments = args.ToArray(), Examples = examples.ToArray() };
        }

        private static string CommandKey(TraceAction a) =>
            a.Arguments.Select(kv => kv.Key).FirstOrDefault(k => k == "command" || k == "cmd" || k == "script" || k == "action") ?? "";

        /// <summary>The words every value starts with ("git" in "git status", "git log -1").</summary>
        internal static string CommonWordPrefix(List<string> values)
        {
            var first = values[0].Split(' ');
            int n = first.Length;
            foreach (var v in values.Skip(1))
            {
                var words = v.Split(' ');
                int i = 0;
                while (i < n && i < words.Length && words[i] == first[i]) i++;
                n = i;
            }
            // A value that is all prefix leaves nothing for the placeholder: keep one word back.
            if (values.Any(v => v.Split(' ').Length == n)) n--;
            return n <= 0 ? "" : string.Join(" ", first.Take(n));
        }

        private static string Collapse(string s) => string.Join(" ", s.Split(new[] { ' ', '\n', '\r', '\t' }, StringSplitOptions.RemoveEmptyEntries));

        private static string Cut(string s) => s.Length <= MaxValueChars ? s : s.Substring(0, MaxValueChars).TrimEnd() + "…";

        private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }
}

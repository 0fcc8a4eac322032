using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SkillForge.Distillation.Offline
{
    /// <summary>
    /// Writes the JSON array of skills a trace prompt asks for, by extraction only. Successes: the most frequent
    /// repeated tool sequence and the tools that succeeded, with their arguments generalised. Failures: one
    /// lesson per failed tool and error kind, with the retry that worked and any user correction.
    /// </summary>
    internal static class TraceSkillComposer
    {
        public const int MaxSkills = 3;
        private const int MaxExampleChars = 80;
        private const int MaxArgs = 6;
        private const int MaxKeywords = 6;

        private static readonly string[] ArgumentKeys = { "args", "arguments", "input", "params", "parameters", "tool_input", "toolInput" };
        private static readonly HashSet<string> OutcomeKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "error", "errors", "result", "results", "output", "stdout", "stderr", "message", "exit_code", "exitCode",
            "status", "success", "is_error", "isError", "duration_ms", "observation", "reason", "content",
        };
        private static readonly string[] ErrorKeys = { "error", "stderr", "message", "reason", "output", "result", "observation", "content" };
        /// <summary>Kept in lesson names: "seat-selection-not-available" must not lose its "not".</summary>
        private static readonly HashSet<string> Negations = new HashSet<string>(StringComparer.Ordinal) { "not", "no", "cannot", "denied", "never" };
        private static readonly string[] TextKeys = { "text", "content", "message", "prompt", "correction", "note", "value" };

        /// <summary>A readable view of one action event.</summary>
        private sealed class Action
        {
            public TraceEvent Event = new TraceEvent();
            public string Tool = "";
            public List<KeyValuePair<string, JsonElement>> Args = new List<KeyValuePair<string, JsonElement>>();
            public string Error = "";
            public JsonDocument? Document;
        }

        public static string ComposeSuccess(TracePartition partition)
        {
            var actions = partition.Successes.OrderBy(e => e.Sequence).Select(Read).ToList();
            try
            {
                var keywords = Keywords(partition);
                var skills = new List<Skill>();

                var pattern = RepeatedSequence(actions);
                if (pattern != null) skills.Add(SequenceSkill(partition, actions, pattern.Value.Tools, pattern.Value.Starts, keywords));

                var covered = new HashSet<string>(pattern?.Tools ?? Array.Empty<string>(), StringComparer.Ordinal);
                var byTool = actions.GroupBy(a => a.Tool, StringComparer.Ordinal)
                    .Select(g => (Tool: g.Key, Items: g.ToList(), First: g.Min(a => a.Event.Sequence)))
                    .OrderBy(g => covered.Contains(g.Tool) ? 1 : 0)
                    .ThenByDescending(g => g.Items.Count)
                    .ThenBy(g => g.First)
                    .ToList();
                foreach (var group in byTool)
                {
                    if (skills.Count >= MaxSkills) break;
                    skills.Add(ToolSkill(partition, group.Tool, group.Items, keywords));
                }
                return Serialize(skills);
            }
            finally
            {
                foreach (var a in actions) a.Document?.Dispose();
            }
        }

        public static string ComposeFailure(TracePartition partition)
        {
            var failures = partition.Failures.OrderBy(e => e.Sequence).Select(Read).ToList();
            var successes = partition.Successes.OrderBy(e => e.Sequence).Select(Read).ToList();
            try
            {
                var keywords = Keywords(partition);
                var groups = failures.GroupBy(f => f.Tool + "\u0000" + ErrorKind(f), StringComparer.Ordinal)
                    .Select(g => (Items: g.ToList(), First: g.Min(a => a.Event.Sequence)))
                    .OrderByDescending(g => g.Items.Count)
                    .ThenBy(g => g.First)
                    .Take(MaxSkills)
                    .OrderBy(g => g.First)
                    .ToList();
                var skills = groups.Select(g => Lesson(partition, g.Items, successes, keywords)).ToList();
                return Serialize(skills);
            }
            finally
            {
                foreach (var a in failures.Concat(successes)) a.Document?.Dispose();
            }
        }

        private sealed class Skill
        {
            public string Name = "";
            public string Description = "";
            public string WhenToApply = "";
            public string Domain = "";
            public string Source = "";
            public string UrlPattern = "";
            public List<string> Keywords = new List<string>();
            public string Code = "";
        }

        // ---------------------------------------------------------------- successes

        private static (string[] Tools, List<int> Starts)? RepeatedSequence(List<Action> actions)
        {
            (string[] Tools, List<int> Starts)? best = null;
            int bestScore = 0;
            for (int n = 3; n >= 2; n--)
            {
                var seen = new Dictionary<string, List<int>>(StringComparer.Ordinal);
                var order = new List<string>();
                for (int i = 0; i + n <= actions.Count; i++)
                {
                    var tools = actions.Skip(i).Take(n).Select(a => a.Tool).ToArray();
                    if (tools.Distinct(StringComparer.Ordinal).Count() < 2) continue;
                    var key = string.Join("\u0000", tools);
                    if (!seen.TryGetValue(key, out var starts)) { starts = new List<int>(); seen[key] = starts; order.Add(key); }
                    if (starts.Count == 0 || i >= starts[starts.Count - 1] + n) starts.Add(i);
                }
                foreach (var key in order)
                {
                    var starts = seen[key];
                    if (starts.Count < 2) continue;
                    int score = starts.Count * n;
                    if (score > bestScore)
                    {
                        bestScore = score;
                        best = (key.Split('\u0000'), starts);
                    }
                }
            }
            return best;
        }

        private static Skill SequenceSkill(TracePartition partition, List<Action> actions, string[] tools, List<int> starts, List<string> keywords)
        {
            var involved = starts.SelectMany(st => actions.Skip(st).Take(tools.Length)).ToList();
            var skill = new Skill { Source = "success", Domain = Domain(involved) };
            skill.Name = OfflineText.KebabName(Words(string.Join(" then ", tools)));
            if (skill.Name.Length == 0) skill.Name = "tool-sequence";
            var chain = string.Join(", then ", tools.Select(Code));
            skill.Description = $"Run {chain} as one routine: this sequence succeeded {Times(starts.Count)} in trace {Label(partition.TraceId)}, so keep the order and feed each step the previous step's result.";
            skill.WhenToApply = $"When a task needs {JoinAnd(tools.Select(Code).ToList())} together{KeywordClause(keywords)}.";
            var code = new StringBuilder();
            code.Append("# Sequence seen ").Append(Times(starts.Count)).Append(" (actions ")
                .Append(string.Join("; ", starts.Take(5).Select(s => string.Join(", ", actions.Skip(s).Take(tools.Length).Select(a => a.Event.ActionId ?? "?")))))
                .Append(starts.Count > 5 ? "; …" : "").Append(")\n");
            for (int step = 0; step < tools.Length; step++)
            {
                var occurrences = starts.Select(s => actions[s + step]).ToList();
                code.Append(step + 1).Append(". ").Append(Call(tools[step], occurrences)).Append('\n');
            }
            skill.Code = code.ToString().TrimEnd('\n');
            skill.Keywords = MergeKeywords(keywords, tools);
            skill.UrlPattern = UrlPattern(involved);
            return skill;
        }

        private static Skill ToolSkill(TracePartition partition, string tool, List<Action> items, List<string> keywords)
        {
            var skill = new Skill { Source = "success", Domain = Domain(items) };
            var argKeys = items.SelectMany(a => a.Args.Select(kv => kv.Key)).Distinct(StringComparer.Ordinal).Take(MaxArgs).ToList();
            var program = CommandProgram(items);
            skill.Name = OfflineText.KebabName(new[] { "use" }.Concat(Words(tool)).Concat(program.Length > 0 ? Words(program) : new List<string>()));
            if (skill.Name.Length == 0) skill.Name = "tool-usage";
            var argText = argKeys.Count == 0 ? "" : " with " + JoinAnd(argKeys.Select(Code).ToList());
            skill.Description = items.Count == 1
                ? $"Call {Code(tool)}{argText} as it succeeded in trace {Label(partition.TraceId)} (action {items[0].Event.ActionId ?? "?"}); the call below shows the arguments it used."
                : $"Call {Code(tool)}{argText} the way it succeeded {Times(items.Count)} in trace {Label(partition.TraceId)}; the generalised call below keeps what stayed the same and marks what varied in braces.";
            skill.WhenToApply = $"When a task needs {Code(tool)}{KeywordClause(keywords)}.";
            var code = new StringBuilder();
            code.Append("# ").Append(tool).Append(" succeeded ").Append(Times(items.Count)).Append(" (actions ")
                .Append(string.Join(", ", items.Take(8).Select(a => a.Event.ActionId ?? "?")))
                .Append(items.Count > 8 ? ", …" : "").Append(")\n");
            code.Append(Call(tool, items));
            skill.Code = code.ToString();
            skill.Keywords = MergeKeywords(keywords, new[] { tool });
            skill.UrlPattern = UrlPattern(items);
            return skill;
        }

        // ---------------------------------------------------------------- failures

        private static Skill Lesson(TracePartition partition, List<Action> failed, List<Action> successes, List<string> keywords)
        {
            var first = failed[0];
            var tool = first.Tool;
            var kind = first.Event.Kind;
            var error = FirstLine(first.Error);
            var retry = successes.FirstOrDefault(s => s.Tool == tool && s.Event.Sequence > first.Event.Sequence);
            var nextFailure = partition.Failures.Where(f => f.Sequence > first.Event.Sequence).Select(f => (int?)f.Sequence).FirstOrDefault();
            var correction = partition.Context
                .Where(c => c.Kind == TraceEventKinds.UserCorrection && c.Sequence > first.Event.Sequence)
                .OrderBy(c => c.Sequence)
                .FirstOrDefault(c => retry == null || c.Sequence < retry.Event.Sequence || nextFailure == null || c.Sequence < nextFailure);
            var correctionText = correction == null ? "" : OfflineText.CutAtWord(OfflineText.CollapseWhitespace(EventText(correction)), 300);

            var skill = new Skill { Source = "failure", Domain = Domain(retry == null ? failed : failed.Concat(new[] { retry }).ToList()) };
            var toolWords = new HashSet<string>(Words(tool), StringComparer.Ordinal);
            var errorTerms = Words(ErrorKind(first))
                .Where(w => !toolWords.Contains(w) && (Negations.Contains(w) || OfflineText.Term(w) != null))
                .Distinct(StringComparer.Ordinal).Take(3).ToList();
            skill.Name = OfflineText.KebabName(new[] { "avoid" }.Concat(Words(tool)).Concat(errorTerms));
            if (skill.Name == "avoid") skill.Name = "avoid-failed-action";

            string what = kind == TraceEventKinds.ActionRejected ? "was rejected"
                : kind == TraceEventKinds.PolicyViolation ? "violated a policy"
                : "failed";
            var sb = new StringBuilder();
            sb.Append(Code(tool)).Append(' ').Append(what);
            if (failed.Count > 1) sb.Append(' ').Append(Times(failed.Count));
            if (error.Length > 0) sb.Append(" with \"").Append(OfflineText.CutAtWord(error, 160).TrimEnd('.')).Append('"');
            sb.Append(". ");
            if (retry != null)
            {
                var change = ArgumentChange(first, retry);
                sb.Append("The retry that worked ").Append(change.Length > 0 ? change : "repeated the call after the cause was fixed").Append(". ");
            }
            if (correctionText.Length > 0) sb.Append("The user corrected: \"").Append(correctionText.TrimEnd('.')).Append("\". ");
            if (retry == null && correctionText.Length == 0) sb.Append("No retry succeeded in this trace: check the cause before calling it again.");
            skill.Description = OfflineText.CollapseWhitespace(sb.ToString());

            var argKeys = first.Args.Select(kv => kv.Key).Take(MaxArgs).ToList();
            skill.WhenToApply = $"Before calling {Code(tool)}" + (argKeys.Count > 0 ? " with " + JoinAnd(argKeys.Select(Code).ToList()) : "")
                + KeywordClause(keywords) + (error.Length > 0 ? $", especially where \"{OfflineText.CutAtWord(ErrorKind(first), 60)}\" is possible." : ".");

            var code = new StringBuilder();
            foreach (var f in failed.Take(2))
            {
                code.Append("# ").Append(what).Append(" (action ").Append(f.Event.ActionId ?? "?").Append("):\n");
                code.Append(LiteralCall(tool, f)).Append('\n');
                if (f.Error.Length > 0) code.Append("#   error: ").Append(OfflineText.CutAtWord(FirstLine(f.Error), 200)).Append('\n');
            }
            if (failed.Count > 2) code.Append("# … and ").Append(failed.Count - 2).Append(" more like it\n");
            if (retry != null)
            {
                code.Append("# worked (action ").Append(retry.Event.ActionId ?? "?").Append("):\n");
                code.Append(LiteralCall(tool, retry)).Append('\n');
            }
            if (correctionText.Length > 0) code.Append("# user correction: ").Append(correctionText).Append('\n');
            skill.Code = code.ToString().TrimEnd('\n');
            skill.Keywords = MergeKeywords(keywords, new[] { tool });
            skill.UrlPattern = UrlPattern(failed);
            return skill;
        }

        /// <summary>The program a command-like argument always starts with ("pytest" in "pytest -q tests"), or empty.</summary>
        private static string CommandProgram(List<Action> items)
        {
            string? program = null;
            foreach (var a in items)
            {
                var arg = a.Args.FirstOrDefault(kv => CommandKeys.Contains(kv.Key));
                if (arg.Key == null || arg.Value.ValueKind != JsonValueKind.String) return "";
                var first = (arg.Value.GetString() ?? "").Trim().Split(' ')[0];
                var leaf = first.Substring(first.LastIndexOfAny(new[] { '/', '\\' }) + 1);
                if (leaf.Length == 0 || (program != null && program != leaf)) return "";
                program = leaf;
            }
            return program ?? "";
        }

        private static readonly HashSet<string> CommandKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "command", "cmd", "script", "commandLine", "command_line" };

        /// <summary>The error reduced to its kind: first line, numbers, quoted text and paths removed.</summary>
        private static string ErrorKind(Action action)
        {
            var line = FirstLine(action.Error);
            if (line.Length == 0) return action.Event.Kind.Replace('_', ' ');
            var kept = new List<string>();
            foreach (var token in line.Split(' '))
            {
                if (token.IndexOf('/') >= 0 || token.IndexOf('\\') >= 0 || token.IndexOf('"') >= 0 || token.IndexOf('\'') >= 0) continue;
                var words = OfflineText.Words(token).Where(w => w.Any(char.IsLetter)).ToList();
                kept.AddRange(words);
                if (kept.Count >= 6) break;
            }
            return kept.Count == 0 ? action.Event.Kind.Replace('_', ' ') : string.Join(" ", kept.Take(6));
        }

        private static string ArgumentChange(Action failed, Action worked)
        {
            var before = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var kv in failed.Args) if (!before.ContainsKey(kv.Key)) before[kv.Key] = kv.Value;
            // Changed values say most about the fix; added and dropped arguments come after.
            var changed = new List<string>();
            var added = new List<string>();
            foreach (var kv in worked.Args)
            {
                if (!before.TryGetValue(kv.Key, out var old))
                    added.Add($"added {kv.Key}={ValueText(kv.Value)}");
                else if (Compact(old) != Compact(kv.Value))
                    changed.Add($"changed {kv.Key} from {ValueText(old)} to {ValueText(kv.Value)}");
            }
            var dropped = before.Keys.Where(key => !worked.Args.Any(kv => kv.Key == key)).Select(key => $"dropped {key}");
            return string.Join("; ", changed.Concat(added).Concat(dropped).Take(3));
        }

        // ---------------------------------------------------------------- shared pieces

        private static Action Read(TraceEvent e)
        {
            var action = new Action { Event = e, Tool = string.IsNullOrWhiteSpace(e.Tool) ? "unknown-tool" : OfflineText.CollapseWhitespace(e.Tool!) };
            JsonDocument? doc = null;
            try { doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(e.Data) ? "null" : e.Data); }
            catch (JsonException) { doc = null; }
            action.Document = doc;
            if (doc == null)
            {
                if (!string.IsNullOrWhiteSpace(e.Data))
                {
                    action.Args.Add(new KeyValuePair<string, JsonElement>("input", JsonDocumentFromString(e.Data, out var d)));
                    action.Document = d;
                }
                return action;
            }
            var root = doc.RootElement;
            action.Error = ErrorText(root);
            JsonElement args = root;
            bool argsIsRoot = true;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var key in ArgumentKeys)
                {
                    if (root.TryGetProperty(key, out var found))
                    {
                        args = found;
                        argsIsRoot = false;
                        if (found.ValueKind == JsonValueKind.String)
                        {
                            var nested = TryParse(found.GetString() ?? "");
                            if (nested != null)
                            {
                                // Keep the nested document alive with the outer one.
                                var combined = JsonDocument.Parse("[" + root.GetRawText() + "," + nested.RootElement.GetRawText() + "]");
                                nested.Dispose();
                                doc.Dispose();
                                action.Document = combined;
                                args = combined.RootElement[1];
                            }
                        }
                        break;
                    }
                }
            }
            if (args.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in args.EnumerateObject())
                {
                    if (argsIsRoot && OutcomeKeys.Contains(p.Name)) continue;
                    action.Args.Add(new KeyValuePair<string, JsonElement>(p.Name, p.Value));
                }
            }
            else if (args.ValueKind != JsonValueKind.Null && args.ValueKind != JsonValueKind.Undefined)
            {
                action.Args.Add(new KeyValuePair<string, JsonElement>("input", args));
            }
            return action;
        }

        private static JsonElement JsonDocumentFromString(string text, out JsonDocument doc)
        {
            doc = JsonDocument.Parse(JsonSerializer.Serialize(text));
            return doc.RootElement;
        }

        private static JsonDocument? TryParse(string text)
        {
            var t = text.TrimStart();
            if (!t.StartsWith("{", StringComparison.Ordinal)) return null;
            try { return JsonDocument.Parse(t); }
            catch (JsonException) { return null; }
        }

        private static string ErrorText(JsonElement root)
        {
            if (root.ValueKind == JsonValueKind.String) return OfflineText.CollapseWhitespace(root.GetString() ?? "");
            if (root.ValueKind != JsonValueKind.Object) return "";
            foreach (var key in ErrorKeys)
            {
                if (!root.TryGetProperty(key, out var value)) continue;
                if (value.ValueKind == JsonValueKind.String && (value.GetString() ?? "").Trim().Length > 0) return value.GetString()!.Trim();
                if (value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var inner in new[] { "message", "error", "type" })
                    {
                        if (value.TryGetProperty(inner, out var m) && m.ValueKind == JsonValueKind.String) return (m.GetString() ?? "").Trim();
                    }
                }
            }
            return "";
        }

        private static string EventText(TraceEvent e)
        {
            try
            {
                using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(e.Data) ? "null" : e.Data);
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.String) return root.GetString() ?? "";
                if (root.ValueKind == JsonValueKind.Object)
                {
                    foreach (var key in TextKeys)
                        if (root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString() ?? "";
                }
                return root.ValueKind == JsonValueKind.Null ? "" : root.GetRawText();
            }
            catch (JsonException)
            {
                return e.Data ?? "";
            }
        }

        /// <summary>tool(key=value, …) with each value generalised over the occurrences.</summary>
        private static string Call(string tool, List<Action> occurrences)
        {
            var keys = occurrences.SelectMany(a => a.Args.Select(kv => kv.Key)).Distinct(StringComparer.Ordinal).Take(MaxArgs).ToList();
            var parts = new List<string>();
            var notes = new List<string>();
            foreach (var key in keys)
            {
                var values = occurrences.Select(a => a.Args.Where(kv => kv.Key == key).Select(kv => (JsonElement?)kv.Value).FirstOrDefault())
                    .Where(v => v.HasValue).Select(v => v!.Value).ToList();
                var (pattern, examples) = Generalise(key, values);
                parts.Add($"{key}={pattern}");
                if (examples.Count > 0) notes.Add($"{key}: " + string.Join(", ", examples));
            }
            var call = $"{tool}({string.Join(", ", parts)})";
            return notes.Count == 0 ? call : call + "  # e.g. " + string.Join("; ", notes);
        }

        /// <summary>tool(key=value, …) exactly as called (values cut when long).</summary>
        private static string LiteralCall(string tool, Action action) =>
            $"{tool}({string.Join(", ", action.Args.Take(MaxArgs).Select(kv => kv.Key + "=" + ValueText(kv.Value)))})";

        /// <summary>A value as JSON, cut when long; a cut string keeps its closing quote.</summary>
        private static string ValueText(JsonElement value) =>
            value.ValueKind == JsonValueKind.String
                ? Quote(OfflineText.CutAtWord(OfflineText.CollapseWhitespace(value.GetString() ?? ""), MaxExampleChars))
                : Example(Compact(value));

        private static (string Pattern, List<string> Examples) Generalise(string key, List<JsonElement> values)
        {
            var compact = values.Select(Compact).Distinct(StringComparer.Ordinal).ToList();
            if (compact.Count == 1 && values[0].ValueKind != JsonValueKind.String) return (Example(compact[0]), new List<string>());
            if (values.All(v => v.ValueKind == JsonValueKind.String))
            {
                var strings = values.Select(v => OfflineText.CollapseWhitespace(v.GetString() ?? "")).Distinct(StringComparer.Ordinal).ToList();
                // A value that stayed the same over several calls is part of the procedure; a one-off path is not.
                if (strings.Count == 1 && strings[0].Length <= MaxExampleChars && (values.Count >= 2 || !LooksVariable(strings[0])))
                    return (Quote(strings[0]), new List<string>());
                var prefix = CommonTokenPrefix(strings);
                var placeholder = "{" + key + "}";
                var pathPrefix = prefix.Length == 0 ? CommonPathPrefix(strings) : "";
                var pattern = prefix.Length > 0 && strings.Count > 1 ? Quote(prefix + " " + placeholder)
                    : pathPrefix.Length > 0 ? Quote(pathPrefix + placeholder)
                    : placeholder;
                return (pattern, strings.Take(2).Select(s => Quote(OfflineText.CutAtWord(s, MaxExampleChars))).ToList());
            }
            return ("{" + key + "}", values.Take(2).Select(ValueText).Distinct(StringComparer.Ordinal).ToList());
        }

        /// <summary>Paths, URLs and long text are instance data, not part of the procedure.</summary>
        private static bool LooksVariable(string s) =>
            s.IndexOf('/') >= 0 || s.IndexOf('\\') >= 0 || s.Length > 40;

        /// <summary>The folder or URL part several paths share ("https://pypi.org/pypi/"), up to and including a '/'.</summary>
        private static string CommonPathPrefix(List<string> strings)
        {
            if (strings.Count < 2) return "";
            int n = strings[0].Length;
            foreach (var other in strings.Skip(1))
            {
                int i = 0;
                while (i < n && i < other.Length && other[i] == strings[0][i]) i++;
                n = i;
            }
            int slash = strings[0].LastIndexOf('/', Math.Max(0, n - 1));
            if (slash < 0 || n == 0) return "";
            var prefix = strings[0].Substring(0, slash + 1);
            return prefix.Length >= 4 && prefix.IndexOf(' ') < 0 ? prefix : "";
        }

        private static string CommonTokenPrefix(List<string> strings)
        {
            if (strings.Count < 2) return "";
            var tokens = strings[0].Split(' ');
            int n = tokens.Length;
            foreach (var s in strings.Skip(1))
            {
                var other = s.Split(' ');
                int i = 0;
                while (i < n && i < other.Length && other[i] == tokens[i]) i++;
                n = i;
            }
            return string.Join(" ", tokens.Take(n));
        }

        private static string Compact(JsonElement value) =>
            value.ValueKind == JsonValueKind.String ? JsonSerializer.Serialize(value.GetString(), JsonOptions) : value.GetRawText();

        private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static string Example(string compactJson) => OfflineText.CutAtWord(OfflineText.CollapseWhitespace(compactJson), MaxExampleChars);

        private static string Quote(string s) => JsonSerializer.Serialize(s, JsonOptions);

        private static string FirstLine(string text)
        {
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
            {
                var t = line.Trim();
                if (t.Length > 0) return t;
            }
            return "";
        }

        private static List<string> Keywords(TracePartition partition)
        {
            var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
            int position = 0;
            foreach (var e in partition.Context.Where(c => c.Kind == TraceEventKinds.UserPrompt || c.Kind == TraceEventKinds.UserCorrection).OrderBy(c => c.Sequence))
            {
                foreach (var w in OfflineText.Words(EventText(e)))
                {
                    var t = OfflineText.Term(w);
                    if (t == null) continue;
                    counts[t] = counts.TryGetValue(t, out var c) ? (c.Count + 1, c.First) : (1, position++);
                }
            }
            return counts.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First).Take(MaxKeywords).Select(kv => kv.Key).ToList();
        }

        private static List<string> MergeKeywords(List<string> keywords, IEnumerable<string> tools)
        {
            var result = new List<string>();
            foreach (var k in tools.Concat(keywords))
            {
                if (!result.Contains(k, StringComparer.Ordinal)) result.Add(k);
                if (result.Count >= MaxKeywords) break;
            }
            return result;
        }

        private static string KeywordClause(List<string> keywords) =>
            keywords.Count == 0 ? "" : " (tasks about " + JoinAnd(keywords.Take(4).ToList()) + ")";

        private static IEnumerable<Uri> Urls(IEnumerable<Action> actions)
        {
            foreach (var a in actions)
            {
                foreach (var kv in a.Args)
                {
                    if (kv.Value.ValueKind != JsonValueKind.String) continue;
                    var s = kv.Value.GetString() ?? "";
                    foreach (var token in s.Split(' '))
                    {
                        if ((token.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || token.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                            && Uri.TryCreate(token, UriKind.Absolute, out var uri))
                            yield return uri;
                    }
                }
            }
        }

        private static string Domain(List<Action> actions) =>
            Urls(actions).GroupBy(u => u.Host.ToLowerInvariant(), StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key).FirstOrDefault() ?? "";

        private static string UrlPattern(List<Action> actions)
        {
            var uri = Urls(actions).FirstOrDefault();
            return uri == null ? "" : $"{uri.Scheme}://{uri.Host.ToLowerInvariant()}/*";
        }

        private static List<string> Words(string text) =>
            OfflineText.Words(text.Replace('_', ' ')).Select(OfflineText.AsciiFold).Where(w => w.Length > 0).ToList();

        private static string Code(string name) => "`" + name.Replace("`", "'") + "`";

        private static string Times(int n) => n == 1 ? "once" : n == 2 ? "twice" : n + " times";

        private static string Label(string traceId) => string.IsNullOrEmpty(traceId) ? "(unnamed)" : traceId;

        private static string JoinAnd(IReadOnlyList<string> items)
        {
            if (items.Count == 0) return "";
            if (items.Count == 1) return items[0];
            return string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
        }

        private static string Serialize(List<Skill> skills)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartArray();
                foreach (var s in skills)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", s.Name);
                    writer.WriteString("description", OfflineText.CutAtWord(OfflineText.NoAngleBrackets(s.Description), 1000));
                    writer.WriteString("when_to_apply", OfflineText.NoAngleBrackets(s.WhenToApply));
                    if (s.Domain.Length == 0)
                    {
                        writer.WriteString("scope", "global");
                    }
                    else
                    {
                        writer.WritePropertyName("scope");
                        writer.WriteStartObject();
                        writer.WriteString("domain", s.Domain);
                        writer.WriteEndObject();
                    }
                    writer.WriteString("source", s.Source);
                    writer.WriteString("domain", s.Domain);
                    writer.WritePropertyName("trigger");
                    writer.WriteStartObject();
                    writer.WriteString("persona", "");
                    writer.WriteString("url_pattern", s.UrlPattern);
                    writer.WritePropertyName("task_keywords");
                    writer.WriteStartArray();
                    foreach (var k in s.Keywords) writer.WriteStringValue(k);
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    writer.WriteString("code", s.Code);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n");
        }
    }
}

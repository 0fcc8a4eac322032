using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SkillForge.Traces.Patterns
{
    /// <summary>
    /// A readable view of one action event whatever the trace format: its arguments (the input object of
    /// Claude Code and Codex, SWE-agent's action, or the flat data of SkillForge traces), the command line a
    /// shell call ran, its output and error text, and its exit code.
    /// </summary>
    internal sealed class TraceAction
    {
        /// <summary>Fields that explain a call rather than make it: a change in them is never a fix.</summary>
        public static readonly HashSet<string> FreeTextKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "description", "thought", "thoughts", "explanation", "reason", "reasoning", "justification", "comment",
            "summary", "title", "activeForm", "timeout", "timeout_ms", "timeoutMs", "run_in_background",
        };

        private static readonly string[] ArgumentKeys = { "input", "args", "arguments", "params", "parameters", "tool_input", "toolInput" };
        private static readonly HashSet<string> OutcomeKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "error", "errors", "result", "results", "output", "stdout", "stderr", "message", "exit_code", "exitCode",
            "status", "success", "is_error", "isError", "duration_ms", "observation", "content",
        };
        private static readonly string[] ErrorKeys = { "error", "stderr", "message", "reason" };
        private static readonly string[] OutputKeys = { "output", "stdout", "result", "observation", "content" };
        private static readonly HashSet<string> CommandKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "command", "cmd", "script", "commandLine", "command_line", "action" };
        private static readonly HashSet<string> TargetKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "file_path", "filePath", "path", "notebook_path", "file", "filename", "url" };
        private static readonly HashSet<string> ShellTools = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "bash", "shell", "exec_command", "local_shell", "run_shell_command", "terminal", "run_terminal_cmd", "execute_command", "powershell",
        };
        private static readonly Regex ExitCodeText = new Regex(@"(?:^|\b)exit code:? (\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex PatchFile = new Regex(@"^\*\*\* (?:Update|Add|Delete) File: (.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        private static readonly Regex LeadingNoise = new Regex(@"^(?:cd \S+ &&\s*|[A-Z_][A-Z0-9_]*=\S* |sudo |time |env )+", RegexOptions.CultureInvariant);

        public TraceEvent Event { get; private set; } = new TraceEvent();
        public string Tool { get; private set; } = "";
        /// <summary>The tool for grouping: every shell tool (Bash, shell, exec_command, ...) is "shell".</summary>
        public string Family { get; private set; } = "";
        /// <summary>Arguments as compact JSON text, in the order the call gave them.</summary>
        public List<KeyValuePair<string, string>> Arguments { get; } = new List<KeyValuePair<string, string>>();
        /// <summary>The argument values as strings (strings unquoted), for reading and rendering.</summary>
        public Dictionary<string, string> Values { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
        /// <summary>The command line a shell-like call ran ("bash -lc X" read as X), or empty.</summary>
        public string Command { get; private set; } = "";
        /// <summary>The program the command runs ("rg" in "cd src &amp;&amp; rg -n x"), or empty.</summary>
        public string Program { get; private set; } = "";
        /// <summary>The file, path or URL the call works on, or empty.</summary>
        public string Target { get; private set; } = "";
        public string Error { get; private set; } = "";
        public string Output { get; private set; } = "";
        public int? ExitCode { get; private set; }

        public bool IsShell => Family == "shell";
        public bool IsSuccess => TraceEventKinds.IsSuccess(Event.Kind);
        public bool IsFailure => TraceEventKinds.IsFailure(Event.Kind);

        /// <summary>The arguments that decide what the call does (free-text fields left out), as one comparable string.</summary>
        public string KeyArguments => string.Join("\u0001", Arguments.Where(kv => !FreeTextKeys.Contains(kv.Key)).Select(kv => kv.Key + "=" + kv.Value));

        public static string FamilyOf(string? tool)
        {
            var t = (tool ?? "").Trim();
            return ShellTools.Contains(t) ? "shell" : t.ToLowerInvariant();
        }

        public static TraceAction Read(TraceEvent e)
        {
            var a = new TraceAction { Event = e, Tool = string.IsNullOrWhiteSpace(e.Tool) ? "unknown-tool" : e.Tool!.Trim() };
            a.Family = FamilyOf(a.Tool);
            JsonDocument? doc = null;
            try { doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(e.Data) ? "null" : e.Data); }
            catch (JsonException) { doc = null; }
            if (doc == null)
            {
                a.Add("input", JsonSerializer.Serialize(e.Data ?? ""), e.Data ?? "");
                a.Finish();
                return a;
            }
            using (doc)
            {
                var root = doc.RootElement;
                JsonElement args = root;
                bool argsIsRoot = true;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    a.Error = FirstString(root, ErrorKeys);
                    a.Output = FirstString(root, OutputKeys);
                    a.ExitCode = ExitCodeOf(root);
                    foreach (var key in ArgumentKeys)
                    {
                        if (!root.TryGetProperty(key, out var found)) continue;
                        args = found;
                        argsIsRoot = false;
                        break;
                    }
                }
                if (args.ValueKind == JsonValueKind.String && TryParseObject(args.GetString() ?? "", out var nested))
                {
                    using (nested) AddObject(a, nested!.RootElement, false);
                }
                else if (args.ValueKind == JsonValueKind.Object) AddObject(a, args, argsIsRoot);
                else if (args.ValueKind != JsonValueKind.Null && args.ValueKind != JsonValueKind.Undefined) a.Add("input", args.GetRawText(), AsText(args));
            }
            a.Finish();
            return a;
        }

        private static void AddObject(TraceAction a, JsonElement obj, bool skipOutcome)
        {
            foreach (var p in obj.EnumerateObject())
            {
                if (skipOutcome && OutcomeKeys.Contains(p.Name)) continue;
                a.Add(p.Name, Compact(p.Value), AsText(p.Value));
            }
        }

        private void Add(string key, string compact, string text)
        {
            if (Values.ContainsKey(key)) return;
            Arguments.Add(new KeyValuePair<string, string>(key, compact));
            Values[key] = text;
        }

        private void Finish()
        {
            foreach (var kv in Arguments)
            {
                if (Command.Length == 0 && CommandKeys.Contains(kv.Key)) Command = CommandText(kv.Value, Values[kv.Key]);
                if (Target.Length == 0 && TargetKeys.Contains(kv.Key)) Target = Values[kv.Key].Trim();
            }
            if (Target.Length == 0)
            {
                // apply_patch names its file inside the patch.
                var file = PatchFile.Match(Command);
                if (file.Success) Target = file.Groups[1].Value.Trim();
            }
            if (Command.Length > 0)
            {
                var rest = LeadingNoise.Replace(Command.TrimStart(), "");
                var first = rest.Split(new[] { ' ', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
                Program = first.Substring(first.LastIndexOfAny(new[] { '/', '\\' }) + 1).Trim('"', '\'');
            }
            if (!ExitCode.HasValue)
            {
                var m = ExitCodeText.Match(Error);
                if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)) ExitCode = code;
            }
        }

        /// <summary>A command given as an argv array: ["bash","-lc","X"] is X, anything else its words joined.</summary>
        private static string CommandText(string compact, string text)
        {
            if (!compact.StartsWith("[", StringComparison.Ordinal)) return text;
            try
            {
                using var doc = JsonDocument.Parse(compact);
                var parts = doc.RootElement.EnumerateArray().Select(AsText).ToList();
                if (parts.Count >= 3 && (parts[1] == "-lc" || parts[1] == "-c")) return parts[2];
                return string.Join(" ", parts);
            }
            catch (JsonException) { return text; }
        }

        private static int? ExitCodeOf(JsonElement root)
        {
            foreach (var key in new[] { "exit_code", "exitCode" })
            {
                if (root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var code)) return code;
            }
            return null;
        }

        private static string FirstString(JsonElement root, string[] keys)
        {
            foreach (var key in keys)
            {
                if (!root.TryGetProperty(key, out var value)) continue;
                if (value.ValueKind == JsonValueKind.String && (value.GetString() ?? "").Trim().Length > 0) return value.GetString()!;
                if (value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var inner in new[] { "message", "error", "type" })
                        if (value.TryGetProperty(inner, out var m) && m.ValueKind == JsonValueKind.String) return m.GetString() ?? "";
                }
                if (value.ValueKind == JsonValueKind.Array) return string.Join("\n", value.EnumerateArray().Select(AsText));
            }
            return "";
        }

        private static bool TryParseObject(string text, out JsonDocument? doc)
        {
            doc = null;
            if (!text.TrimStart().StartsWith("{", StringComparison.Ordinal)) return false;
            try { doc = JsonDocument.Parse(text); return doc.RootElement.ValueKind == JsonValueKind.Object; }
            catch (JsonException) { return false; }
        }

        internal static string AsText(JsonElement v) => v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText();

        private static string Compact(JsonElement v) => v.ValueKind == JsonValueKind.String ? JsonSerializer.Serialize(v.GetString()) : v.GetRawText();

        /// <summary>The word tokens of the key arguments, for telling a related call from an unrelated one.</summary>
        public HashSet<string> KeyTokens()
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var kv in Arguments)
            {
                if (FreeTextKeys.Contains(kv.Key)) continue;
                foreach (Match m in Regex.Matches(Values[kv.Key], @"[\p{L}\p{N}_.\-]{2,}")) set.Add(m.Value.ToLowerInvariant());
            }
            return set;
        }
    }
}

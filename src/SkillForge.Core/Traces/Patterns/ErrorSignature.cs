using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace SkillForge.Traces.Patterns
{
    /// <summary>
    /// The line of an action's output that carries its error, and that line as a signature: paths, numbers,
    /// hashes, ids and quoted values become placeholders, so the same error in two sessions reads the same.
    /// </summary>
    public static class ErrorSignature
    {
        public const int MaxLineChars = 240;
        public const int MaxSignatureChars = 160;

        private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

        /// <summary>Lines that are never the error: warnings, hints, progress, stack frames, exit-code banners.</summary>
        private static readonly Regex Passed = new Regex(
            @"^(?:npm (?:warn|notice|WARN)\b|yarn warn|pnpm warn|warn(?:ing)?\b|\S*(?:Deprecation|Future|User|Runtime)Warning\b|hint:|note:|remote:|" +
            @"\(node:\d+\)|[\[(]?\s*\d{1,3}(?:\.\d+)?\s?%|(?:Downloading|Resolving|Receiving|Counting|Compressing|Fetching|Installing|Progress)\b|" +
            @"at\s+\S|File "".*"", line \d+|\^+$|~+$|Exit code \d+$|Traceback \(most recent call last\):?$|During handling of the above exception|" +
            @"On branch \S+$|RUN\s+v\d)",
            Options | RegexOptions.IgnoreCase);

        /// <summary>Words that mark a line as an error.</summary>
        private static readonly Regex Marker = new Regex(
            @"\b(?:error|errors|exception|failed|failure|fatal|cannot|can't|could not|couldn't|unable|not found|no such|denied|invalid|missing|refused|" +
            @"not allowed|not defined|undefined|unexpected|unknown|permission|forbidden|timed? ?out|conflict|rejected|not supported|has not been|must|required)\b|\bTS\d{4}\b",
            Options | RegexOptions.IgnoreCase);

        /// <summary>A line that names its error outright: "SyntaxError: …", "error TS2307: …", "fatal: …", "Error: …".</summary>
        private static readonly Regex Strong = new Regex(
            @"(?:^|\s)(?:[\w.]*(?:Error|Exception)\b:|error(?:\[\w+\])?(?: TS\d+)?:|fatal:|E\d{3,4}\b|\S+\(\d+,\d+\): error\b|\S+: error\b)|\berror TS\d{4}\b",
            Options);

        private static readonly Regex Tag = new Regex(@"</?[a-z_]+(?:_error|_result)?>", Options);
        /// <summary>The wrapper a sandboxed Codex call puts round its output: the stderr inside is the real error.</summary>
        private static readonly Regex SandboxWrapper = new Regex(@"^failed in sandbox \S+ with execution error: .*?exit code: \d+, stdout: ", Options | RegexOptions.Singleline);

        private static readonly Regex Quoted = new Regex(@"""(?:[^""\\\n]|\\.){1,300}""|'[^'\n]{1,200}'|`[^`\n]{1,200}`|‘[^’\n]{1,200}’|“[^”\n]{1,200}”", Options);
        private static readonly Regex Url = new Regex(@"\b[a-z][a-z0-9+.-]*://\S+", Options | RegexOptions.IgnoreCase);
        private static readonly Regex PathToken = new Regex(@"(?:[A-Za-z]:)?[\w.~@+\-]*(?:[\\/][\w.@+\-]+)+[\\/]?(?:\(\d+,\d+\)|:\d+(?::\d+)?)?|\b[\w\-]+\.(?:[a-z]{1,5})(?:\(\d+,\d+\)|:\d+(?::\d+)?)(?=\W|$)", Options);
        private static readonly Regex Uuid = new Regex(@"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", Options | RegexOptions.IgnoreCase);
        private static readonly Regex Hash = new Regex(@"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,}\b", Options | RegexOptions.IgnoreCase);
        private static readonly Regex Id = new Regex(@"\b(?:call|toolu|msg|req|run|item|resp)_[A-Za-z0-9]{6,}\b", Options);
        private static readonly Regex Number = new Regex(@"(?<![\w{])\d+(?:\.\d+)*(?![\w}])", Options);
        /// <summary>A list of quoted values is one value: the same error quotes two lines in one session and five in the next.</summary>
        private static readonly Regex ValueList = new Regex(@"\{value\}(?:\s*,\s*\{value\})+", Options);
        private static readonly Regex Spaces = new Regex(@"\s+", Options);

        /// <summary>The error line of an action's error and output text ("" when none).</summary>
        public static string ErrorLine(string? error, string? output = null)
        {
            var line = Pick(Lines(error));
            if (line.Length == 0) line = Pick(Lines(output), requireMarker: true);
            return line.Length <= MaxLineChars ? line : line.Substring(0, MaxLineChars).TrimEnd() + "…";
        }

        /// <summary>The first line of a text that names an error outright ("ReferenceError: x is not defined"), or "".</summary>
        public static string NamedError(string? text)
        {
            foreach (var line in Lines(text))
            {
                var m = Strong.Match(line);
                if (m.Success) return line.Substring(line.IndexOf(m.Value, StringComparison.Ordinal)).Trim();
            }
            return "";
        }

        private static List<string> Lines(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return new List<string>();
            var t = SandboxWrapper.Replace(text!.Replace("\r\n", "\n"), "");
            t = t.Replace(", stderr: ", "\n");
            return t.Split('\n').Select(l => Tag.Replace(l, " ").Trim()).Where(l => l.Length > 0).ToList();
        }

        private static string Pick(List<string> lines, bool requireMarker = false)
        {
            var candidates = lines.Where(l => !Passed.IsMatch(l)).ToList();
            if (candidates.Count == 0) return "";
            // A traceback ends with the exception that was raised.
            if (lines.Any(l => l.StartsWith("Traceback (most recent call last)", StringComparison.Ordinal)))
            {
                var raised = candidates.LastOrDefault(l => Strong.IsMatch(l));
                if (raised != null) return raised;
            }
            var chosen = candidates.FirstOrDefault(l => Strong.IsMatch(l))
                ?? candidates.FirstOrDefault(l => Marker.IsMatch(l))
                ?? (requireMarker ? "" : candidates[0]);
            // "…failed due to the following issue:" announces the error on the next line.
            int at = candidates.IndexOf(chosen);
            if (chosen.EndsWith(":", StringComparison.Ordinal) && at >= 0 && at + 1 < candidates.Count) chosen = chosen + " " + candidates[at + 1];
            return chosen;
        }

        /// <summary>The error line with its variable parts as placeholders: {path}, {url}, {id}, {hash}, {n}, {value}.</summary>
        public static string Normalize(string line)
        {
            if (string.IsNullOrWhiteSpace(line)) return "";
            var s = Quoted.Replace(line, "{value}");
            s = Url.Replace(s, "{url}");
            s = Uuid.Replace(s, "{id}");
            s = Id.Replace(s, "{id}");
            s = PathToken.Replace(s, m => m.Value.IndexOfAny(new[] { '/', '\\' }) >= 0 || m.Value.IndexOf('.') > 0 ? "{path}" : m.Value);
            s = Hash.Replace(s, "{hash}");
            s = Number.Replace(s, "{n}");
            s = ValueList.Replace(s, "{value}");
            s = Spaces.Replace(s, " ").Trim().TrimEnd('.', ':', ' ');
            return s.Length <= MaxSignatureChars ? s : s.Substring(0, MaxSignatureChars).TrimEnd();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using SkillForge.Diagnostics;

namespace SkillForge.Traces.Patterns
{
    /// <summary>
    /// Outcomes a trace marks failed that are not failures: what the output says is an answer, not an error.
    /// The built-in list (documented in Find-TracePattern's help) and the user's -NotFailure patterns.
    /// </summary>
    public sealed class NotFailureRules
    {
        /// <summary>The built-in rules, by name, as the help lists them.</summary>
        public static readonly IReadOnlyList<string> BuiltIn = new[]
        {
            "search-no-match: grep, egrep, fgrep, rg, ag, ack, git grep, findstr or Select-String exiting 1 with no output",
            "nothing-to-commit: git commit saying 'nothing to commit' or 'no changes added to commit'",
            "diff-differs: diff, cmp or git diff --exit-code exiting 1 (the files differ)",
            "test-false: test, [ or [[ exiting 1 (the condition is false)",
            "reproduction: a script named repro*/reproduce* (a bug reproduction is meant to fail)",
        };

        private static readonly HashSet<string> SearchPrograms = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "grep", "egrep", "fgrep", "rg", "ag", "ack", "findstr", "Select-String", "sls" };
        private static readonly Regex NothingToCommit = new Regex(@"nothing to commit|no changes added to commit|nothing added to commit", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex Reproduction = new Regex(@"(?:^|[\s/\\])repro(?:duce)?[\w\-]*\.(?:py|js|ts|sh|rb|go|ps1)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex ExitBanner = new Regex(@"^\s*Exit code \d+\s*$", RegexOptions.CultureInvariant | RegexOptions.Multiline);

        private readonly List<Regex> _custom = new List<Regex>();

        /// <summary>Rules with the user's extra patterns (regular expressions matched against the command and the error text).</summary>
        public NotFailureRules(IEnumerable<string>? patterns = null)
        {
            foreach (var p in patterns ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(p)) continue;
                try
                {
                    _custom.Add(new Regex(p, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
                }
                catch (ArgumentException e)
                {
                    throw new SkillForgeException(ErrorIds.PatternInvalidNotFailure, FailureCategory.InvalidArgument,
                        $"The -NotFailure pattern '{p}' is not a valid regular expression: {e.Message} Escape special characters with [regex]::Escape().", p, e);
                }
            }
        }

        /// <summary>The name of the rule that says this failed action is not a failure, or null when it is one.</summary>
        internal string? Match(TraceAction a)
        {
            string error = a.Error ?? "";
            bool silent = ExitBanner.Replace(error, "").Trim().Length == 0 && (a.Output ?? "").Trim().Length == 0;
            if (a.IsShell || a.Command.Length > 0)
            {
                var program = a.Program;
                var cmd = a.Command;
                bool exit1 = a.ExitCode == 1;
                if (exit1 && silent && (SearchPrograms.Contains(program) || StartsWithWords(cmd, "git grep"))) return "search-no-match";
                if (NothingToCommit.IsMatch(error) || NothingToCommit.IsMatch(a.Output ?? "")) return "nothing-to-commit";
                if (exit1 && (program == "diff" || program == "cmp" || (StartsWithWords(cmd, "git diff") && cmd.Contains("--exit-code")))) return "diff-differs";
                if (exit1 && (program == "test" || program == "[" || program == "[[")) return "test-false";
                if (Reproduction.IsMatch(cmd)) return "reproduction";
            }
            foreach (var r in _custom)
            {
                if (r.IsMatch(a.Command) || r.IsMatch(error)) return "custom: " + r;
            }
            return null;
        }

        private static bool StartsWithWords(string command, string words)
        {
            var c = Regex.Replace(command.TrimStart(), @"^(?:cd \S+ &&\s*)+", "");
            return c.StartsWith(words + " ", StringComparison.Ordinal) || c == words;
        }
    }
}

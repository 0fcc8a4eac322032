using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SkillForge.Diagnostics;

namespace SkillForge.Prompts
{
    /// <summary>
    /// Instructions with placeholders. {{sources}} is where the quoted sources go (appended at the end when the
    /// template has none); {{count}}, {{scope}}, {{trace_id}} and {{outcome}} are filled in too. Placeholders
    /// are matched case-insensitively and may have blanks inside the braces ({{ sources }}). Replacement is
    /// one pass over the template, so text inside the sources is never treated as a placeholder, and every value
    /// is made safe to stand among the instructions (one short line, no quotes, no fence nonce).
    /// </summary>
    public static class PromptTemplate
    {
        public const string Sources = "sources";
        public const string Count = "count";
        public const string Scope = "scope";
        public const string TraceId = "trace_id";
        public const string Outcome = "outcome";

        /// <summary>Every placeholder a template may use.</summary>
        public static IReadOnlyList<string> Placeholders { get; } = new[] { Sources, Count, Scope, TraceId, Outcome };

        private static readonly Regex Placeholder = new Regex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant);

        /// <summary>
        /// Checks a user template: not blank, at most one {{sources}}, no unknown placeholder.
        /// Throws SkillForgeException (ErrorIds.PromptInvalidTemplate) otherwise.
        /// </summary>
        public static void Validate(string template)
        {
            if (template == null || template.Trim().Length == 0)
                throw new SkillForgeException(ErrorIds.PromptInvalidTemplate, FailureCategory.InvalidArgument,
                    "The template is empty. Give the instructions the model should follow; the sources are added where {{sources}} stands, or at the end.");
            int sources = 0;
            foreach (Match match in Placeholder.Matches(template))
            {
                string name = match.Groups[1].Value.ToLowerInvariant();
                if (name == Sources) sources++;
                else if (Array.IndexOf((string[])Placeholders, name) < 0)
                    throw new SkillForgeException(ErrorIds.PromptInvalidTemplate, FailureCategory.InvalidArgument,
                        $"The template uses the unknown placeholder '{match.Value}'. Known placeholders: {{{{{string.Join("}}, {{", Placeholders)}}}}}.",
                        match.Value);
            }
            if (sources > 1)
                throw new SkillForgeException(ErrorIds.PromptInvalidTemplate, FailureCategory.InvalidArgument,
                    $"The template has {sources} {{{{sources}}}} placeholders; use it once, where the quoted sources should go.");
        }

        /// <summary>The longest a value from input ({{scope}}, {{trace_id}}) may be inside the instructions, in characters.</summary>
        public const int MaxValueLength = 120;

        /// <summary>
        /// Fills the placeholders; the sources section goes where {{sources}} stands, or after the text. Every value is
        /// first made <see cref="Inline"/>, since values such as a trace id come from the input and land among the
        /// instructions, outside the fenced sources.
        /// </summary>
        public static string Apply(string template, string sourcesSection, IReadOnlyDictionary<string, string> values, string? nonce = null)
        {
            bool placed = false;
            string text = Placeholder.Replace(template, match =>
            {
                string name = match.Groups[1].Value.ToLowerInvariant();
                if (name == Sources)
                {
                    placed = true;
                    return sourcesSection;
                }
                return values.TryGetValue(name, out var value) ? Inline(value, nonce) : match.Value;
            });
            if (!placed) text = text.TrimEnd() + "\n\n" + sourcesSection;
            return text.Trim() + "\n";
        }

        /// <summary>
        /// A value as it may stand inside quotes among the instructions: one line (line breaks, tabs and other control or
        /// separator characters become a space), no double quotes or braces, no fence nonce, and at most
        /// <see cref="MaxValueLength"/> characters. Text that tries to pose as new instructions stays a short quoted label.
        /// </summary>
        public static string Inline(string? value, string? nonce = null)
        {
            string raw = value ?? "";
            if (!string.IsNullOrEmpty(nonce))
                raw = Regex.Replace(raw, Regex.Escape(nonce), " ", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            var sb = new StringBuilder();
            bool space = false;
            foreach (char c in raw)
            {
                bool blank = char.IsWhiteSpace(c) || char.IsControl(c) || c == '\u2028' || c == '\u2029'
                    || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
                if (blank)
                {
                    space = sb.Length > 0;
                    continue;
                }
                if (space) sb.Append(' ');
                space = false;
                sb.Append(c == '"' || c == '\u201c' || c == '\u201d' ? '\'' : c == '{' ? '(' : c == '}' ? ')' : c);
            }
            return TextUtil.Truncate(sb.ToString(), MaxValueLength);
        }

        internal static Dictionary<string, string> Values(int count, string scope, string traceId, string outcome) =>
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [Count] = count.ToString(CultureInfo.InvariantCulture),
                [Scope] = scope,
                [TraceId] = traceId,
                [Outcome] = outcome,
            };
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SkillForge.Skills;

namespace SkillForge.Distillation.Offline
{
    /// <summary>One thing that goes wrong: what happens, why it happens, how to avoid it.</summary>
    internal sealed class SkillMistake
    {
        public SkillMistake(string what, string why, string how)
        {
            What = what;
            Why = why;
            How = how;
        }

        public string What { get; }
        public string Why { get; }
        public string How { get; }
    }

    /// <summary>
    /// The one shape every offline skill has, whatever its source: frontmatter (name from the lesson,
    /// "what … Use when …" description, short provenance metadata), then When to use, Principle, Steps,
    /// Mistakes to avoid, Example (when the evidence has one) and Evidence, kept short.
    /// </summary>
    internal sealed class SkillDraft
    {
        public string Name = "";
        public string What = "";
        public string UseWhen = "";
        public List<string> WhenToUse = new List<string>();
        public string Principle = "";
        public List<string> Steps = new List<string>();
        public List<SkillMistake> Mistakes = new List<SkillMistake>();
        public string Example = "";
        public string Evidence = "";
        /// <summary>Small provenance values (counts, kinds); never a long list.</summary>
        public Dictionary<string, string> Metadata = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    internal static class SkillShape
    {
        public const int MaxDescriptionChars = 1000;
        public const int MaxMetadataValueChars = 200;
        public const string EvidenceFile = "references/evidence.md";

        public static string Description(SkillDraft d)
        {
            var what = OfflineText.CollapseWhitespace(d.What).TrimEnd('.', ' ');
            var when = OfflineText.CollapseWhitespace(d.UseWhen).TrimEnd('.', ' ');
            var text = what + ". Use when " + when + ".";
            return OfflineText.CutAtWord(OfflineText.NoAngleBrackets(text), MaxDescriptionChars);
        }

        public static string Render(SkillDraft d)
        {
            var front = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["name"] = d.Name,
                ["description"] = Description(d),
            };
            if (d.Metadata.Count > 0)
                front["metadata"] = d.Metadata.ToDictionary(kv => kv.Key, kv => OfflineText.CutAtWord(OfflineText.CollapseWhitespace(kv.Value), MaxMetadataValueChars), StringComparer.Ordinal);
            var sb = new StringBuilder();
            sb.Append("---\n").Append(SkillMarkdownWriter.SerializeYaml(front));
            if (sb[sb.Length - 1] != '\n') sb.Append('\n');
            sb.Append("---\n\n# ").Append(Title(d.Name)).Append("\n\n");

            sb.Append("## When to use\n\n");
            foreach (var w in d.WhenToUse) sb.Append("- ").Append(Line(w)).Append('\n');
            sb.Append("\n## Principle\n\n").Append(Line(d.Principle)).Append("\n\n## Steps\n\n");
            for (int i = 0; i < d.Steps.Count; i++) sb.Append(i + 1).Append(". ").Append(Line(d.Steps[i])).Append('\n');
            if (d.Mistakes.Count > 0)
            {
                sb.Append("\n## Mistakes to avoid\n\n");
                foreach (var m in d.Mistakes)
                {
                    sb.Append("- ").Append(Line(m.What));
                    if (m.Why.Length > 0) sb.Append(" Why: ").Append(Line(m.Why));
                    if (m.How.Length > 0) sb.Append(" Avoid it: ").Append(Line(m.How));
                    sb.Append('\n');
                }
            }
            if (d.Example.Trim().Length > 0)
            {
                var code = d.Example.TrimEnd('\n');
                var fence = new string('`', Math.Max(3, LongestRun(code, '`') + 1));
                sb.Append("\n## Example\n\n").Append(fence).Append("text\n").Append(code).Append('\n').Append(fence).Append('\n');
            }
            sb.Append("\n## Evidence\n\n").Append(Line(d.Evidence)).Append('\n');
            return sb.ToString();
        }

        /// <summary>Paths inside the working directory written relative to it ("src/App.tsx", "." for the folder itself).</summary>
        public static string Relative(string text, string? workingDirectory)
        {
            if (string.IsNullOrEmpty(text) || string.IsNullOrWhiteSpace(workingDirectory)) return text ?? "";
            var cwd = workingDirectory!.TrimEnd('/', '\\');
            if (cwd.Length < 2) return text;
            return text.Replace(cwd + "/", "").Replace(cwd + "\\", "").Replace(cwd, ".");
        }

        /// <summary>One line of Markdown text: whitespace collapsed, block markers at the start escaped.</summary>
        private static string Line(string text)
        {
            var t = OfflineText.CollapseWhitespace(text ?? "");
            if (t.Length > 0 && (t[0] == '#' || t[0] == '>' || t[0] == '|' || t[0] == '=' || t[0] == '-')) t = "\\" + t;
            return t;
        }

        private static string Title(string name) =>
            OfflineText.Capitalize(string.Join(" ", name.Split('-').Where(p => p.Length > 0)));

        private static int LongestRun(string text, char c)
        {
            int best = 0, run = 0;
            foreach (char x in text)
            {
                run = x == c ? run + 1 : 0;
                if (run > best) best = run;
            }
            return best;
        }

        /// <summary>"a, b and c".</summary>
        public static string JoinAnd(IReadOnlyList<string> items)
        {
            if (items.Count == 0) return "";
            if (items.Count == 1) return items[0];
            return string.Join(", ", items.Take(items.Count - 1)) + " and " + items[items.Count - 1];
        }

        public static string Code(string text) => "`" + OfflineText.CollapseWhitespace(text).Replace("`", "'") + "`";

        public static string Times(int n) => n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }
}

using System;
using System.Linq;
using System.Text;
using SkillForge.Skills;

namespace SkillForge.Distillation
{
    /// <summary>Turns a model's SKILL.md answer into the SKILL.md itself and checks it.</summary>
    public static class SkillAnswer
    {
        /// <summary>
        /// Removes a code fence wrapping the whole answer (```markdown, ```md, ``` or ~~~), and any blank lines
        /// around it. Text that is not wholly fenced is returned trimmed of surrounding blank lines only.
        /// </summary>
        public static string StripFence(string answer)
        {
            if (answer == null) throw new ArgumentNullException(nameof(answer));
            string text = answer.Replace("\r\n", "\n").Trim('\n', ' ', '\t', '\uFEFF');
            int firstBreak = text.IndexOf('\n');
            if (firstBreak < 0) return text;
            string opening = text.Substring(0, firstBreak).Trim();
            string fence = opening.StartsWith("```", StringComparison.Ordinal) ? "```" : opening.StartsWith("~~~", StringComparison.Ordinal) ? "~~~" : "";
            if (fence.Length == 0) return text;
            string info = opening.Substring(3).Trim().ToLowerInvariant();
            if (info.Length > 0 && info != "markdown" && info != "md" && info != "yaml") return text;
            int lastBreak = text.LastIndexOf('\n');
            if (lastBreak <= firstBreak) return text;
            string closing = text.Substring(lastBreak + 1).Trim();
            if (closing != fence) return text;
            return text.Substring(firstBreak + 1, lastBreak - firstBreak - 1).Trim('\n') + "\n";
        }

        /// <summary>Checks a SKILL.md with the Agent Skills rules (warnings do not make it invalid). Leaks are no reason for a repair round: the write check redacts them.</summary>
        public static SkillValidationResult Validate(string skillMarkdown) => SkillMarkdownValidator.Validate(skillMarkdown, findLeaks: false);

        /// <summary>The follow-up message of a repair round: the problems, and what to send back.</summary>
        public static string RepairRequest(SkillValidationResult validation)
        {
            var sb = new StringBuilder();
            sb.Append("The SKILL.md in your previous answer does not pass validation. Problems found:\n");
            foreach (var d in validation.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
                sb.Append("- ").Append(d.Line > 0 ? "line " + d.Line + ", " : "").Append(d.Code).Append(": ").Append(d.Message).Append('\n');
            sb.Append("\nSend the whole corrected SKILL.md and nothing else: a first line '---', YAML frontmatter with ")
              .Append("'name' (lowercase letters, digits and single hyphens, at most 64 characters) and 'description' ")
              .Append("(at most 1024 characters), a line '---', then the Markdown body. Keep the content; fix only the problems. ")
              .Append("No commentary and no code fence around it.");
            return sb.ToString();
        }
    }
}

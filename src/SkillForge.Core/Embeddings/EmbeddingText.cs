using System;
using System.Linq;
using System.Text.RegularExpressions;
using SkillForge.Redaction;

namespace SkillForge.Embeddings
{
    /// <summary>
    /// The text SkillForge embeds for a doc (its Text stays as it is). Two changes help grouping:
    /// <list type="bullet">
    /// <item>object numbers go: "bowl 3", "cabinet 12" become "bowl", "cabinet" (ALFWorld memories of SkillRL and
    /// Reflexion name instances, and two lessons about "drawer 1" and "drawer 4" teach the same thing);</item>
    /// <item>SkillRL's mistakes to avoid start with their task type ("pick_and_place: When ..."), so a mistake lands
    /// near the mistakes of its own task type rather than near a same-worded one of another.</item>
    /// </list>
    /// </summary>
    public static class EmbeddingText
    {
        // A word of letters, a space, then a number standing alone: the numbered instance of an object.
        private static readonly Regex ObjectNumber = new Regex(@"\b([A-Za-z]{2,}) \d{1,3}\b(?![.,]\d)", RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private static readonly string[] NotTaskTypes = { "success", "failure", "skillrl", "crystallized" };

        /// <summary>
        /// The text to embed for a doc. It passes the redaction pass first: an embeddings endpoint is a model
        /// provider like any other, and the cache on disk keys by this text.
        /// </summary>
        public static string For(MemoryDoc doc)
        {
            if (doc == null) throw new ArgumentNullException(nameof(doc));
            string text = Normalize(Redactor.Redact(doc.Text ?? ""));
            string? taskType = SkillRLTaskType(doc);
            return taskType == null ? text : taskType + ": " + text;
        }

        /// <summary>The text with object numbers removed and runs of white space made one space.</summary>
        public static string Normalize(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            string s = ObjectNumber.Replace(text!, "$1");
            return Regex.Replace(s, @"\s+", " ").Trim();
        }

        /// <summary>The task type of a SkillRL mistake (its tag other than outcome and source), or null.</summary>
        internal static string? SkillRLTaskType(MemoryDoc doc)
        {
            if (!string.Equals(doc.Kind, "anti_pattern", StringComparison.OrdinalIgnoreCase) || doc.Tags == null || !doc.HasTag("skillrl")) return null;
            return doc.Tags.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)
                && !NotTaskTypes.Any(n => string.Equals(n, t, StringComparison.OrdinalIgnoreCase)));
        }
    }
}

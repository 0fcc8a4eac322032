using System;
using System.Collections.Generic;
using System.Text;

namespace SkillForge.Redaction
{
    /// <summary>
    /// The redaction pass: finds secrets and personal data (RedactionRules) and replaces each with
    /// "[redacted:&lt;kind&gt;]" (a home folder with "~"). Deterministic: the same value always gets the same marker,
    /// and a value found once (say after "password=") is replaced wherever else it occurs in the same text.
    /// Nothing here keeps, logs or returns a value; callers get the text back and counts by kind.
    /// </summary>
    public static class Redactor
    {
        public const string MarkerPrefix = "[redacted:";

        /// <summary>How far around a cut SafeCut looks for a value the cut would split.</summary>
        public const int CutWindow = 1024;

        /// <summary>How far back SafeCut looks for the start of a private key block.</summary>
        public const int PrivateKeyReach = 32 * 1024;

        /// <summary>A value found by context (after "password=", in a URL) is looked for elsewhere only when it is this long.</summary>
        private const int MinRepeatLength = 6;
        private const int MaxRepeatedValues = 64;

        public static string Marker(string kind) => MarkerPrefix + kind + "]";

        internal static bool IsMarker(string value) => value.StartsWith(MarkerPrefix, StringComparison.Ordinal);

        /// <summary>Every finding in text, by position, none overlapping (an earlier detector wins an overlap).</summary>
        public static IReadOnlyList<RedactionFinding> Find(string text, RedactionMode mode = RedactionMode.All)
        {
            if (string.IsNullOrEmpty(text) || mode == RedactionMode.None) return Array.Empty<RedactionFinding>();
            var accepted = new List<RedactionFinding>();
            var found = new List<RedactionFinding>();
            foreach (var detector in RedactionRules.All)
            {
                if (mode == RedactionMode.Secrets && detector.Category == RedactionCategory.PersonalData) continue;
                found.Clear();
                detector.Find(text, found);
                if (found.Count > 0) accepted = MergeByPriority(accepted, found);
            }
            if (accepted.Count > 0) accepted = MergeByPriority(accepted, Repeats(text, accepted));
            return accepted;
        }

        /// <summary>text with every finding replaced; counts (when given) gains one per replacement, by kind.</summary>
        public static string Redact(string text, RedactionMode mode, RedactionCounts? counts = null)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            var findings = Find(text, mode);
            if (findings.Count == 0) return text;
            var sb = new StringBuilder(text.Length);
            int position = 0;
            foreach (var f in findings)
            {
                sb.Append(text, position, f.Start - position).Append(f.Replacement);
                position = f.End;
                counts?.Add(f.Kind);
            }
            sb.Append(text, position, text.Length - position);
            return sb.ToString();
        }

        /// <summary>Redact with mode All.</summary>
        public static string Redact(string text) => Redact(text, RedactionMode.All);

        /// <summary>
        /// Where to cut text so that no secret or personal value is split (a half value is one no detector knows
        /// any more): cut itself, or the start of the value it would fall inside.
        /// </summary>
        public static int SafeCut(string text, int cut)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            if (cut <= 0 || cut >= text.Length) return cut;
            int safe = cut;
            int from = Math.Max(0, cut - CutWindow);
            int to = Math.Min(text.Length, cut + CutWindow);
            // Widen the window back to an unfinished private key block, which can be longer than the window.
            int begin = text.LastIndexOf("-----BEGIN ", cut, Math.Min(cut + 1, PrivateKeyReach), StringComparison.Ordinal);
            if (begin >= 0 && begin < from) from = begin;
            string window = text.Substring(from, to - from);
            foreach (var f in Find(window, RedactionMode.All))
            {
                int start = from + f.Start, end = from + f.End;
                if (start < safe && end > safe) safe = start;
            }
            return safe;
        }

        /// <summary>Counts by kind for a list of findings.</summary>
        public static RedactionCounts Count(IEnumerable<RedactionFinding> findings)
        {
            var counts = new RedactionCounts();
            foreach (var f in findings) counts.Add(f.Kind);
            return counts;
        }

        /// <summary>
        /// The other places a context-found value occurs (a password seen in "password=…" and again in a URL
        /// path): the same marker goes there too. Self-evident kinds (sk-…, ghp_…, e-mail) are found everywhere already.
        /// </summary>
        private static List<RedactionFinding> Repeats(string text, List<RedactionFinding> accepted)
        {
            var repeats = new List<RedactionFinding>();
            var values = new Dictionary<string, RedactionFinding>(StringComparer.Ordinal);
            foreach (var f in accepted)
            {
                if (f.Category != RedactionCategory.Secret || f.Length < MinRepeatLength || f.Kind == "private-key") continue;
                if (values.Count >= MaxRepeatedValues) break;
                string value = text.Substring(f.Start, f.Length);
                if (!values.ContainsKey(value)) values[value] = f;
            }
            foreach (var pair in values)
            {
                for (int i = text.IndexOf(pair.Key, StringComparison.Ordinal); i >= 0; i = text.IndexOf(pair.Key, i + pair.Key.Length, StringComparison.Ordinal))
                    repeats.Add(new RedactionFinding(pair.Value.Kind, pair.Value.Category, i, pair.Key.Length, pair.Value.Replacement));
            }
            repeats.Sort((a, b) => a.Start.CompareTo(b.Start));
            return repeats;
        }

        /// <summary>
        /// accepted (sorted, disjoint) plus those of candidates that overlap none of them, sorted by position:
        /// one linear merge, so thousands of findings in a large text stay cheap.
        /// </summary>
        private static List<RedactionFinding> MergeByPriority(List<RedactionFinding> accepted, List<RedactionFinding> candidates)
        {
            candidates.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.Length.CompareTo(a.Length));
            var merged = new List<RedactionFinding>(accepted.Count + candidates.Count);
            int i = 0;
            foreach (var c in candidates)
            {
                if (c.Length <= 0) continue;
                while (i < accepted.Count && accepted[i].End <= c.Start) merged.Add(accepted[i++]);
                bool overlapsNext = i < accepted.Count && accepted[i].Start < c.End;
                bool overlapsPrevious = merged.Count > 0 && merged[merged.Count - 1].End > c.Start;
                if (overlapsNext || overlapsPrevious) continue;
                merged.Add(c);
            }
            while (i < accepted.Count) merged.Add(accepted[i++]);
            return merged;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SkillForge.Distillation.Offline
{
    /// <summary>Word, term and sentence handling shared by the offline composers. Deterministic and culture-free.</summary>
    internal static class OfflineText
    {
        /// <summary>Words an agent-skill name or trigger should not be built from.</summary>
        private static readonly HashSet<string> StopWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "a", "about", "above", "after", "again", "against", "all", "also", "always", "am", "an", "and", "any",
            "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
            "can", "cannot", "could", "did", "do", "does", "doing", "done", "don", "down", "during", "each", "else",
            "etc", "ever", "every", "few", "first", "for", "from", "further", "get", "gets", "got", "had", "has",
            "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it",
            "its", "itself", "just", "keep", "let", "like", "make", "makes", "may", "me", "might", "more", "most",
            "much", "must", "my", "need", "needs", "never", "no", "nor", "not", "now", "of", "off", "often", "on",
            "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "per", "please", "prefer",
            "put", "rather", "really", "same", "see", "set", "she", "should", "since", "so", "some", "such", "sure",
            "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "thing", "things",
            "this", "those", "through", "to", "too", "try", "under", "until", "up", "upon", "us", "use", "used",
            "uses", "using", "usually", "very", "via", "want", "was", "way", "we", "well", "were", "what", "when",
            "where", "whether", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would",
            "yes", "yet", "you", "your", "yours", "user", "users", "remember", "note", "notes", "important",
            "instead", "new", "work", "works", "good", "better", "best", "things", "something", "anything",
        };

        public static bool IsStopWord(string word) => StopWords.Contains(word);

        /// <summary>Lower-case words (maximal runs of letters and digits) after NFKC normalisation.</summary>
        public static List<string> Words(string text)
        {
            var words = new List<string>();
            var normalized = text.Normalize(NormalizationForm.FormKC);
            var sb = new StringBuilder();
            for (int i = 0; i < normalized.Length; i++)
            {
                char c = normalized[i];
                if (char.IsLetterOrDigit(c))
                {
                    sb.Append(char.ToLowerInvariant(c));
                }
                else if (char.IsHighSurrogate(c) && i + 1 < normalized.Length && char.IsLetter(normalized, i))
                {
                    sb.Append(c).Append(normalized[++i]);
                }
                else if (sb.Length > 0)
                {
                    words.Add(sb.ToString());
                    sb.Clear();
                }
            }
            if (sb.Length > 0) words.Add(sb.ToString());
            return words;
        }

        /// <summary>The word as ASCII letters and digits only (accents folded), or empty.</summary>
        public static string AsciiFold(string word)
        {
            var decomposed = word.Normalize(NormalizationForm.FormKD);
            var sb = new StringBuilder(decomposed.Length);
            foreach (char c in decomposed)
            {
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) sb.Append(c);
                else if (c >= 'A' && c <= 'Z') sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }

        /// <summary>
        /// A term worth naming or indexing a skill by: not a stop word, not a bare number, at least three
        /// characters once folded to ASCII. Returns the folded form, or null.
        /// </summary>
        public static string? Term(string word)
        {
            if (IsStopWord(word)) return null;
            var folded = AsciiFold(word);
            if (folded.Length < 3 || IsStopWord(folded)) return null;
            bool allDigits = true;
            foreach (char c in folded) if (c < '0' || c > '9') { allDigits = false; break; }
            return allDigits ? null : folded;
        }

        /// <summary>Joins terms into a kebab-case skill name of at most maxLength characters (valid by construction).</summary>
        public static string KebabName(IEnumerable<string> terms, int maxLength = 64)
        {
            var sb = new StringBuilder();
            foreach (var raw in terms)
            {
                var term = AsciiFold(raw);
                if (term.Length == 0) continue;
                int needed = sb.Length == 0 ? term.Length : term.Length + 1;
                if (sb.Length + needed > maxLength)
                {
                    if (sb.Length == 0) sb.Append(term.Substring(0, maxLength));
                    break;
                }
                if (sb.Length > 0) sb.Append('-');
                sb.Append(term);
            }
            return sb.ToString();
        }

        /// <summary>A crude English singular, enough to treat "migrations" and "migration" as one term.</summary>
        public static string Stem(string term)
        {
            if (term.Length > 4 && term.EndsWith("ies", StringComparison.Ordinal)) return term.Substring(0, term.Length - 3) + "y";
            if (term.Length > 3 && term.EndsWith("s", StringComparison.Ordinal) && !term.EndsWith("ss", StringComparison.Ordinal)
                && !term.EndsWith("us", StringComparison.Ordinal) && !term.EndsWith("is", StringComparison.Ordinal))
                return term.Substring(0, term.Length - 1);
            return term;
        }

        /// <summary>Collapses whitespace runs (line breaks included) to one space and trims.</summary>
        public static string CollapseWhitespace(string text)
        {
            var sb = new StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    space = sb.Length > 0;
                    continue;
                }
                if (space) { sb.Append(' '); space = false; }
                sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>Cuts text at a word boundary to at most maxChars characters, adding "…" when cut.</summary>
        public static string CutAtWord(string text, int maxChars)
        {
            if (text.Length <= maxChars) return text;
            int cut = text.LastIndexOf(' ', Math.Max(0, maxChars - 1));
            if (cut < maxChars / 2) cut = maxChars - 1;
            if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
            return text.Substring(0, cut).TrimEnd(' ', ',', ';', ':', '-') + "…";
        }

        /// <summary>Angle brackets become parentheses (descriptions must not carry them: some runtimes read them as markup).</summary>
        public static string NoAngleBrackets(string text) =>
            text.Replace('<', '(').Replace('>', ')').Replace('\u2039', '(').Replace('\u203A', ')');

        /// <summary>Upper-cases the first letter (invariant culture).</summary>
        public static string Capitalize(string text)
        {
            if (text.Length == 0 || !char.IsLower(text[0])) return text;
            return char.ToUpperInvariant(text[0]) + text.Substring(1);
        }

        /// <summary>Jaccard similarity of two word sets.</summary>
        public static double Jaccard(HashSet<string> a, HashSet<string> b)
        {
            if (a.Count == 0 && b.Count == 0) return 1;
            int common = 0;
            var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
            foreach (var w in small) if (large.Contains(w)) common++;
            int union = a.Count + b.Count - common;
            return union == 0 ? 0 : (double)common / union;
        }

        public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string Invariant(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
    }
}

using System;
using System.Collections.Generic;
using System.Text;

namespace SkillForge.Distillation.Offline
{
    /// <summary>
    /// Splits memory text into sentences an agent can follow as steps. Line structure counts: a list item or a
    /// heading starts a new unit, wrapped prose lines are joined, list markers and heading marks are removed.
    /// Sentence ends are . ! ? (and their full-width forms) followed by a space and an upper-case letter, a digit,
    /// a quote or a bracket; "e.g." and similar abbreviations do not end a sentence.
    /// </summary>
    internal static class SentenceSplitter
    {
        private static readonly HashSet<string> Abbreviations = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "e.g", "i.e", "etc", "vs", "cf", "approx", "no", "fig", "eg", "ie", "mr", "mrs", "ms", "dr", "st", "inc", "ltd",
        };

        /// <summary>Normalised sentences (one line each, whitespace collapsed), in text order.</summary>
        public static List<string> Split(string text)
        {
            var result = new List<string>();
            foreach (var unit in Units(text))
            {
                foreach (var sentence in SplitUnit(unit))
                {
                    foreach (var clause in SplitClauses(sentence))
                    {
                        var clean = Clean(clause);
                        if (clean != null) result.Add(clean);
                    }
                }
            }
            return result;
        }

        /// <summary>Clauses joined by "; " are separate statements when each side has at least three words.</summary>
        private static IEnumerable<string> SplitClauses(string sentence)
        {
            int start = 0;
            for (int i = sentence.IndexOf("; ", StringComparison.Ordinal); i >= 0; i = sentence.IndexOf("; ", i + 2, StringComparison.Ordinal))
            {
                var left = sentence.Substring(start, i - start);
                var right = sentence.Substring(i + 2);
                if (OfflineText.Words(left).Count < 3 || OfflineText.Words(right).Count < 3) continue;
                yield return left;
                start = i + 2;
            }
            yield return sentence.Substring(start);
        }

        private static IEnumerable<string> Units(string text)
        {
            var paragraph = new StringBuilder();
            var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            foreach (var rawLine in lines)
            {
                var line = rawLine.Trim();
                if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal) || IsRule(line))
                {
                    line = "";
                }
                bool blank = line.Length == 0;
                bool heading = line.StartsWith("#", StringComparison.Ordinal);
                var item = StripListMarker(line, out bool isItem);
                if (blank || heading || isItem)
                {
                    if (paragraph.Length > 0) { yield return paragraph.ToString(); paragraph.Clear(); }
                    if (heading || blank) continue;
                    paragraph.Append(item);
                    continue;
                }
                if (paragraph.Length > 0) paragraph.Append(' ');
                paragraph.Append(line);
            }
            if (paragraph.Length > 0) yield return paragraph.ToString();
        }

        /// <summary>A thematic break or fence-like line (---, ***, ===, ___) separates units and is not text.</summary>
        private static bool IsRule(string line)
        {
            if (line.Length < 3) return false;
            char c = line[0];
            if (c != '-' && c != '*' && c != '=' && c != '_') return false;
            foreach (char x in line) if (x != c && x != ' ') return false;
            return true;
        }

        private static string StripListMarker(string line, out bool isItem)
        {
            isItem = false;
            if (line.Length >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+' || line[0] == '\u2022') && char.IsWhiteSpace(line[1]))
            {
                isItem = true;
                return line.Substring(2).TrimStart();
            }
            if (line.Length >= 1 && line[0] == '\u2022')
            {
                isItem = true;
                return line.Substring(1).TrimStart();
            }
            int i = 0;
            while (i < line.Length && i < 4 && char.IsDigit(line[i])) i++;
            if (i > 0 && i + 1 < line.Length && (line[i] == '.' || line[i] == ')') && char.IsWhiteSpace(line[i + 1]))
            {
                isItem = true;
                return line.Substring(i + 2).TrimStart();
            }
            return line;
        }

        private static IEnumerable<string> SplitUnit(string unit)
        {
            int start = 0;
            for (int i = 0; i < unit.Length; i++)
            {
                char c = unit[i];
                bool fullWidth = c == '\u3002' || c == '\uFF01' || c == '\uFF1F';
                if (!fullWidth && c != '.' && c != '!' && c != '?') continue;
                if (fullWidth)
                {
                    yield return unit.Substring(start, i + 1 - start);
                    start = i + 1;
                    continue;
                }
                // Closing quotes or brackets right after the mark belong to the sentence.
                int end = i + 1;
                while (end < unit.Length && (unit[end] == '"' || unit[end] == '\'' || unit[end] == ')' || unit[end] == '\u201D' || unit[end] == '\u2019')) end++;
                if (end >= unit.Length) break;
                if (!char.IsWhiteSpace(unit[end])) continue;
                int next = end;
                while (next < unit.Length && char.IsWhiteSpace(unit[next])) next++;
                if (next >= unit.Length) break;
                char n = unit[next];
                bool startsSentence = char.IsUpper(n) || char.IsDigit(n) || n == '"' || n == '\'' || n == '(' || n == '[' || n == '`' || n == '\u201C';
                if (!startsSentence) continue;
                if (c == '.' && EndsWithAbbreviation(unit, start, i)) continue;
                yield return unit.Substring(start, end - start);
                start = next;
                i = next - 1;
            }
            if (start < unit.Length) yield return unit.Substring(start);
        }

        private static bool EndsWithAbbreviation(string unit, int start, int dot)
        {
            int wordStart = dot;
            while (wordStart > start && !char.IsWhiteSpace(unit[wordStart - 1]) && unit[wordStart - 1] != '(') wordStart--;
            var word = unit.Substring(wordStart, dot - wordStart);
            if (word.Length == 1 && char.IsLetter(word[0])) return true; // an initial: "J. Smith"
            return Abbreviations.Contains(word);
        }

        /// <summary>One line, whitespace collapsed, first letter upper-case, ending in punctuation; null for fragments.</summary>
        private static string? Clean(string sentence)
        {
            var s = OfflineText.CollapseWhitespace(sentence);
            if (s.Length == 0) return null;
            var words = OfflineText.Words(s);
            if (words.Count < 2) return null;
            if (s.EndsWith(":", StringComparison.Ordinal))
            {
                if (words.Count < 6) return null;
                s = s.Substring(0, s.Length - 1) + ".";
            }
            s = OfflineText.Capitalize(s);
            char last = s[s.Length - 1];
            bool terminated = last == '.' || last == '!' || last == '?' || last == '\u3002' || last == '\uFF01' || last == '\uFF1F'
                || last == '"' || last == '\'' || last == ')' || last == '`' || last == '\u201D' || last == '…';
            if (!terminated) s += ".";
            return s;
        }
    }
}

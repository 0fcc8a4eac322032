using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace SkillForge.Distillation
{
    /// <summary>Keeps API keys out of everything SkillForge prints.</summary>
    public static class ApiKeyMask
    {
        /// <summary>
        /// "****" plus at most the last four characters, and those only for a key long enough (16+) that
        /// four characters reveal nothing useful. Empty for no key.
        /// </summary>
        public static string Mask(string? key)
        {
            if (string.IsNullOrEmpty(key)) return "";
            return key!.Length >= 16 ? "****" + key.Substring(key.Length - 4) : "****";
        }

        /// <summary>
        /// Removes every occurrence of the key from a text, however a server echoes it: as written, in another case,
        /// spaced out, base64-encoded (alone or inside a longer base64 text such as a Basic header), or in part.
        /// </summary>
        public static string Scrub(string? text, string? key)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            if (string.IsNullOrEmpty(key) || key!.Length < 4) return text!;
            string mask = Mask(key);
            // The key in any case, with blanks or separators between its characters ("S K - A B C").
            string spaced = string.Join(@"[\s\-_.:,]*", key.Select(c => Regex.Escape(c.ToString())));
            string result = Regex.Replace(text!, spaced, mask, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            foreach (var encoded in Base64Forms(key))
                result = Regex.Replace(result, Regex.Escape(encoded), "****", RegexOptions.CultureInvariant);
            // A server may quote part of the key (e.g. its first 8 or last 8 characters): hide any
            // 8-character stretch of the key that still appears, in any case.
            if (key.Length >= 12)
            {
                for (int i = 0; i + 8 <= key.Length; i++)
                {
                    string fragment = key.Substring(i, 8);
                    if (result.IndexOf(fragment, StringComparison.OrdinalIgnoreCase) >= 0)
                        result = Regex.Replace(result, Regex.Escape(fragment), "****", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
                }
            }
            return result;
        }

        /// <summary>
        /// The part of the key's base64 (standard and URL-safe) that is the same wherever the key starts inside a longer
        /// encoded text: for each of the three byte alignments, the characters that depend on the key's bytes only.
        /// </summary>
        private static IEnumerable<string> Base64Forms(string key)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            for (int offset = 0; offset < 3; offset++)
            {
                var padded = new byte[offset + bytes.Length];
                Buffer.BlockCopy(bytes, 0, padded, offset, bytes.Length);
                string encoded = Convert.ToBase64String(padded);
                // Characters before the key's first full group and after its last full group mix in other bytes.
                int first = (offset + 2) / 3 * 4;
                int last = (offset + bytes.Length) / 3 * 4;
                if (last - first < 8) continue;
                string stable = encoded.Substring(first, last - first);
                yield return stable;
                yield return stable.Replace('+', '-').Replace('/', '_');
            }
        }
    }
}

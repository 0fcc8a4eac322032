using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SkillForge
{
    /// <summary>Small text helpers shared across Core.</summary>
    public static class TextUtil
    {
        /// <summary>Cuts text to at most maxChars UTF-16 units without splitting a surrogate pair, adding "…" when cut.</summary>
        public static string Truncate(string text, int maxChars)
        {
            if (text.Length <= maxChars) return text;
            int cut = maxChars - 1;
            if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
            return text.Substring(0, Math.Max(0, cut)) + "…";
        }

        /// <summary>Length in Unicode code points (an emoji counts once).</summary>
        public static int CodePointLength(string text)
        {
            int count = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                count++;
            }
            return count;
        }

        /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of text.</summary>
        public static string Sha256Hex(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var sb = new StringBuilder(hash.Length * 2);
            foreach (var b in hash) sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}

using System;

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

        /// <summary>Removes every occurrence of the key (and of its long fragments) from a text.</summary>
        public static string Scrub(string? text, string? key)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            if (string.IsNullOrEmpty(key) || key!.Length < 4) return text!;
            string result = text!.Replace(key, Mask(key));
            // A server may quote part of the key (e.g. its first 8 or last 8 characters): hide any
            // 8-character stretch of the key that still appears.
            if (key.Length >= 12)
            {
                for (int i = 0; i + 8 <= key.Length; i++)
                {
                    string fragment = key.Substring(i, 8);
                    if (result.IndexOf(fragment, StringComparison.Ordinal) >= 0) result = result.Replace(fragment, "****");
                }
            }
            return result;
        }
    }
}

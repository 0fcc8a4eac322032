using System;
using System.Globalization;
using System.Text;

namespace SkillForge.Skills
{
    /// <summary>ConvertTo-SkillSlug: a name that is a valid skill name and folder name.</summary>
    public static class SkillSlug
    {
        public const int MaxLength = 64;
        public const string Fallback = "unnamed-skill";

        /// <summary>
        /// Lower-case a-z and 0-9, every other run of characters one hyphen, no hyphen at either end, accents
        /// folded (Café → cafe), at most 64 characters (cut at a hyphen when that keeps at least half), empty → unnamed-skill.
        /// Letters with no Latin form (CJK, Cyrillic, …) are dropped.
        /// </summary>
        public static string From(string? text)
        {
            if (string.IsNullOrEmpty(text)) return Fallback;
            var decomposed = WithoutLoneSurrogates(text!).Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD);

            var sb = new StringBuilder(Math.Min(decomposed.Length, 256));
            bool pendingHyphen = false;
            foreach (char raw in decomposed)
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(raw);
                if (category == UnicodeCategory.NonSpacingMark || category == UnicodeCategory.EnclosingMark) continue;
                var folded = Fold(char.ToLowerInvariant(raw));
                if (folded == null)
                {
                    pendingHyphen = sb.Length > 0;
                    continue;
                }
                if (pendingHyphen) sb.Append('-');
                pendingHyphen = false;
                sb.Append(folded);
            }
            var slug = Shorten(sb.ToString(), MaxLength);
            return slug.Length == 0 ? Fallback : slug;
        }

        /// <summary>
        /// The name of the n-th skill that wants baseName (n ≥ 2): "baseName-n", the base shortened (at a hyphen
        /// when possible) so the result stays within 64 characters. n = 1 returns baseName.
        /// </summary>
        public static string WithSuffix(string baseName, int n)
        {
            if (baseName == null) throw new ArgumentNullException(nameof(baseName));
            if (n < 1) throw new ArgumentOutOfRangeException(nameof(n));
            if (n == 1) return baseName;
            var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
            var head = Shorten(baseName, MaxLength - suffix.Length);
            return (head.Length == 0 ? "skill" : head) + suffix;
        }

        /// <summary>Cuts a slug to at most max characters, at a hyphen when that keeps at least half, never ending in a hyphen.</summary>
        internal static string Shorten(string slug, int max)
        {
            if (slug.Length > max)
            {
                int hyphen = slug.LastIndexOf('-', max);
                slug = hyphen >= max / 2 ? slug.Substring(0, hyphen) : slug.Substring(0, max);
            }
            return slug.Trim('-');
        }

        /// <summary>Lone surrogates (which cannot be normalised) become U+FFFD, which the slug drops.</summary>
        private static string WithoutLoneSurrogates(string text)
        {
            StringBuilder? sb = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                if (pair)
                {
                    sb?.Append(c).Append(text[i + 1]);
                    i++;
                    continue;
                }
                if (char.IsSurrogate(c))
                {
                    sb ??= new StringBuilder(text, 0, i, text.Length);
                    sb.Append('\uFFFD');
                    continue;
                }
                sb?.Append(c);
            }
            return sb?.ToString() ?? text;
        }

        private static string? Fold(char c)
        {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return c.ToString();
            switch (c)
            {
                case 'ß': return "ss";
                case 'æ': return "ae";
                case 'œ': return "oe";
                case 'ø': return "o";
                case 'đ': return "d";
                case 'ð': return "d";
                case 'ł': return "l";
                case 'þ': return "th";
                case 'ı': return "i";
                case 'ħ': return "h";
                default: return null;
            }
        }
    }
}

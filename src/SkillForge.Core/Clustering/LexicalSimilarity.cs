using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace SkillForge.Clustering
{
    /// <summary>
    /// Find-MemoryCluster's lexical similarity: the Jaccard similarity of the sets of word unigrams and word
    /// bigrams of two texts, after NFKC normalisation and lower-casing. A word is a maximal run of letters and
    /// decimal digits (any script, supplementary planes included); combining marks that follow a letter or
    /// digit stay in its word. Everything else (spaces, punctuation, symbols, emoji) separates words.
    /// </summary>
    public static class LexicalSimilarity
    {
        /// <summary>The text as words are read from it: NFKC-normalised and lower-cased (invariant culture).</summary>
        public static string Normalize(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            bool ascii = true, upper = false;
            foreach (char c in text!)
            {
                if (c >= 0x80) { ascii = false; break; }
                if (c >= 'A' && c <= 'Z') upper = true;
            }
            if (ascii) return upper ? text.ToLowerInvariant() : text;

            string normalized;
            try
            {
                normalized = text.Normalize(NormalizationForm.FormKC);
            }
            catch (ArgumentException)
            {
                // Lone surrogates make Normalize throw: they are not text, so they become U+FFFD (a separator).
                normalized = ReplaceLoneSurrogates(text).Normalize(NormalizationForm.FormKC);
            }
            return normalized.ToLowerInvariant();
        }

        /// <summary>The words of a text, in order, after <see cref="Normalize"/>.</summary>
        public static IReadOnlyList<string> Words(string? text)
        {
            var s = Normalize(text);
            var bounds = new int[16];
            int count = WordScanner.Scan(s, ref bounds);
            var words = new string[count];
            for (int i = 0; i < count; i++) words[i] = s.Substring(bounds[2 * i], bounds[2 * i + 1]);
            return words;
        }

        /// <summary>The distinct shingles of a text: each word, and each pair of adjacent words joined by a space.</summary>
        public static ISet<string> Shingles(string? text)
        {
            var words = Words(text);
            var set = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < words.Count; i++)
            {
                set.Add(words[i]);
                if (i + 1 < words.Count) set.Add(words[i] + " " + words[i + 1]);
            }
            return set;
        }

        /// <summary>
        /// |shared shingles| / |all shingles| of two texts, from 0 to 1. Two texts without any word score 0:
        /// there is nothing to compare.
        /// </summary>
        public static double Jaccard(string? a, string? b)
        {
            var sa = Shingles(a);
            var sb = Shingles(b);
            if (sa.Count == 0 || sb.Count == 0) return 0;
            int shared = 0;
            foreach (var s in sa) if (sb.Contains(s)) shared++;
            return (double)shared / (sa.Count + sb.Count - shared);
        }

        /// <summary>Jaccard similarity of two sorted, duplicate-free shingle arrays.</summary>
        internal static double Jaccard(ulong[] a, ulong[] b)
        {
            int shared = SharedCount(a, b);
            int union = a.Length + b.Length - shared;
            return union == 0 ? 0 : (double)shared / union;
        }

        internal static int SharedCount(ulong[] a, ulong[] b)
        {
            int i = 0, j = 0, shared = 0;
            int na = a.Length, nb = b.Length;
            while (i < na && j < nb)
            {
                // Branch-free merge step: the comparisons become 0/1 increments.
                ulong x = a[i], y = b[j];
                shared += x == y ? 1 : 0;
                i += x <= y ? 1 : 0;
                j += y <= x ? 1 : 0;
            }
            return shared;
        }

        private static string ReplaceLoneSurrogates(string text)
        {
            var chars = text.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) { i++; continue; }
                if (char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
            }
            return new string(chars);
        }
    }

    /// <summary>Finds word boundaries in normalised text.</summary>
    internal static class WordScanner
    {
        /// <summary>Fills bounds with (start, length) pairs, growing it as needed; returns the number of words.</summary>
        internal static int Scan(string s, ref int[] bounds)
        {
            int count = 0;
            int start = -1;
            int i = 0;
            while (i < s.Length)
            {
                char c = s[i];
                int width = 1;
                bool word, mark = false;
                if (c < 0x80)
                {
                    word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
                }
                else
                {
                    UnicodeCategory cat;
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        cat = CharUnicodeInfo.GetUnicodeCategory(s, i);
                        width = 2;
                    }
                    else
                    {
                        cat = CharUnicodeInfo.GetUnicodeCategory(c);
                    }
                    switch (cat)
                    {
                        case UnicodeCategory.UppercaseLetter:
                        case UnicodeCategory.LowercaseLetter:
                        case UnicodeCategory.TitlecaseLetter:
                        case UnicodeCategory.ModifierLetter:
                        case UnicodeCategory.OtherLetter:
                        case UnicodeCategory.DecimalDigitNumber:
                            word = true;
                            break;
                        case UnicodeCategory.NonSpacingMark:
                        case UnicodeCategory.SpacingCombiningMark:
                        case UnicodeCategory.EnclosingMark:
                            word = false;
                            mark = true;
                            break;
                        default:
                            word = false;
                            break;
                    }
                }

                if (word || (mark && start >= 0))
                {
                    if (start < 0) start = i;
                }
                else if (start >= 0)
                {
                    Add(ref bounds, ref count, start, i - start);
                    start = -1;
                }
                i += width;
            }
            if (start >= 0) Add(ref bounds, ref count, start, s.Length - start);
            return count;
        }

        private static void Add(ref int[] bounds, ref int count, int start, int length)
        {
            if (2 * count + 2 > bounds.Length) Array.Resize(ref bounds, bounds.Length * 2);
            bounds[2 * count] = start;
            bounds[2 * count + 1] = length;
            count++;
        }
    }

    /// <summary>
    /// Gives every distinct word a small integer id (exact: equal ids mean equal words), so shingles are
    /// exact 64-bit keys: a unigram is (id+1)&lt;&lt;32, a bigram ((id1+1)&lt;&lt;32) | (id2+1). Not thread-safe.
    /// </summary>
    internal sealed class WordInterner
    {
        private char[] _chars = new char[1 << 16];
        private int _charCount;
        private int[] _start = new int[1024];
        private int[] _length = new int[1024];
        private int[] _hash = new int[1024];
        private int[] _table = new int[2048]; // id + 1, 0 = empty
        private int _count;

        public int Count => _count;

        public int Intern(string s, int start, int length)
        {
            int h = Hash(s, start, length);
            int mask = _table.Length - 1;
            int slot = h & mask;
            while (true)
            {
                int entry = _table[slot];
                if (entry == 0) break;
                int id = entry - 1;
                if (_hash[id] == h && _length[id] == length && Same(id, s, start, length)) return id;
                slot = (slot + 1) & mask;
            }

            int newId = _count++;
            if (newId == _start.Length)
            {
                Array.Resize(ref _start, newId * 2);
                Array.Resize(ref _length, newId * 2);
                Array.Resize(ref _hash, newId * 2);
            }
            if (_charCount + length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charCount + length));
            s.CopyTo(start, _chars, _charCount, length);
            _start[newId] = _charCount;
            _length[newId] = length;
            _hash[newId] = h;
            _charCount += length;
            _table[slot] = newId + 1;
            if (_count * 2 > _table.Length) Rehash();
            return newId;
        }

        private bool Same(int id, string s, int start, int length)
        {
            int o = _start[id];
            for (int k = 0; k < length; k++)
                if (_chars[o + k] != s[start + k]) return false;
            return true;
        }

        private void Rehash()
        {
            var table = new int[_table.Length * 2];
            int mask = table.Length - 1;
            for (int id = 0; id < _count; id++)
            {
                int slot = _hash[id] & mask;
                while (table[slot] != 0) slot = (slot + 1) & mask;
                table[slot] = id + 1;
            }
            _table = table;
        }

        private static int Hash(string s, int start, int length)
        {
            unchecked
            {
                uint h = 2166136261;
                for (int k = 0; k < length; k++) h = (h ^ s[start + k]) * 16777619;
                h ^= h >> 15;
                h *= 0x2c1b3c6d;
                h ^= h >> 12;
                return (int)(h & 0x7fffffff);
            }
        }
    }
}

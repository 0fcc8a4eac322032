using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace SkillForge
{
    /// <summary>
    /// How many values of each kind the redaction pass replaced (kind → count, kinds in ordinal order).
    /// It holds counts only, never a value. Index it by kind: $prompt.Redactions['email'] (0 for a kind not found).
    /// </summary>
    public sealed class RedactionCounts : IReadOnlyDictionary<string, int>
    {
        private readonly SortedDictionary<string, int> _counts = new SortedDictionary<string, int>(StringComparer.Ordinal);

        /// <summary>All values replaced, every kind together.</summary>
        public int Total => _counts.Values.Sum();

        public int Count => _counts.Count;

        public IEnumerable<string> Keys => _counts.Keys;

        public IEnumerable<int> Values => _counts.Values;

        public int this[string key] => key != null && _counts.TryGetValue(key, out var n) ? n : 0;

        public void Add(string kind, int count = 1)
        {
            if (string.IsNullOrEmpty(kind)) throw new ArgumentException("A kind is required.", nameof(kind));
            if (count <= 0) return;
            _counts[kind] = this[kind] + count;
        }

        public void Add(RedactionCounts? other)
        {
            if (other == null) return;
            foreach (var pair in other._counts) Add(pair.Key, pair.Value);
        }

        public bool ContainsKey(string key) => key != null && _counts.ContainsKey(key);

        public bool TryGetValue(string key, out int value)
        {
            value = this[key];
            return value > 0;
        }

        public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => _counts.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>"1 email, 2 github-token", or "none".</summary>
        public override string ToString() =>
            _counts.Count == 0 ? "none" : string.Join(", ", _counts.Select(p => p.Value + " " + p.Key));
    }
}

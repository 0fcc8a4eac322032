using System;
using System.Text;
using System.Text.Json;

namespace SkillForge.IO
{
    /// <summary>
    /// Finds JSON properties whatever naming style the exporter used: <c>access_count</c>, <c>accessCount</c>,
    /// <c>AccessCount</c> and <c>access-count</c> are the same field. Names are compared after normalising:
    /// ASCII letters lower-cased, <c>_</c>, <c>-</c> and spaces removed.
    /// </summary>
    public static class JsonFields
    {
        /// <summary>The normalised form of a property name: "Access_Count" → "accesscount".</summary>
        public static string Normalize(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            var sb = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (c == '_' || c == '-' || c == ' ') continue;
                sb.Append(c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
            }
            return sb.ToString();
        }

        /// <summary>True when two property names are the same field after normalising.</summary>
        public static bool NamesMatch(string a, string b)
        {
            if (a == null) throw new ArgumentNullException(nameof(a));
            if (b == null) throw new ArgumentNullException(nameof(b));
            int i = 0, j = 0;
            while (true)
            {
                while (i < a.Length && IsIgnored(a[i])) i++;
                while (j < b.Length && IsIgnored(b[j])) j++;
                if (i == a.Length || j == b.Length) return i == a.Length && j == b.Length;
                if (Lower(a[i]) != Lower(b[j])) return false;
                i++;
                j++;
            }
        }

        /// <summary>
        /// Finds the first of <paramref name="names"/> (in the order given: the first name wins when an object
        /// holds several) among the properties of <paramref name="obj"/>. A JSON null counts as absent.
        /// </summary>
        public static bool TryGet(JsonElement obj, out JsonElement value, params string[] names)
        {
            value = default;
            if (names == null) throw new ArgumentNullException(nameof(names));
            if (obj.ValueKind != JsonValueKind.Object) return false;
            int best = int.MaxValue;
            foreach (var property in obj.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null) continue;
                string name = property.Name;
                for (int n = 0; n < names.Length && n < best; n++)
                {
                    if (NamesMatch(name, names[n]))
                    {
                        best = n;
                        value = property.Value;
                        break;
                    }
                }
                if (best == 0) break;
            }
            return best != int.MaxValue;
        }

        /// <summary>The named property as a string: JSON strings as they are, numbers and booleans as their JSON text; null when absent.</summary>
        public static string? GetString(JsonElement obj, params string[] names)
        {
            if (!TryGet(obj, out var value, names)) return null;
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
        }

        /// <summary>
        /// Writes the normalised form of a raw (unescaped) UTF-8 property name into <paramref name="destination"/>.
        /// Returns the length, or -1 when it does not fit (such a name matches no known field).
        /// </summary>
        internal static int NormalizeUtf8(ReadOnlySpan<byte> name, Span<byte> destination)
        {
            int length = 0;
            foreach (byte b in name)
            {
                if (b == (byte)'_' || b == (byte)'-' || b == (byte)' ') continue;
                if (length == destination.Length) return -1;
                destination[length++] = b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b + 32) : b;
            }
            return length;
        }

        private static bool IsIgnored(char c) => c == '_' || c == '-' || c == ' ';

        private static char Lower(char c) => c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
}

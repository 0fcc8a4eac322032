using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SkillForge.IO;

namespace SkillForge.Import.Formats.Common
{
    /// <summary>Tolerant access to JSON fields as the foreign formats write them.</summary>
    internal static class JsonValues
    {
        /// <summary>
        /// The property named <paramref name="snakeName"/>, or its camelCase or PascalCase form, when the element
        /// is an object and the value is not null.
        /// </summary>
        public static bool TryProp(JsonElement obj, string snakeName, out JsonElement value)
        {
            value = default;
            if (obj.ValueKind != JsonValueKind.Object) return false;
            if (obj.TryGetProperty(snakeName, out value) && value.ValueKind != JsonValueKind.Null && value.ValueKind != JsonValueKind.Undefined) return true;
            if (snakeName.IndexOf('_') >= 0)
            {
                var camel = Camel(snakeName);
                if (obj.TryGetProperty(camel, out value) && value.ValueKind != JsonValueKind.Null) return true;
                var pascal = char.ToUpperInvariant(camel[0]) + camel.Substring(1);
                if (obj.TryGetProperty(pascal, out value) && value.ValueKind != JsonValueKind.Null) return true;
            }
            else if (snakeName.Length > 0 && char.IsLower(snakeName[0]))
            {
                var pascal = char.ToUpperInvariant(snakeName[0]) + snakeName.Substring(1);
                if (obj.TryGetProperty(pascal, out value) && value.ValueKind != JsonValueKind.Null) return true;
            }
            value = default;
            return false;
        }

        /// <summary>A scalar field as text: a string's value, a number's raw digits (never through double), true/false.</summary>
        public static string? Str(JsonElement obj, string snakeName) =>
            TryProp(obj, snakeName, out var v) ? Scalar(v) : null;

        /// <summary>A scalar as text, or null for objects, arrays and null.</summary>
        public static string? Scalar(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.String: return v.GetString();
                case JsonValueKind.Number: return v.GetRawText();
                case JsonValueKind.True: return "true";
                case JsonValueKind.False: return "false";
                default: return null;
            }
        }

        /// <summary>Any value as text: a string's value, or the raw JSON of anything else.</summary>
        public static string Text(JsonElement v) => v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.GetRawText();

        /// <summary>true, "true" (any case) or a non-zero number.</summary>
        public static bool IsTrue(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.True: return true;
                case JsonValueKind.String: return string.Equals(v.GetString()?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
                case JsonValueKind.Number: return v.GetRawText().Trim('0', '.', '-').Length > 0;
                default: return false;
            }
        }

        /// <summary>The strings of an array field (non-string items as their text), or of a single string field.</summary>
        public static List<string> Strings(JsonElement obj, string snakeName)
        {
            var list = new List<string>();
            if (!TryProp(obj, snakeName, out var v)) return list;
            if (v.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in v.EnumerateArray())
                {
                    var s = Scalar(item);
                    if (!string.IsNullOrWhiteSpace(s)) list.Add(s!.Trim());
                }
            }
            else
            {
                var s = Scalar(v);
                if (!string.IsNullOrWhiteSpace(s)) list.Add(s!.Trim());
            }
            return list;
        }

        /// <summary>An ISO-8601 timestamp (or Unix seconds/milliseconds) as a DateTimeOffset; UTC when no offset is given.</summary>
        public static DateTimeOffset? Timestamp(JsonElement obj, string snakeName)
        {
            if (!TryProp(obj, snakeName, out var v)) return null;
            if (v.ValueKind == JsonValueKind.String)
            {
                return DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t) ? t : (DateTimeOffset?)null;
            }
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var n) && n > 0 && UnixTime.TryFromSecondsOrMilliseconds(n, out var date))
                return date;
            return null;
        }

        /// <summary>The start of an element's JSON, for error messages.</summary>
        public static string Snippet(JsonElement v) => TextUtil.Truncate(v.GetRawText(), 200);

        public static string Camel(string snake)
        {
            var sb = new StringBuilder(snake.Length);
            bool upper = false;
            foreach (var c in snake)
            {
                if (c == '_') { upper = sb.Length > 0; continue; }
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            return sb.ToString();
        }

        /// <summary>Distinct, non-blank tags in first-seen order (case-insensitive).</summary>
        public static string[] Tags(IEnumerable<string?> tags)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var list = new List<string>();
            foreach (var t in tags)
            {
                if (string.IsNullOrWhiteSpace(t)) continue;
                var tag = t!.Trim();
                if (seen.Add(tag)) list.Add(tag);
            }
            return list.ToArray();
        }
    }

    /// <summary>Builds the small JSON objects stored in TraceEvent.Data.</summary>
    internal sealed class JsonObjectBuilder
    {
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private readonly MemoryStream _buffer = new MemoryStream();
        private readonly Utf8JsonWriter _writer;

        public JsonObjectBuilder()
        {
            _writer = new Utf8JsonWriter(_buffer, WriterOptions);
            _writer.WriteStartObject();
        }

        public JsonObjectBuilder String(string name, string? value)
        {
            if (value == null) _writer.WriteNull(name);
            else _writer.WriteString(name, value);
            return this;
        }

        public JsonObjectBuilder StringIfPresent(string name, string? value)
        {
            if (value != null) _writer.WriteString(name, value);
            return this;
        }

        /// <summary>
        /// Writes text that may itself be JSON (tool arguments and results are JSON inside strings): embedded as
        /// JSON when it parses as an object or array and fits maxChars, else as a string cut to maxChars.
        /// </summary>
        public JsonObjectBuilder MaybeJson(string name, string? text, int maxChars)
        {
            if (text == null) { _writer.WriteNull(name); return this; }
            var trimmed = text.Trim();
            if (trimmed.Length <= maxChars && (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal)))
            {
                try
                {
                    using var doc = JsonDocument.Parse(trimmed, new JsonDocumentOptions { MaxDepth = 64 });
                    _writer.WritePropertyName(name);
                    doc.RootElement.WriteTo(_writer);
                    return this;
                }
                catch (JsonException)
                {
                    // Not JSON after all: keep it as text.
                }
            }
            _writer.WriteString(name, TextUtil.Truncate(text, maxChars));
            return this;
        }

        public string Build()
        {
            _writer.WriteEndObject();
            _writer.Flush();
            var text = Encoding.UTF8.GetString(_buffer.GetBuffer(), 0, (int)_buffer.Length);
            _writer.Dispose();
            _buffer.Dispose();
            return text;
        }
    }
}

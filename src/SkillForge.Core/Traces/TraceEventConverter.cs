using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using SkillForge.IO;

namespace SkillForge.Traces
{
    /// <summary>
    /// Turns one trace record (a JSON object, or a property bag from PowerShell objects) into a TraceEvent.
    /// Field names are matched in snake_case, camelCase and PascalCase; a record without a kind, or with a
    /// field of the wrong type, is rejected with a message that names the field.
    /// </summary>
    public static class TraceEventConverter
    {
        /// <summary>The trace id of records that carry none: the file name without its extensions (".jsonl", ".gz").</summary>
        public static string DefaultTraceId(string sourceFile)
        {
            string name = Path.GetFileName(sourceFile);
            if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name.Substring(0, name.Length - 3);
            string stem = Path.GetFileNameWithoutExtension(name);
            return stem.Length > 0 ? stem : name;
        }

        /// <summary>
        /// Converts a JSON record. Returns null and sets <paramref name="error"/> when the record cannot be a TraceEvent.
        /// TraceId is the record's own, else <paramref name="defaultTraceId"/>; Sequence is left for the caller.
        /// </summary>
        public static TraceEvent? FromJson(JsonElement record, string defaultTraceId, out string? error)
        {
            error = null;
            if (record.ValueKind != JsonValueKind.Object)
            {
                error = $"The record is a JSON {Describe(record.ValueKind)}, not an object with a \"kind\" field.";
                return null;
            }

            var ev = new TraceEvent { TraceId = defaultTraceId };
            bool hasKind = false;
            foreach (var property in record.EnumerateObject())
            {
                var value = property.Value;
                switch (TraceFieldNames.Normalize(property.Name))
                {
                    case TraceFieldNames.Kind:
                        if (!TryScalarString(value, out var kind) || kind == null || kind.Trim().Length == 0)
                        {
                            error = $"Field \"{property.Name}\" must be a non-empty string (e.g. \"action_succeeded\").";
                            return null;
                        }
                        ev.Kind = NormalizeKind(kind);
                        hasKind = true;
                        break;
                    case TraceFieldNames.ActionId:
                        if (!TryScalarString(value, out var actionId)) return Fail(out error, property.Name, "a string");
                        ev.ActionId = actionId;
                        break;
                    case TraceFieldNames.Tool:
                        if (!TryScalarString(value, out var tool)) return Fail(out error, property.Name, "a string");
                        ev.Tool = tool;
                        break;
                    case TraceFieldNames.Data:
                        ev.Data = value.GetRawText();
                        break;
                    case TraceFieldNames.DurationMs:
                        if (!TryNumber(value, out var duration)) return Fail(out error, property.Name, "a number of milliseconds");
                        ev.DurationMs = duration;
                        break;
                    case TraceFieldNames.StateBefore:
                        ev.StateBefore = value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();
                        break;
                    case TraceFieldNames.StateAfter:
                        ev.StateAfter = value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();
                        break;
                    case TraceFieldNames.Reward:
                        if (!TryNumber(value, out var reward)) return Fail(out error, property.Name, "a number");
                        ev.Reward = reward;
                        break;
                    case TraceFieldNames.TraceId:
                        if (!TryScalarString(value, out var traceId)) return Fail(out error, property.Name, "a string");
                        if (!string.IsNullOrWhiteSpace(traceId)) ev.TraceId = traceId!;
                        break;
                    case TraceFieldNames.Timestamp:
                        if (!TryTimestamp(value, out var timestamp)) return Fail(out error, property.Name, "an ISO 8601 date-time or Unix time");
                        ev.Timestamp = timestamp;
                        break;
                }
            }

            if (!hasKind)
            {
                error = "The record has no \"kind\" field (e.g. \"kind\": \"action_succeeded\"); every trace event needs one.";
                return null;
            }
            return ev;
        }

        /// <summary>
        /// Converts a property bag (names in any casing style; values plain .NET objects: strings, numbers, booleans,
        /// dates, dictionaries, lists). A string "data" or state value that holds a JSON object or array is taken as
        /// that JSON; any other value is serialised to JSON. Returns null and sets error when it cannot be a TraceEvent.
        /// </summary>
        public static TraceEvent? FromProperties(IEnumerable<KeyValuePair<string, object?>> properties, string defaultTraceId, out string? error)
        {
            error = null;
            var ev = new TraceEvent { TraceId = defaultTraceId };
            bool hasKind = false;
            foreach (var pair in properties)
            {
                object? value = pair.Value;
                switch (TraceFieldNames.Normalize(pair.Key))
                {
                    case TraceFieldNames.Kind:
                        var kind = ScalarText(value);
                        if (kind == null || kind.Trim().Length == 0)
                        {
                            error = $"Property \"{pair.Key}\" must be a non-empty string (e.g. \"action_succeeded\").";
                            return null;
                        }
                        ev.Kind = NormalizeKind(kind);
                        hasKind = true;
                        break;
                    case TraceFieldNames.ActionId:
                        ev.ActionId = ScalarText(value);
                        break;
                    case TraceFieldNames.Tool:
                        ev.Tool = ScalarText(value);
                        break;
                    case TraceFieldNames.Data:
                        ev.Data = JsonTextOf(value) ?? "null";
                        break;
                    case TraceFieldNames.StateBefore:
                        ev.StateBefore = JsonTextOf(value);
                        break;
                    case TraceFieldNames.StateAfter:
                        ev.StateAfter = JsonTextOf(value);
                        break;
                    case TraceFieldNames.DurationMs:
                        if (value == null) break;
                        if (!TryNumber(value, out var duration)) return Fail(out error, pair.Key, "a number of milliseconds");
                        ev.DurationMs = duration;
                        break;
                    case TraceFieldNames.Reward:
                        if (value == null) break;
                        if (!TryNumber(value, out var reward)) return Fail(out error, pair.Key, "a number");
                        ev.Reward = reward;
                        break;
                    case TraceFieldNames.TraceId:
                        var traceId = ScalarText(value);
                        if (!string.IsNullOrWhiteSpace(traceId)) ev.TraceId = traceId!;
                        break;
                    case TraceFieldNames.Timestamp:
                        if (value == null) break;
                        if (!TryTimestamp(value, out var timestamp)) return Fail(out error, pair.Key, "a date-time");
                        ev.Timestamp = timestamp;
                        break;
                    case TraceFieldNames.Sequence:
                        if (value != null && TryNumber(value, out var sequence) && sequence >= 0 && sequence <= int.MaxValue)
                            ev.Sequence = (int)sequence;
                        break;
                }
            }
            if (!hasKind)
            {
                error = "The object has no \"kind\" property (e.g. kind = 'action_succeeded'); every trace event needs one.";
                return null;
            }
            return ev;
        }

        /// <summary>Kinds are compared in lower case with surrounding blanks removed ("Action_Failed " → "action_failed").</summary>
        public static string NormalizeKind(string kind) => kind.Trim().ToLowerInvariant();

        private static TraceEvent? Fail(out string? error, string field, string expected)
        {
            error = $"Field \"{field}\" must be {expected}.";
            return null;
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True => "boolean",
            JsonValueKind.False => "boolean",
            JsonValueKind.Null => "null",
            _ => "value",
        };

        private static bool TryScalarString(JsonElement value, out string? text)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String: text = value.GetString(); return true;
                case JsonValueKind.Number: text = value.GetRawText(); return true;
                case JsonValueKind.Null: text = null; return true;
                default: text = null; return false;
            }
        }

        private static bool TryNumber(JsonElement value, out double? number)
        {
            number = null;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null: return true;
                // NaN and infinity (1e400, "Infinity") are no duration or reward: the field is reported, not kept.
                case JsonValueKind.Number:
                    if (value.TryGetDouble(out var n) && IsFinite(n)) { number = n; return true; }
                    return false;
                case JsonValueKind.String:
                    if (double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && IsFinite(d)) { number = d; return true; }
                    return false;
                default: return false;
            }
        }

        private static bool IsFinite(double d) => !double.IsNaN(d) && !double.IsInfinity(d);

        private static bool TryTimestamp(JsonElement value, out DateTimeOffset? timestamp)
        {
            timestamp = null;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null: return true;
                case JsonValueKind.String: return TryParseTimestamp(value.GetString() ?? "", out timestamp);
                case JsonValueKind.Number: return value.TryGetDouble(out var unix) && TryFromUnix(unix, out timestamp);
                default: return false;
            }
        }

        private static bool TryParseTimestamp(string text, out DateTimeOffset? timestamp)
        {
            timestamp = null;
            if (text.Trim().Length == 0) return true;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t))
            {
                timestamp = t;
                return true;
            }
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var unix) && TryFromUnix(unix, out timestamp);
        }

        /// <summary>Unix time in seconds, or in milliseconds when the number is too large to be seconds; false outside the range of dates.</summary>
        private static bool TryFromUnix(double value, out DateTimeOffset? timestamp)
        {
            bool ok = UnixTime.TryFromSecondsOrMilliseconds(value, out var date);
            timestamp = ok ? date : (DateTimeOffset?)null;
            return ok;
        }

        private static string? ScalarText(object? value)
        {
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case bool b: return b ? "true" : "false";
                case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
                default: return value.ToString();
            }
        }

        private static bool TryNumber(object value, out double? number)
        {
            number = null;
            switch (value)
            {
                case double d when IsFinite(d): number = d; return true;
                case float f when IsFinite(f): number = f; return true;
                case decimal m: number = (double)m; return true;
                case int i: number = i; return true;
                case long l: number = l; return true;
                case short s: number = s; return true;
                case byte b: number = b; return true;
                case uint ui: number = ui; return true;
                case ulong ul: number = ul; return true;
                case TimeSpan t: number = t.TotalMilliseconds; return true;
                case string text:
                    if (text.Trim().Length == 0) return true;
                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && IsFinite(parsed)) { number = parsed; return true; }
                    return false;
                default: return false;
            }
        }

        private static bool TryTimestamp(object value, out DateTimeOffset? timestamp)
        {
            timestamp = null;
            switch (value)
            {
                case DateTimeOffset o: timestamp = o; return true;
                case DateTime d: timestamp = d.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(d, TimeSpan.Zero) : new DateTimeOffset(d); return true;
                case string s: return TryParseTimestamp(s, out timestamp);
                default:
                    return TryNumber(value, out var unix) && unix.HasValue && TryFromUnix(unix.Value, out timestamp);
            }
        }

        /// <summary>JSON text of a value: a string holding a JSON object or array is that JSON; anything else is serialised.</summary>
        private static string? JsonTextOf(object? value)
        {
            if (value == null) return null;
            if (value is string s)
            {
                var trimmed = s.Trim();
                if (trimmed.Length > 1 && (trimmed[0] == '{' || trimmed[0] == '['))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(trimmed, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                        return doc.RootElement.GetRawText();
                    }
                    catch (JsonException)
                    {
                        // Not JSON after all: keep it as a string value.
                    }
                }
            }
            return PlainJson.Serialize(value);
        }
    }

    /// <summary>Serialises a plain .NET object graph (dictionaries, lists, scalars) to compact JSON text.</summary>
    public static class PlainJson
    {
        private const int MaxDepth = 64;

        public static string Serialize(object? value)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false }))
            {
                Write(writer, value, 0);
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static void Write(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > MaxDepth)
            {
                writer.WriteStringValue("[nested too deeply]");
                return;
            }
            switch (value)
            {
                case null: writer.WriteNullValue(); return;
                case string s: writer.WriteStringValue(s); return;
                case char c: writer.WriteStringValue(c.ToString()); return;
                case bool b: writer.WriteBooleanValue(b); return;
                case int i: writer.WriteNumberValue(i); return;
                case long l: writer.WriteNumberValue(l); return;
                case short sh: writer.WriteNumberValue(sh); return;
                case byte by: writer.WriteNumberValue(by); return;
                case uint ui: writer.WriteNumberValue(ui); return;
                case ulong ul: writer.WriteNumberValue(ul); return;
                case decimal m: writer.WriteNumberValue(m); return;
                case double d:
                    if (double.IsNaN(d) || double.IsInfinity(d)) writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                    else writer.WriteNumberValue(d);
                    return;
                case float f:
                    if (float.IsNaN(f) || float.IsInfinity(f)) writer.WriteStringValue(f.ToString(CultureInfo.InvariantCulture));
                    else writer.WriteNumberValue(f);
                    return;
                case DateTimeOffset o: writer.WriteStringValue(o.ToString("o", CultureInfo.InvariantCulture)); return;
                case DateTime dt: writer.WriteStringValue(dt.ToString("o", CultureInfo.InvariantCulture)); return;
                case Guid g: writer.WriteStringValue(g.ToString()); return;
                case Enum e: writer.WriteStringValue(e.ToString()); return;
                case JsonElement je: je.WriteTo(writer); return;
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                        Write(writer, entry.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    writer.WriteStartObject();
                    foreach (var pair in pairs)
                    {
                        writer.WritePropertyName(pair.Key);
                        Write(writer, pair.Value, depth + 1);
                    }
                    writer.WriteEndObject();
                    return;
                case IEnumerable list:
                    writer.WriteStartArray();
                    foreach (var item in list) Write(writer, item, depth + 1);
                    writer.WriteEndArray();
                    return;
                case IFormattable formattable:
                    writer.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                    return;
                default:
                    writer.WriteStringValue(value.ToString());
                    return;
            }
        }
    }
}

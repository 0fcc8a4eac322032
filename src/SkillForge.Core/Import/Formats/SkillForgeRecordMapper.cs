using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Import.Formats
{
    /// <summary>
    /// Turns one record of a SkillForge memory export (the raw bytes of one JSON object) into a MemoryDoc,
    /// straight from the token stream: no DOM, no string for any property name, repeated tier/scope/kind values
    /// shared. One instance per file (it reuses its buffers); not thread-safe.
    /// </summary>
    internal sealed class SkillForgeRecordMapper
    {
        private enum Field { Unknown, Id, Text, Tier, Scope, Tags, Kind, AccessCount, Embedding, CreatedAt }

        private sealed class Alias
        {
            public Alias(string name, Field field, int rank)
            {
                Utf8 = Encoding.ASCII.GetBytes(name);
                Field = field;
                Rank = rank;
            }

            public byte[] Utf8 { get; }
            public Field Field { get; }
            public int Rank { get; }
        }

        // Normalised names (lower case, no '_', '-' or space): "_id" is "id", "accessCount" is "accesscount".
        private static readonly Alias[] Aliases =
        {
            new Alias("id", Field.Id, 0), new Alias("uuid", Field.Id, 1), new Alias("memoryid", Field.Id, 2),
            new Alias("text", Field.Text, 0), new Alias("content", Field.Text, 1), new Alias("memory", Field.Text, 2), new Alias("value", Field.Text, 3),
            new Alias("tier", Field.Tier, 0),
            new Alias("scope", Field.Scope, 0), new Alias("namespace", Field.Scope, 1),
            new Alias("tags", Field.Tags, 0),
            new Alias("kind", Field.Kind, 0), new Alias("type", Field.Kind, 1),
            new Alias("accesscount", Field.AccessCount, 0),
            new Alias("embedding", Field.Embedding, 0),
            new Alias("createdat", Field.CreatedAt, 0),
        };

        /// <summary>The accepted spellings of the id and text fields, for messages and format recognition.</summary>
        internal const string IdNames = "id, _id, uuid or memory_id";
        internal const string TextNames = "text, content, memory or value";

        /// <summary>Tier given to a record that has none.</summary>
        public const string DefaultTier = "Core";

        private static readonly char[] TagSeparators = { ',', ';' };

        private readonly List<string> _tags = new List<string>();
        private readonly List<float> _embedding = new List<float>();
        private readonly ValueCache _cache = new ValueCache();

        public Outcome<MemoryDoc> Map(ReadOnlySpan<byte> record, string sourceFile, long line)
        {
            string? id = null, text = null, tier = null, scope = null, kind = null, problem = null;
            int idRank = int.MaxValue, textRank = int.MaxValue, scopeRank = int.MaxValue, kindRank = int.MaxValue;
            string[]? tags = null;
            long accessCount = 0;
            float[]? embedding = null;
            DateTimeOffset? createdAt = null;

            var reader = new Utf8JsonReader(record, isFinalBlock: true, new JsonReaderState(JsonRecordReader.ReaderOptions));
            try
            {
                // JSON Lines lines arrive unchecked (JsonRecordReader.CheckLines is off): this parse is the check.
                if (reader.Read() && reader.TokenType != JsonTokenType.StartObject)
                {
                    problem = $"is {JsonRecordReader.Describe(reader.TokenType)}, not a JSON object.";
                }
                while (problem == null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var alias = Classify(ref reader);
                    reader.Read();
                    var token = reader.TokenType;
                    // An alias holding an object or array is some other field of the exporter's ("value": {...}).
                    bool foreignAlias = alias != null && alias.Rank > 0 && alias.Field != Field.Tags && alias.Field != Field.Embedding
                        && (token == JsonTokenType.StartObject || token == JsonTokenType.StartArray);
                    if (alias == null || token == JsonTokenType.Null || foreignAlias)
                    {
                        reader.Skip();
                        continue;
                    }
                    switch (alias.Field)
                    {
                        case Field.Id:
                            if (alias.Rank < idRank && TryScalar(ref reader, cached: false, out var idValue, out problem, "id") && !string.IsNullOrWhiteSpace(idValue))
                            {
                                id = idValue;
                                idRank = alias.Rank;
                            }
                            break;
                        case Field.Text:
                            if (token != JsonTokenType.String)
                            {
                                problem = $"has a text field that is {JsonRecordReader.Describe(token)}, not a string.";
                            }
                            else if (alias.Rank < textRank)
                            {
                                string value = reader.GetString()!;
                                if (value.Trim().Length > 0)
                                {
                                    text = value;
                                    textRank = alias.Rank;
                                }
                            }
                            break;
                        case Field.Tier:
                            TryScalar(ref reader, cached: true, out tier, out problem, "tier");
                            break;
                        case Field.Scope:
                            if (alias.Rank < scopeRank && TryScalar(ref reader, cached: true, out var scopeValue, out problem, "scope"))
                            {
                                scope = scopeValue;
                                scopeRank = alias.Rank;
                            }
                            break;
                        case Field.Kind:
                            if (alias.Rank < kindRank && TryScalar(ref reader, cached: true, out var kindValue, out problem, "kind"))
                            {
                                kind = kindValue;
                                kindRank = alias.Rank;
                            }
                            break;
                        case Field.Tags:
                            tags = ReadTags(ref reader, out problem);
                            break;
                        case Field.AccessCount:
                            accessCount = ReadAccessCount(ref reader, out problem);
                            break;
                        case Field.Embedding:
                            embedding = ReadEmbedding(ref reader, out problem);
                            break;
                        case Field.CreatedAt:
                            createdAt = ReadCreatedAt(ref reader, out problem);
                            break;
                    }
                    // A value no handler consumed (a lower-ranked alias holding an object or array).
                    if (problem == null && (reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray)) reader.Skip();
                }
                if (problem == null && reader.Read()) problem = JsonRecordReader.MoreThanOneValue;
            }
            catch (Exception e) when (e is InvalidOperationException || e is DecoderFallbackException)
            {
                // Utf8JsonReader.GetString (or the value cache) on bytes that are not UTF-8.
                problem = "contains text that is not valid UTF-8. Re-export the memories as UTF-8.";
            }
            catch (JsonException e)
            {
                problem = "is not valid JSON: " + JsonRecordReader.TrimJsonMessage(e);
            }

            if (problem == null)
            {
                if (id == null && text == null) problem = $"has neither an id ({IdNames}) nor a text ({TextNames}).";
                else if (id == null) problem = $"has no id (expected one of {IdNames}).";
                else if (text == null) problem = $"has no text, or only a blank one (expected one of {TextNames}).";
            }
            if (problem != null)
            {
                return Outcome<MemoryDoc>.Fail(new RecordError(ErrorIds.ImportInvalidRecord,
                    $"The record at line {line} of '{sourceFile}' {problem} Fix or remove that record; the other records were imported.",
                    sourceFile, line, JsonRecordReader.Snippet(record)));
            }

            return Outcome<MemoryDoc>.Ok(new MemoryDoc
            {
                Id = id!,
                Text = text!,
                Tier = tier ?? DefaultTier,
                Scope = scope ?? "",
                Tags = tags ?? Array.Empty<string>(),
                Kind = kind ?? "",
                AccessCount = accessCount,
                Embedding = embedding,
                CreatedAt = createdAt,
                SourceFile = sourceFile,
                SourceLine = line,
            });
        }

        private static Alias? Classify(ref Utf8JsonReader reader)
        {
            Span<byte> normalized = stackalloc byte[16];
            int length = reader.ValueIsEscaped
                ? JsonFields.NormalizeUtf8(Encoding.UTF8.GetBytes(reader.GetString() ?? ""), normalized)
                : JsonFields.NormalizeUtf8(reader.ValueSpan, normalized);
            if (length <= 0) return null;
            var name = normalized.Slice(0, length);
            foreach (var alias in Aliases)
            {
                if (alias.Utf8.Length == length && name.SequenceEqual(alias.Utf8)) return alias;
            }
            return null;
        }

        /// <summary>A string as it is, a number or boolean as its JSON text; an object or array is a problem.</summary>
        private bool TryScalar(ref Utf8JsonReader reader, bool cached, out string? value, out string? problem, string field)
        {
            value = null;
            problem = null;
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    value = cached && !reader.ValueIsEscaped ? _cache.Get(reader.ValueSpan) : reader.GetString();
                    return true;
                case JsonTokenType.Number:
                    value = Encoding.UTF8.GetString(reader.ValueSpan.ToArray());
                    return true;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    value = reader.TokenType == JsonTokenType.True ? "true" : "false";
                    return true;
                default:
                    problem = $"has a {field} field that is {JsonRecordReader.Describe(reader.TokenType)}; it must be a string.";
                    return false;
            }
        }

        private string[] ReadTags(ref Utf8JsonReader reader, out string? problem)
        {
            problem = null;
            _tags.Clear();
            if (reader.TokenType == JsonTokenType.String)
            {
                // "a, b; c": tags written as one string.
                foreach (var part in reader.GetString()!.Split(TagSeparators))
                {
                    var tag = part.Trim();
                    if (tag.Length > 0) _tags.Add(tag);
                }
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (!TryScalar(ref reader, cached: true, out var tag, out problem, "tags element")) return Array.Empty<string>();
                    tag = tag!.Trim();
                    if (tag.Length > 0) _tags.Add(tag);
                }
            }
            else
            {
                problem = $"has a tags field that is {JsonRecordReader.Describe(reader.TokenType)}; give an array of strings or one comma-separated string.";
                return Array.Empty<string>();
            }
            return _tags.Count == 0 ? Array.Empty<string>() : _tags.ToArray();
        }

        private static long ReadAccessCount(ref Utf8JsonReader reader, out string? problem)
        {
            problem = null;
            long value;
            if (reader.TokenType == JsonTokenType.Number)
            {
                if (!reader.TryGetInt64(out value))
                {
                    if (!reader.TryGetDouble(out double d) || d != Math.Floor(d) || d < 0 || d > long.MaxValue)
                    {
                        problem = "has an access_count that is not a whole number.";
                        return 0;
                    }
                    value = (long)d;
                }
            }
            else if (reader.TokenType == JsonTokenType.String)
            {
                if (!long.TryParse(reader.GetString()!.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
                {
                    problem = "has an access_count that is not a whole number.";
                    return 0;
                }
            }
            else
            {
                problem = $"has an access_count that is {JsonRecordReader.Describe(reader.TokenType)}; it must be a whole number.";
                return 0;
            }
            if (value < 0)
            {
                problem = "has a negative access_count.";
                return 0;
            }
            return value;
        }

        private float[]? ReadEmbedding(ref Utf8JsonReader reader, out string? problem)
        {
            problem = null;
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                problem = $"has an embedding that is {JsonRecordReader.Describe(reader.TokenType)}; it must be an array of numbers.";
                return null;
            }
            _embedding.Clear();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out float f) || float.IsInfinity(f))
                {
                    problem = $"has an embedding whose element {_embedding.Count} is not a number a float can hold.";
                    return null;
                }
                _embedding.Add(f);
            }
            return _embedding.Count == 0 ? null : _embedding.ToArray();
        }

        private static DateTimeOffset? ReadCreatedAt(ref Utf8JsonReader reader, out string? problem)
        {
            problem = null;
            if (reader.TokenType == JsonTokenType.String)
            {
                if (!reader.ValueIsEscaped && TryParseIso8601(reader.ValueSpan, out var fast)) return fast;
                string s = reader.GetString()!.Trim();
                if (s.Length == 0) return null;
                if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return parsed;
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double fromText)) return FromEpoch(fromText, out problem);
                problem = $"has a created_at that is neither an ISO 8601 date nor epoch seconds (\"{TextUtil.Truncate(s, 40)}\").";
                return null;
            }
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double epoch)) return FromEpoch(epoch, out problem);
            problem = $"has a created_at that is {JsonRecordReader.Describe(reader.TokenType)}; give an ISO 8601 date or epoch seconds.";
            return null;
        }

        /// <summary>
        /// The common ISO 8601 shape, straight from UTF-8: yyyy-MM-dd(T| )HH:mm:ss[.fraction][Z|±HH:mm|±HHmm], no zone
        /// meaning UTC. False for anything else, which then goes through DateTimeOffset.TryParse.
        /// </summary>
        internal static bool TryParseIso8601(ReadOnlySpan<byte> s, out DateTimeOffset value)
        {
            value = default;
            if (s.Length < 19 || s[4] != (byte)'-' || s[7] != (byte)'-' || (s[10] != (byte)'T' && s[10] != (byte)' ' && s[10] != (byte)'t')
                || s[13] != (byte)':' || s[16] != (byte)':')
                return false;
            if (!Digits(s, 0, 4, out int year) || !Digits(s, 5, 2, out int month) || !Digits(s, 8, 2, out int day)
                || !Digits(s, 11, 2, out int hour) || !Digits(s, 14, 2, out int minute) || !Digits(s, 17, 2, out int second))
                return false;
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
                return false;

            int pos = 19;
            long fractionTicks = 0;
            if (pos < s.Length && s[pos] == (byte)'.')
            {
                pos++;
                int digits = 0;
                long scale = TimeSpan.TicksPerSecond;
                while (pos < s.Length && s[pos] >= (byte)'0' && s[pos] <= (byte)'9')
                {
                    if (digits < 7)
                    {
                        scale /= 10;
                        fractionTicks += (s[pos] - (byte)'0') * scale;
                    }
                    else if (digits == 7 && s[pos] >= (byte)'5')
                    {
                        fractionTicks++; // rounds to the nearest tick, as DateTimeOffset.Parse does
                    }
                    digits++;
                    pos++;
                }
                if (digits == 0) return false;
            }

            var offset = TimeSpan.Zero;
            if (pos < s.Length)
            {
                byte zone = s[pos];
                if (zone == (byte)'Z' || zone == (byte)'z')
                {
                    pos++;
                }
                else if (zone == (byte)'+' || zone == (byte)'-')
                {
                    int rest = s.Length - pos - 1;
                    int offsetHours, offsetMinutes;
                    if (rest == 5 && s[pos + 3] == (byte)':' && Digits(s, pos + 1, 2, out offsetHours) && Digits(s, pos + 4, 2, out offsetMinutes)) pos += 6;
                    else if (rest == 4 && Digits(s, pos + 1, 2, out offsetHours) && Digits(s, pos + 3, 2, out offsetMinutes)) pos += 5;
                    else return false;
                    // DateTimeOffset holds offsets up to ±14:00; anything beyond goes to the slow path, which rejects it.
                    if (offsetHours > 14 || offsetMinutes > 59 || (offsetHours == 14 && offsetMinutes > 0)) return false;
                    offset = new TimeSpan(offsetHours, offsetMinutes, 0);
                    if (zone == (byte)'-') offset = -offset;
                }
            }
            if (pos != s.Length) return false;

            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
            long utcTicks = local.Ticks - offset.Ticks;
            if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks) return false;
            value = new DateTimeOffset(local, offset);
            return true;
        }

        private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
        {
            value = 0;
            for (int i = start; i < start + count; i++)
            {
                int d = s[i] - (byte)'0';
                if (d < 0 || d > 9) return false;
                value = value * 10 + d;
            }
            return true;
        }

        /// <summary>Epoch seconds; values of 10^11 and above are taken as milliseconds (10^11 s is the year 5138).</summary>
        private static DateTimeOffset? FromEpoch(double value, out string? problem)
        {
            problem = null;
            if (UnixTime.TryFromSecondsOrMilliseconds(value, out var date)) return date;
            problem = "has a created_at outside the range of dates.";
            return null;
        }

        /// <summary>Shares the string of a short value that repeats across records (tier, scope, kind, tags).</summary>
        private sealed class ValueCache
        {
            private const int Slots = 64;
            private const int MaxBytes = 64;
            private readonly byte[]?[] _keys = new byte[]?[Slots];
            private readonly string?[] _values = new string?[Slots];

            public string Get(ReadOnlySpan<byte> utf8)
            {
                if (utf8.Length > MaxBytes) return Decode(utf8);
                int slot = Hash(utf8) & (Slots - 1);
                var key = _keys[slot];
                if (key != null && utf8.SequenceEqual(key)) return _values[slot]!;
                string value = Decode(utf8);
                _keys[slot] = utf8.ToArray();
                _values[slot] = value;
                return value;
            }

            private static string Decode(ReadOnlySpan<byte> utf8)
            {
                // Throws (like Utf8JsonReader.GetString) on bytes that are not UTF-8.
                return Strict.GetString(utf8.ToArray());
            }

            private static int Hash(ReadOnlySpan<byte> utf8)
            {
                unchecked
                {
                    int h = (int)2166136261;
                    foreach (byte b in utf8) h = (h ^ b) * 16777619;
                    return h ^ (h >> 15);
                }
            }

            private static readonly Encoding Strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using SkillForge.Diagnostics;
using SkillForge.Traces;

namespace SkillForge.Skills
{
    /// <summary>
    /// ConvertFrom-SkillJson: the JSON array of skills out of a model's answer.
    /// <para>
    /// Which JSON is taken, in order: (1) the first JSON array, anywhere in the answer (prose and code fences
    /// around it are ignored), that holds at least one object with a "name"; (2) otherwise the first object with
    /// a "name", as an array of one; (3) otherwise the first non-empty array of objects (whose elements then
    /// fail for their missing fields); (4) otherwise an empty array "[]" means the model found no skills.
    /// Anything else is an error. Trailing commas and // or /* */ comments are accepted, and raw line breaks
    /// inside strings (common in "code") are repaired.
    /// </para>
    /// </summary>
    public static class SkillJsonParser
    {
        private const int SnippetLength = 200;
        private const int MaxDepth = 64;
        private const int MaxAttempts = 5_000;

        private static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = MaxDepth,
        };

        /// <summary>
        /// One outcome per array element (a missing name or description is an error for that element only).
        /// Throws SkillForgeException (ErrorIds.SkillJsonInvalid, with a snippet) when no JSON can be found at all.
        /// </summary>
        public static IReadOnlyList<Outcome<DistilledSkill>> Parse(string text, string? sourceName = null) => Parse(text, sourceName, null);

        /// <summary>As <see cref="Parse(string, string)"/>; <paramref name="defaultSource"/> ("success"/"failure") fills a missing "source".</summary>
        public static IReadOnlyList<Outcome<DistilledSkill>> Parse(string text, string? sourceName, string? defaultSource)
        {
            string where = string.IsNullOrEmpty(sourceName) ? "the answer" : "the answer from " + sourceName;
            if (text == null || text.Trim().Length == 0)
                throw new SkillForgeException(ErrorIds.SkillJsonInvalid, FailureCategory.InvalidData,
                    $"{Capitalize(where)} is empty, so it holds no JSON array of skills. Check that the model answered (finish reason, output token limit) and run the distillation again.",
                    sourceName);

            var bytes = Encoding.UTF8.GetBytes(text);
            var chosen = Choose(bytes);
            if (chosen == null) throw NoJson(bytes, where, sourceName);

            using (chosen.Document)
            {
                var results = new List<Outcome<DistilledSkill>>();
                var root = chosen.Document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    results.Add(Convert(root, 0, 1, chosen.StartLine, where, sourceName, defaultSource));
                    return results;
                }

                var lines = chosen.Repaired ? null : ElementLines(bytes, chosen.Start, chosen.StartLine);
                int count = root.GetArrayLength(), index = 0;
                foreach (var element in root.EnumerateArray())
                {
                    long line = lines != null && index < lines.Count ? lines[index] : chosen.StartLine;
                    results.Add(Convert(element, index, count, line, where, sourceName, defaultSource));
                    index++;
                }
                return results;
            }
        }

        private sealed class Candidate
        {
            public Candidate(JsonDocument document, int start, long startLine, bool repaired)
            {
                Document = document;
                Start = start;
                StartLine = startLine;
                Repaired = repaired;
            }

            public JsonDocument Document { get; }
            public int Start { get; }
            public long StartLine { get; }
            public bool Repaired { get; }
        }

        private static Candidate? Choose(byte[] bytes)
        {
            Candidate? objectArray = null, emptyArray = null, namedObject = null;
            // Repairs rescan the text; bound their total work so a pathological answer cannot take quadratic time.
            long repairBudget = 8L * bytes.Length + 4096;
            // Likewise a cap on parse attempts: no real answer has thousands of JSON-looking starts.
            int attempts = 0;
            try
            {
                // (1) arrays, scanning past each array that parses.
                for (int i = 0; i < bytes.Length; i++)
                {
                    // Only "[{" (objects) and "[]" can be the answer; "[[" and the like are skipped without parsing.
                    if (bytes[i] != (byte)'[') continue;
                    int next = NextNonBlank(bytes, i + 1);
                    if (next != '{' && next != ']') continue;
                    if (++attempts > MaxAttempts) break;
                    var doc = TryParseAt(bytes, i, ref repairBudget, out int length, out bool repaired);
                    if (doc == null) continue;
                    var root = doc.RootElement;
                    if (root.ValueKind == JsonValueKind.Array && root.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object && HasName(e)))
                        return new Candidate(doc, i, LineAt(bytes, i), repaired);
                    if (objectArray == null && root.GetArrayLength() > 0 && root.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object))
                        objectArray = new Candidate(doc, i, LineAt(bytes, i), repaired);
                    // "[]" counts only as an answer of its own, not as the innermost piece of "[[[]]]".
                    else if (emptyArray == null && root.GetArrayLength() == 0 && !IsArrayElement(bytes, i))
                        emptyArray = new Candidate(doc, i, LineAt(bytes, i), repaired);
                    else doc.Dispose();
                    if (!repaired) i += length - 1;
                }

                // A cut-off array of objects is the answer, truncated: report that rather than a fragment of it.
                if (FirstUnclosedStart(bytes) >= 0)
                {
                    objectArray?.Document.Dispose();
                    emptyArray?.Document.Dispose();
                    return null;
                }

                // (2) a single object with a name.
                for (int i = 0; i < bytes.Length; i++)
                {
                    if (bytes[i] != (byte)'{' || NextNonBlank(bytes, i + 1) != '"') continue;
                    if (++attempts > MaxAttempts) break;
                    var doc = TryParseAt(bytes, i, ref repairBudget, out _, out bool repaired);
                    if (doc == null) continue;
                    if (HasName(doc.RootElement))
                    {
                        namedObject = new Candidate(doc, i, LineAt(bytes, i), repaired);
                        break;
                    }
                    doc.Dispose();
                }

                var result = namedObject ?? objectArray ?? emptyArray;
                if (result != objectArray) objectArray?.Document.Dispose();
                if (result != emptyArray) emptyArray?.Document.Dispose();
                return result;
            }
            catch
            {
                objectArray?.Document.Dispose();
                emptyArray?.Document.Dispose();
                namedObject?.Document.Dispose();
                throw;
            }
        }

        /// <summary>Whether the value at start follows '[' or ',' (blanks aside), so it is an element of an enclosing array.</summary>
        private static bool IsArrayElement(byte[] bytes, int start)
        {
            for (int i = start - 1; i >= 0; i--)
            {
                byte b = bytes[i];
                if (b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == (byte)'\n') continue;
                return b == (byte)'[' || b == (byte)',';
            }
            return false;
        }

        /// <summary>Parses one JSON value starting at start; on failure retries with raw control characters in strings escaped.</summary>
        private static JsonDocument? TryParseAt(byte[] bytes, int start, ref long repairBudget, out int length, out bool repaired)
        {
            repaired = false;
            var doc = ParseValue(bytes, start, bytes.Length - start, out length);
            if (doc != null) return doc;

            // Only a value that starts like a skill list or a skill object is worth repairing.
            int next = NextNonBlank(bytes, start + 1);
            bool plausible = bytes[start] == (byte)'[' ? next == '{' : next == '"';
            if (!plausible || repairBudget <= 0) return null;
            var fixedBytes = RepairStrings(bytes, start, ref repairBudget);
            if (fixedBytes == null) return null;
            doc = ParseValue(fixedBytes, 0, fixedBytes.Length, out _);
            if (doc == null) return null;
            repaired = true;
            return doc;
        }

        private static JsonDocument? ParseValue(byte[] bytes, int start, int count, out int length)
        {
            length = 0;
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(bytes, start, count), isFinalBlock: true, new JsonReaderState(ReaderOptions));
            try
            {
                var doc = JsonDocument.ParseValue(ref reader);
                length = (int)reader.BytesConsumed;
                return doc;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>
        /// The balanced value starting at start with raw line breaks and tabs inside strings escaped, or null when
        /// nothing needed repairing or the value never closes.
        /// </summary>
        private static byte[]? RepairStrings(byte[] bytes, int start, ref long budget)
        {
            var output = new List<byte>();
            int depth = 0;
            bool inString = false, changed = false;
            for (int i = start; i < bytes.Length; i++)
            {
                if (--budget < 0) return null;
                byte b = bytes[i];
                if (inString)
                {
                    if (b == (byte)'\\' && i + 1 < bytes.Length)
                    {
                        output.Add(b);
                        output.Add(bytes[++i]);
                        continue;
                    }
                    if (b == (byte)'"') inString = false;
                    else if (b == (byte)'\n') { output.Add((byte)'\\'); output.Add((byte)'n'); changed = true; continue; }
                    else if (b == (byte)'\r') { output.Add((byte)'\\'); output.Add((byte)'r'); changed = true; continue; }
                    else if (b == (byte)'\t') { output.Add((byte)'\\'); output.Add((byte)'t'); changed = true; continue; }
                    output.Add(b);
                    continue;
                }
                output.Add(b);
                if (b == (byte)'"') inString = true;
                else if (b == (byte)'[' || b == (byte)'{') depth++;
                else if (b == (byte)']' || b == (byte)'}')
                {
                    depth--;
                    if (depth == 0) return changed ? output.ToArray() : null;
                    if (depth < 0) return null;
                }
            }
            return null;
        }

        private static SkillForgeException NoJson(byte[] bytes, string where, string? sourceName)
        {
            int unclosed = FirstUnclosedStart(bytes);
            if (unclosed >= 0)
            {
                string snippet = TailSnippet(bytes);
                return new SkillForgeException(ErrorIds.SkillJsonInvalid, FailureCategory.InvalidData,
                    $"The JSON in {where} (from line {LineAt(bytes, unclosed)}) is cut off: it ends before its brackets close. " +
                    $"The model probably hit its output limit; raise -MaxOutputTokens and run the distillation again. It ends: {snippet}",
                    snippet);
            }

            // Where JSON seems to start: an array of objects, else an object with a quoted key.
            int jsonStart = -1;
            for (int i = 0; i < bytes.Length && jsonStart < 0; i++)
                if (bytes[i] == (byte)'[' && NextNonBlank(bytes, i + 1) == (byte)'{') jsonStart = i;
            for (int i = 0; i < bytes.Length && jsonStart < 0; i++)
                if (bytes[i] == (byte)'{' && NextNonBlank(bytes, i + 1) == (byte)'"') jsonStart = i;
            string head = SnippetAt(bytes, jsonStart >= 0 ? jsonStart : 0);
            string reason = jsonStart >= 0
                ? $"the JSON starting on line {LineAt(bytes, jsonStart)} is not valid or holds no skill with a \"name\""
                : "it contains no JSON array or object";
            return new SkillForgeException(ErrorIds.SkillJsonInvalid, FailureCategory.InvalidData,
                $"No JSON array of skills could be read from {where}: {reason}. Expected a JSON array of objects with \"name\" and \"description\". " +
                $"Look at the answer's text, then run the distillation again. It reads: {head}",
                head);
        }

        /// <summary>
        /// Where a cut-off skill list or skill object starts ("[" then "{", or "{" then a quoted key, that never
        /// closes), or -1. Scanning resumes after each value that does close, so this is linear.
        /// </summary>
        private static int FirstUnclosedStart(byte[] bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                bool start = (b == (byte)'[' && NextNonBlank(bytes, i + 1) == '{') || (b == (byte)'{' && NextNonBlank(bytes, i + 1) == '"');
                if (!start) continue;
                int end = ClosingIndex(bytes, i);
                if (end < 0) return i;
                i = end;
            }
            return -1;
        }

        /// <summary>Index of the bracket that closes the value starting at start, or -1 when the text ends first.</summary>
        private static int ClosingIndex(byte[] bytes, int start)
        {
            int depth = 0;
            bool inString = false;
            for (int i = start; i < bytes.Length; i++)
            {
                byte b = bytes[i];
                if (inString)
                {
                    if (b == (byte)'\\') i++;
                    else if (b == (byte)'"') inString = false;
                    continue;
                }
                if (b == (byte)'"') inString = true;
                else if (b == (byte)'[' || b == (byte)'{') depth++;
                else if (b == (byte)']' || b == (byte)'}')
                {
                    depth--;
                    if (depth <= 0) return i;
                }
            }
            return -1;
        }

        /// <summary>The next byte that is neither blank nor inside a // or /* */ comment, or -1.</summary>
        private static int NextNonBlank(byte[] bytes, int i)
        {
            while (i < bytes.Length)
            {
                byte b = bytes[i];
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n') { i++; continue; }
                if (b == '/' && i + 1 < bytes.Length && bytes[i + 1] == '/')
                {
                    while (i < bytes.Length && bytes[i] != '\n') i++;
                    continue;
                }
                if (b == '/' && i + 1 < bytes.Length && bytes[i + 1] == '*')
                {
                    i += 2;
                    while (i + 1 < bytes.Length && !(bytes[i] == '*' && bytes[i + 1] == '/')) i++;
                    i += 2;
                    continue;
                }
                return b;
            }
            return -1;
        }

        private static List<long>? ElementLines(byte[] bytes, int start, long startLine)
        {
            var lines = new List<long>();
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(bytes, start, bytes.Length - start), isFinalBlock: true, new JsonReaderState(ReaderOptions));
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return null;
                int lastOffset = 0;
                long line = startLine;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    int offset = (int)reader.TokenStartIndex;
                    for (int k = start + lastOffset; k < start + offset; k++) if (bytes[k] == (byte)'\n') line++;
                    lastOffset = offset;
                    lines.Add(line);
                    reader.Skip();
                }
            }
            catch (JsonException)
            {
                return null;
            }
            return lines;
        }

        private static long LineAt(byte[] bytes, int offset)
        {
            long line = 1;
            for (int i = 0; i < offset && i < bytes.Length; i++) if (bytes[i] == (byte)'\n') line++;
            return line;
        }

        private static string SnippetAt(byte[] bytes, int offset)
        {
            // Step back to a UTF-8 character boundary.
            while (offset > 0 && offset < bytes.Length && (bytes[offset] & 0xC0) == 0x80) offset--;
            int length = Math.Min(bytes.Length - offset, SnippetLength * 4);
            string text = Encoding.UTF8.GetString(bytes, offset, length).Replace("\r", "").Replace('\n', ' ').Trim();
            return TextUtil.Truncate(text, SnippetLength);
        }

        /// <summary>The last SnippetLength characters of the text on one line, led by "…" when the text is longer.</summary>
        private static string TailSnippet(byte[] bytes)
        {
            string text = Encoding.UTF8.GetString(bytes).Replace("\r", "").Replace('\n', ' ').Trim();
            if (text.Length <= SnippetLength) return text;
            int start = text.Length - (SnippetLength - 1);
            if (char.IsLowSurrogate(text[start])) start++;
            return "…" + text.Substring(start);
        }

        private static bool HasName(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object) return false;
            foreach (var p in element.EnumerateObject())
                if (TraceFieldNames.Normalize(p.Name) == "name") return true;
            return false;
        }

        private static Dictionary<string, JsonElement> Fields(JsonElement element)
        {
            var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var p in element.EnumerateObject())
            {
                string key = TraceFieldNames.Normalize(p.Name);
                if (!fields.ContainsKey(key)) fields.Add(key, p.Value);
            }
            return fields;
        }

        private static Outcome<DistilledSkill> Convert(JsonElement element, int index, int count, long line, string where, string? sourceName, string? defaultSource)
        {
            string position = count == 1 ? $"the skill in {where} (line {line})" : $"element {index + 1} of {count} in {where} (line {line})";
            string snippet = ElementSnippet(element);
            if (element.ValueKind != JsonValueKind.Object)
                return Outcome<DistilledSkill>.Fail(new RecordError(ErrorIds.SkillJsonInvalid,
                    $"{Capitalize(position)} is not a JSON object, so it is not a skill; the other elements were converted.",
                    sourceName, line, snippet));

            var fields = Fields(element);
            var missing = new List<string>();
            string name = RequiredText(fields, "name", "name", missing, out string? nameError);
            string description = RequiredText(fields, "description", "description", missing, out string? descriptionError);
            string? typeError = nameError ?? descriptionError;
            if (typeError != null)
                return Outcome<DistilledSkill>.Fail(new RecordError(ErrorIds.SkillJsonInvalid,
                    $"{Capitalize(position)}: {typeError} The other elements were converted.", sourceName, line, snippet));
            if (missing.Count > 0)
                return Outcome<DistilledSkill>.Fail(new RecordError(ErrorIds.SkillJsonMissingField,
                    $"{Capitalize(position)} has no {string.Join(" and no ", missing.Select(m => "\"" + m + "\""))}; every skill needs a name and a description. The other elements were converted.",
                    sourceName, line, snippet));

            var skill = new DistilledSkill
            {
                Name = name.Trim(),
                Description = description.Trim(),
                WhenToApply = OptionalText(fields, "whentoapply", "; ") ?? OptionalText(fields, "when", "; ") ?? "",
                Source = (OptionalText(fields, "source", "; ") ?? "").Trim(),
                Domain = (OptionalText(fields, "domain", "; ") ?? "").Trim(),
                Code = OptionalText(fields, "code", "\n") ?? "",
            };
            if (skill.Source.Length == 0 && defaultSource != null) skill.Source = defaultSource;

            skill.Scope = ReadScope(fields, skill.Domain);
            if (skill.Domain.Length == 0 && !skill.IsGlobal) skill.Domain = skill.Scope;

            skill.Trigger = ReadTrigger(fields);
            return Outcome<DistilledSkill>.Ok(skill);
        }

        private static string RequiredText(Dictionary<string, JsonElement> fields, string key, string label, List<string> missing, out string? error)
        {
            error = null;
            if (!fields.TryGetValue(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                missing.Add(label);
                return "";
            }
            if (value.ValueKind == JsonValueKind.Object || value.ValueKind == JsonValueKind.Array)
            {
                error = $"\"{label}\" is a JSON {(value.ValueKind == JsonValueKind.Object ? "object" : "array")}, but it must be text.";
                return "";
            }
            string text = Scalar(value);
            if (text.Trim().Length == 0) missing.Add(label);
            return text;
        }

        private static string? OptionalText(Dictionary<string, JsonElement> fields, string key, string separator)
        {
            if (!fields.TryGetValue(key, out var value)) return null;
            return Text(value, separator);
        }

        /// <summary>Text of any JSON value: strings as they are, numbers and booleans as written, lists joined, objects as JSON.</summary>
        private static string Text(JsonElement value, string separator)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    return string.Join(separator, value.EnumerateArray().Select(v => Text(v, separator)).Where(s => s.Length > 0));
                case JsonValueKind.Object:
                    return value.GetRawText();
                default:
                    return Scalar(value);
            }
        }

        private static string Scalar(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "",
        };

        private static string ReadScope(Dictionary<string, JsonElement> fields, string domain)
        {
            if (!fields.TryGetValue("scope", out var scope) || scope.ValueKind == JsonValueKind.Null)
                return domain.Length > 0 ? domain : "global";
            if (scope.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in scope.EnumerateObject())
                {
                    string key = TraceFieldNames.Normalize(p.Name);
                    if (key == "domain")
                    {
                        string d = Text(p.Value, "-").Trim();
                        return d.Length > 0 ? d : "global";
                    }
                    if (key == "global") return "global";
                }
                return domain.Length > 0 ? domain : "global";
            }
            string text = Text(scope, "-").Trim();
            if (text.StartsWith("domain:", StringComparison.OrdinalIgnoreCase)) text = text.Substring("domain:".Length).Trim();
            if (text.Length == 0 || string.Equals(text, "global", StringComparison.OrdinalIgnoreCase)) return "global";
            return text;
        }

        private static SkillTrigger ReadTrigger(Dictionary<string, JsonElement> fields)
        {
            var trigger = new SkillTrigger();
            Dictionary<string, JsonElement> source = fields;
            if (fields.TryGetValue("trigger", out var value))
            {
                if (value.ValueKind == JsonValueKind.Object) source = Fields(value);
                else if (value.ValueKind == JsonValueKind.String || value.ValueKind == JsonValueKind.Array)
                {
                    trigger.TaskKeywords = Keywords(value);
                    return trigger;
                }
            }
            trigger.Persona = (OptionalText(source, "persona", "; ") ?? "").Trim();
            trigger.UrlPattern = (OptionalText(source, "urlpattern", "; ") ?? "").Trim();
            if (source.TryGetValue("taskkeywords", out var keywords) || source.TryGetValue("keywords", out keywords))
                trigger.TaskKeywords = Keywords(keywords);
            return trigger;
        }

        /// <summary>Keywords from an array (each element as text) or from one string split at commas, semicolons and line breaks.</summary>
        private static string[] Keywords(JsonElement value)
        {
            IEnumerable<string> items = value.ValueKind == JsonValueKind.Array
                ? value.EnumerateArray().Select(v => Text(v, " "))
                : Text(value, " ").Split(new[] { ',', ';', '\n' }, StringSplitOptions.RemoveEmptyEntries);
            return items.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        }

        private static string ElementSnippet(JsonElement element)
        {
            string raw = element.GetRawText();
            if (raw.Length > SnippetLength * 2) raw = raw.Substring(0, SnippetLength * 2);
            return TextUtil.Truncate(raw.Replace("\r", "").Replace('\n', ' '), SnippetLength);
        }

        private static string Capitalize(string text) =>
            text.Length == 0 ? text : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text.Substring(1);
    }
}

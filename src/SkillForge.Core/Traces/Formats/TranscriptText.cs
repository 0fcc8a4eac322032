using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkillForge.Diagnostics;

namespace SkillForge.Traces.Formats
{
    /// <summary>
    /// Text rules shared by the agent-transcript readers (Claude Code, Codex): truncation with a visible marker,
    /// the user-correction heuristic, injected-markup removal, and JSON payload building.
    /// </summary>
    internal static class TranscriptText
    {
        /// <summary>Longest tool output (result text, error text) kept in an event's Data.</summary>
        public const int OutputLimit = 4000;

        /// <summary>Longest string value kept inside a tool's input.</summary>
        public const int InputStringLimit = 2000;

        /// <summary>Longest user prompt or assistant note kept.</summary>
        public const int TextLimit = 4000;

        /// <summary>
        /// Cuts text to at most maxChars characters (never inside a surrogate pair) and appends
        /// "…[truncated N chars]" naming how much was dropped, so a reader knows the output was longer.
        /// </summary>
        public static string Truncate(string text, int maxChars)
        {
            if (text.Length <= maxChars) return text;
            int cut = Math.Max(0, maxChars);
            if (cut > 0 && char.IsHighSurrogate(text[cut - 1])) cut--;
            return text.Substring(0, cut) + "…[truncated " + (text.Length - cut).ToString(CultureInfo.InvariantCulture) + " chars]";
        }

        // A prompt that says the last step was wrong. Matched against the start of the prompt only: a long
        // request that merely mentions an old bug deep inside is not a correction.
        private static readonly Regex CorrectionWords = new Regex(
            @"^(no|nope)\b[\s,.!:;]" +
            @"|\b(that'?s|that is|this is|it'?s|it is) (wrong|incorrect|not right|not correct|not what)" +
            @"|\bnot what i (asked|wanted|meant|said)" +
            @"|\bi (never|didn'?t|did not) (say|said|ask|asked|want|wanted|tell|told)\b" +
            @"|\b(doesn'?t|does not|didn'?t|did not|isn'?t|is not|don'?t|do not|won'?t|still not) (seem to |actually )?(work|working|function|fix|fixed|help)\b" +
            @"|\bstill (broken|failing|fails|wrong)\b" +
            @"|\b(undo|revert|roll ?back)\b" +
            @"|\btry (it |that )?again\b" +
            @"|\b(like|as) i (asked|said|told)" +
            @"|\balmost right\b" +
            @"|\byou (broke|deleted|removed|forgot|missed)\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // A pasted error or stack trace: the user reports that the last step broke something.
        private static readonly Regex PastedError = new Regex(
            @"\b[A-Z][A-Za-z]*(Error|Exception):|Traceback \(most recent call last\)",
            RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private const int CorrectionWindow = 400;

        /// <summary>True when a user prompt reads as a correction of the previous step ("no, …", "that's wrong", "undo", "try again", a pasted error).</summary>
        public static bool LooksLikeCorrection(string prompt)
        {
            var head = prompt.Length > CorrectionWindow ? prompt.Substring(0, CorrectionWindow) : prompt;
            head = head.Trim().Replace('\u2019', '\'');
            return CorrectionWords.IsMatch(head) || PastedError.IsMatch(head);
        }

        /// <summary>The first maxChars characters: denial and error messages are judged by their start, not a long output's tail.</summary>
        public static string Head(string text, int maxChars) => text.Length <= maxChars ? text : text.Substring(0, maxChars);

        /// <summary>Removes every &lt;tag&gt;…&lt;/tag&gt; block of the given tag names (and an unclosed one to the end).</summary>
        public static string StripTagBlocks(string text, IReadOnlyList<string> tags)
        {
            foreach (var tag in tags)
            {
                var open = "<" + tag + ">";
                int at = text.IndexOf(open, StringComparison.Ordinal);
                if (at < 0) continue;
                var close = "</" + tag + ">";
                var sb = new StringBuilder(text.Length);
                int from = 0;
                while (at >= 0)
                {
                    sb.Append(text, from, at - from);
                    int end = text.IndexOf(close, at + open.Length, StringComparison.Ordinal);
                    from = end < 0 ? text.Length : end + close.Length;
                    at = from < text.Length ? text.IndexOf(open, from, StringComparison.Ordinal) : -1;
                }
                sb.Append(text, from, text.Length - from);
                text = sb.ToString();
            }
            return text;
        }

        /// <summary>The inner text of the first &lt;tag&gt;…&lt;/tag&gt;, or null.</summary>
        public static string? TagContent(string text, string tag)
        {
            var open = "<" + tag + ">";
            int at = text.IndexOf(open, StringComparison.Ordinal);
            if (at < 0) return null;
            int start = at + open.Length;
            int end = text.IndexOf("</" + tag + ">", start, StringComparison.Ordinal);
            return (end < 0 ? text.Substring(start) : text.Substring(start, end - start)).Trim();
        }

        /// <summary>Writes a JSON value, cutting every string longer than maxString (object keys are kept whole).</summary>
        public static void WriteTruncated(Utf8JsonWriter writer, JsonElement value, int maxString)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in value.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        WriteTruncated(writer, property.Value, maxString);
                    }
                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in value.EnumerateArray()) WriteTruncated(writer, item, maxString);
                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(Truncate(value.GetString() ?? "", maxString));
                    break;
                default:
                    value.WriteTo(writer);
                    break;
            }
        }

        /// <summary>A JSON value as compact text with long strings cut ("null" for an undefined element).</summary>
        public static string ToTruncatedJson(JsonElement value, int maxString)
        {
            if (value.ValueKind == JsonValueKind.Undefined) return "null";
            return Json(w => WriteTruncated(w, value, maxString));
        }

        /// <summary>A string that holds JSON (as Codex tool arguments do) as a truncated JSON value; otherwise as a truncated JSON string.</summary>
        public static string EmbeddedJsonOrString(string text, int maxString)
        {
            var t = text.TrimStart();
            if (t.StartsWith("{", StringComparison.Ordinal) || t.StartsWith("[", StringComparison.Ordinal))
            {
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    return ToTruncatedJson(doc.RootElement, maxString);
                }
                catch (JsonException)
                {
                    // Not JSON after all: kept as a string below.
                }
            }
            return Json(w => w.WriteStringValue(Truncate(text, maxString)));
        }

        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

        // One buffer and writer per thread, reused for every event: a transcript has one Data per event.
        [ThreadStatic] private static MemoryStream? t_buffer;
        [ThreadStatic] private static Utf8JsonWriter? t_writer;
        [ThreadStatic] private static bool t_busy;

        /// <summary>Runs a writer callback and returns the JSON text it wrote.</summary>
        public static string Json(Action<Utf8JsonWriter> write)
        {
            if (t_busy)
            {
                // Called from inside another callback: a buffer of its own.
                using var own = new MemoryStream();
                using (var ownWriter = new Utf8JsonWriter(own, WriterOptions)) write(ownWriter);
                return Encoding.UTF8.GetString(own.GetBuffer(), 0, (int)own.Length);
            }

            var buffer = t_buffer ??= new MemoryStream(4096);
            buffer.SetLength(0);
            var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
            writer.Reset(buffer);
            t_busy = true;
            try
            {
                write(writer);
                writer.Flush();
            }
            finally
            {
                t_busy = false;
            }
            var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            if (buffer.Capacity > 1 << 20)
            {
                // Do not keep a buffer grown by one huge value.
                t_buffer = null;
                t_writer = null;
            }
            return text;
        }

        /// <summary>Data of an action: {"input": …, "output": …, "error": …, extra numbers}. Output is left out when it only repeats the error.</summary>
        public static string ActionData(string inputJson, string? output, string? error, int? exitCode = null)
        {
            return Json(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("input");
                w.WriteRawValue(inputJson, skipInputValidation: true);
                if (output != null && (error == null || output != error)) w.WriteString("output", Truncate(output, OutputLimit));
                if (error != null) w.WriteString("error", Truncate(error, OutputLimit));
                if (exitCode.HasValue) w.WriteNumber("exit_code", exitCode.Value);
                w.WriteEndObject();
            });
        }

        /// <summary>Data of a context event: {"text": …, "corrects_action_id": …, "reason": …}.</summary>
        public static string ContextData(string text, string? correctsActionId = null, string? reason = null)
        {
            return Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("text", Truncate(text, TextLimit));
                if (correctsActionId != null) w.WriteString("corrects_action_id", correctsActionId);
                if (reason != null) w.WriteString("reason", reason);
                w.WriteEndObject();
            });
        }

        /// <summary>A JSON object of the non-null string pairs, or null when all are null.</summary>
        public static string? StateObject(params KeyValuePair<string, string?>[] pairs)
        {
            bool any = false;
            foreach (var p in pairs) any |= p.Value != null;
            if (!any) return null;
            return Json(w =>
            {
                w.WriteStartObject();
                foreach (var p in pairs)
                    if (p.Value != null) w.WriteString(p.Key, p.Value);
                w.WriteEndObject();
            });
        }

        public static DateTimeOffset? ParseTimestamp(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.String) return null;
            return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : (DateTimeOffset?)null;
        }

        public static double? DurationMs(DateTimeOffset? start, DateTimeOffset? end)
        {
            if (start == null || end == null) return null;
            var ms = (end.Value - start.Value).TotalMilliseconds;
            return ms >= 0 ? ms : (double?)null;
        }

        public static string? String(JsonElement obj, string name) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        public static JsonElement Property(JsonElement obj, string name) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : default;

        public static bool IsTrue(JsonElement obj, string name) =>
            obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

        /// <summary>The RecordError for a line that is not JSON.</summary>
        public static RecordError MalformedLine(string formatName, string sourceFile, long line, string? parseError, string? snippet) =>
            new RecordError(ErrorIds.TraceInvalidRecord,
                $"{formatName} transcript '{sourceFile}' line {line} is not valid JSON ({parseError}). The line was skipped and the rest of the file was read; fix or remove the line to import it.",
                sourceFile, line, snippet);

        /// <summary>Up to maxLines complete lines of a sample, each parsed (unparseable ones skipped). The caller disposes the documents.</summary>
        public static List<JsonDocument> SampleRecords(string head, int maxLines)
        {
            var docs = new List<JsonDocument>();
            int start = 0;
            while (docs.Count < maxLines && start < head.Length)
            {
                int nl = head.IndexOf('\n', start);
                if (nl < 0) break; // the last line of a 64 KiB head may be cut: never judged
                var line = head.Substring(start, nl - start).Trim();
                start = nl + 1;
                if (line.Length == 0 || line[0] != '{') continue;
                try { docs.Add(JsonDocument.Parse(line)); }
                catch (JsonException) { }
            }
            if (docs.Count == 0 && start < head.Length && head.IndexOf('\n', start) < 0)
            {
                // A single-line file (no newline at all) is still judged on its only line.
                var rest = head.Substring(start).Trim();
                if (rest.StartsWith("{", StringComparison.Ordinal))
                {
                    try { docs.Add(JsonDocument.Parse(rest)); }
                    catch (JsonException) { }
                }
            }
            return docs;
        }

        /// <summary>
        /// The top-level properties of a JSON object that may be cut off (a first line longer than the 64 KiB sample):
        /// name → string value, or null for any other value. Stops quietly where the text ends or stops being JSON.
        /// </summary>
        public static Dictionary<string, string?> PartialTopLevel(string head)
        {
            var found = new Dictionary<string, string?>(StringComparer.Ordinal);
            var bytes = Encoding.UTF8.GetBytes(head.TrimStart());
            var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
            try
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return found;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.EndObject) break;
                    if (reader.TokenType != JsonTokenType.PropertyName) break;
                    var name = reader.GetString() ?? "";
                    found[name] = null; // present even when its value is what the cut ends in
                    if (!reader.Read()) break;
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        found[name] = reader.GetString();
                    }
                    else
                    {
                        if ((reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray) && !reader.TrySkip()) break;
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON from here on: what was read so far is the answer.
            }
            catch (InvalidOperationException)
            {
            }
            return found;
        }

        /// <summary>
        /// The last line of a sample when it has no line end (cut by the 64 KiB limit, or a file without a final
        /// newline) and starts like a JSON object; otherwise null.
        /// </summary>
        public static string? CutTail(string head)
        {
            int nl = head.LastIndexOf('\n');
            var tail = (nl < 0 ? head : head.Substring(nl + 1)).Trim();
            return tail.StartsWith("{", StringComparison.Ordinal) ? tail : null;
        }

        /// <summary>True for SkillForge's own trace records ({"kind": …, "action_id": …}), which no transcript reader may claim.</summary>
        public static bool IsSkillForgeRecord(JsonElement root) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty("kind", out _) &&
            (root.TryGetProperty("action_id", out _) || root.TryGetProperty("actionId", out _) || root.TryGetProperty("ActionId", out _));
    }

    /// <summary>
    /// Per-trace bookkeeping of a transcript reader: the next Sequence, and the last action, so a following
    /// prompt can be marked as the correction of a failure.
    /// </summary>
    internal sealed class TranscriptTrace
    {
        public TranscriptTrace(string traceId) => TraceId = traceId;

        public string TraceId { get; }
        public int NextSequence { get; set; }
        public string? LastActionId { get; private set; }

        /// <summary>The last action failed and no prompt has answered it yet.</summary>
        public bool FailureUnanswered { get; private set; }

        public void Stamp(TraceEvent e)
        {
            e.TraceId = TraceId;
            e.Sequence = NextSequence++;
            if (e.ActionId != null && (TraceEventKinds.IsFailure(e.Kind) || TraceEventKinds.IsSuccess(e.Kind)))
            {
                LastActionId = e.ActionId;
                FailureUnanswered = TraceEventKinds.IsFailure(e.Kind);
            }
        }

        /// <summary>
        /// Kind and corrected action of a user prompt: user_correction when it directly follows a failed,
        /// rejected or blocked action (that action is the corrected one) or reads like a correction of the last
        /// action; otherwise user_prompt. A prompt answers the failure, so the next prompt is judged afresh.
        /// </summary>
        public (string Kind, string? CorrectsActionId) ClassifyPrompt(string text)
        {
            (string, string?) result;
            if (FailureUnanswered) result = (TraceEventKinds.UserCorrection, LastActionId);
            else if (LastActionId != null && TranscriptText.LooksLikeCorrection(text)) result = (TraceEventKinds.UserCorrection, LastActionId);
            else result = (TraceEventKinds.UserPrompt, null);
            FailureUnanswered = false;
            return result;
        }
    }
}

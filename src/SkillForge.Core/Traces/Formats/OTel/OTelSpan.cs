using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats.Common;

namespace SkillForge.Traces.Formats.OTel
{
    /// <summary>One span, whichever JSON shape it came in, with attribute values as text.</summary>
    internal sealed class OTelSpan
    {
        public string TraceId { get; set; } = "";
        public string SpanId { get; set; } = "";
        public string? ParentId { get; set; }
        public string Name { get; set; } = "";
        public long? StartNs { get; set; }
        public long? EndNs { get; set; }
        public bool StatusError { get; set; }
        public string? StatusMessage { get; set; }
        public Dictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
        public List<(string Name, Dictionary<string, string> Attributes)> Events { get; } = new List<(string, Dictionary<string, string>)>();
        /// <summary>1-based span number in the file (or line number for JSON Lines input).</summary>
        public long Record { get; set; }
        /// <summary>Position in the file, to keep the file's order among spans that started at the same time.</summary>
        public int Index { get; set; }

        public string? Attr(string key) => Attributes.TryGetValue(key, out var v) ? v : null;

        public string? FirstAttr(params string[] keys)
        {
            foreach (var k in keys)
                if (Attributes.TryGetValue(k, out var v) && v.Length > 0) return v;
            return null;
        }
    }

    /// <summary>
    /// Finds the spans in a parsed document: OTLP JSON (<c>resourceSpans[].scopeSpans[].spans[]</c>, attributes as
    /// <c>[{key, value: {stringValue|intValue|...}}]</c>, hex ids, <c>startTimeUnixNano</c>), the OpenTelemetry Python SDK's
    /// span JSON (<c>context.trace_id</c>, <c>start_time</c>, attributes as an object; any-agent writes ids as decimal
    /// integers up to 128 bits, read here as raw text), and lists or <c>{"spans": [...]}</c> wrappers of either.
    /// </summary>
    internal static class OTelSpanParser
    {
        private const long UnixEpochTicks = 621355968000000000L;

        /// <summary>Collects the spans of one document; bad spans become errors.</summary>
        public static void Collect(JsonElement root, string sourceFile, long? line, List<OTelSpan> spans, List<RecordError> errors)
        {
            var counter = new Counter { Line = line };
            Visit(root, sourceFile, spans, errors, counter, 0);
        }

        private sealed class Counter
        {
            public long? Line;
        }

        private static void Visit(JsonElement element, string sourceFile, List<OTelSpan> spans, List<RecordError> errors, Counter counter, int depth)
        {
            if (depth > 8) return;
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray()) Visit(item, sourceFile, spans, errors, counter, depth + 1);
                return;
            }
            if (element.ValueKind != JsonValueKind.Object) return;

            if (JsonValues.TryProp(element, "resource_spans", out var resourceSpans))
            {
                foreach (var rs in Items(resourceSpans))
                {
                    bool any = false;
                    foreach (var scopeKey in new[] { "scope_spans", "instrumentation_library_spans" })
                    {
                        if (!JsonValues.TryProp(rs, scopeKey, out var scopeSpans)) continue;
                        foreach (var ss in Items(scopeSpans))
                        {
                            any = true;
                            if (JsonValues.TryProp(ss, "spans", out var list)) Visit(list, sourceFile, spans, errors, counter, depth + 1);
                        }
                    }
                    if (!any && JsonValues.TryProp(rs, "spans", out var direct)) Visit(direct, sourceFile, spans, errors, counter, depth + 1);
                }
                return;
            }
            if (!LooksLikeSpan(element) && JsonValues.TryProp(element, "spans", out var wrapped))
            {
                Visit(wrapped, sourceFile, spans, errors, counter, depth + 1);
                return;
            }

            // OpenAI Agents SDK exports interleave trace headers with their spans; the header carries no event.
            if (JsonValues.Str(element, "object") == "trace") return;

            long record = counter.Line ?? spans.Count + errors.Count + 1;
            var span = ParseSpan(element, out var problem);
            if (span == null)
            {
                errors.Add(new RecordError(ErrorIds.TraceInvalidRecord,
                    $"Span {record.ToString(CultureInfo.InvariantCulture)} in '{sourceFile}' {problem}; it was skipped, the other spans are read.",
                    sourceFile, record, JsonValues.Snippet(element)));
                return;
            }
            span.Record = record;
            span.Index = spans.Count;
            spans.Add(span);
        }

        private static IEnumerable<JsonElement> Items(JsonElement v)
        {
            if (v.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in v.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.Object) yield return item;
            }
            else if (v.ValueKind == JsonValueKind.Object) yield return v;
        }

        private static bool LooksLikeSpan(JsonElement e) =>
            JsonValues.TryProp(e, "trace_id", out _) || JsonValues.TryProp(e, "span_id", out _) || JsonValues.TryProp(e, "context", out _);

        internal static OTelSpan? ParseSpan(JsonElement e, out string problem)
        {
            problem = "";
            JsonValues.TryProp(e, "context", out var context);
            var traceId = Id(e, context, "trace_id");
            var spanId = Id(e, context, "span_id");
            if (traceId == null)
            {
                problem = "has no trace id (trace_id, traceId or context.trace_id)";
                return null;
            }
            var span = new OTelSpan
            {
                TraceId = traceId,
                SpanId = spanId ?? (JsonValues.Str(e, "object") == "trace.span" ? IdValue(e, "id") ?? "" : ""),
                Name = JsonValues.Str(e, "name") ?? "",
            };

            if (JsonValues.TryProp(e, "parent", out var parent) && parent.ValueKind == JsonValueKind.Object) span.ParentId = Id(parent, default, "span_id");
            span.ParentId ??= IdValue(e, "parent_span_id") ?? IdValue(e, "parent_id");
            if (span.ParentId != null && span.ParentId.Trim('0').Length == 0) span.ParentId = null;

            span.StartNs = Nanos(e, "start_time_unix_nano") ?? Nanos(e, "start_time") ?? Nanos(e, "started_at");
            span.EndNs = Nanos(e, "end_time_unix_nano") ?? Nanos(e, "end_time") ?? Nanos(e, "ended_at");

            if (JsonValues.TryProp(e, "attributes", out var attributes)) ReadAttributes(attributes, span.Attributes);

            if (JsonValues.TryProp(e, "status", out var status))
            {
                var code = JsonValues.Str(status, "status_code") ?? JsonValues.Str(status, "code") ?? (status.ValueKind == JsonValueKind.String ? status.GetString() : null);
                var c = (code ?? "").Trim().ToUpperInvariant();
                span.StatusError = c == "ERROR" || c == "2" || c == "STATUS_CODE_ERROR" || c == "STATUSCODE.ERROR";
                span.StatusMessage = JsonValues.Str(status, "description") ?? JsonValues.Str(status, "message");
                if (string.IsNullOrWhiteSpace(span.StatusMessage)) span.StatusMessage = null;
            }

            if (JsonValues.TryProp(e, "span_data", out var spanData) && spanData.ValueKind == JsonValueKind.Object) AgentsSdk(span, e, spanData);

            if (JsonValues.TryProp(e, "events", out var events) && events.ValueKind == JsonValueKind.Array)
            {
                foreach (var ev in events.EnumerateArray())
                {
                    if (ev.ValueKind != JsonValueKind.Object) continue;
                    var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (JsonValues.TryProp(ev, "attributes", out var evAttrs)) ReadAttributes(evAttrs, attrs);
                    span.Events.Add((JsonValues.Str(ev, "name") ?? "", attrs));
                }
            }
            return span;
        }

        /// <summary>
        /// OpenAI Agents SDK spans (<c>{"object": "trace.span", span_data: {type, name, input, output, triggered}, error}</c>)
        /// described with the GenAI attribute names the mapping reads.
        /// </summary>
        private static void AgentsSdk(OTelSpan span, JsonElement e, JsonElement data)
        {
            var type = (JsonValues.Str(data, "type") ?? "").Trim().ToLowerInvariant();
            var name = JsonValues.Str(data, "name");
            if (span.Name.Length == 0 && name != null) span.Name = name;
            void Set(string key, string? value)
            {
                if (value != null && !span.Attributes.ContainsKey(key)) span.Attributes[key] = value;
            }
            switch (type)
            {
                case "function":
                case "mcp_tools":
                    Set("gen_ai.operation.name", "execute_tool");
                    Set("gen_ai.tool.name", name ?? (type == "mcp_tools" ? JsonValues.Str(data, "server") : null));
                    if (JsonValues.TryProp(data, "input", out var input)) Set("gen_ai.tool.call.arguments", JsonValues.Text(input));
                    if (JsonValues.TryProp(data, "output", out var output)) Set("gen_ai.tool.call.result", JsonValues.Text(output));
                    break;
                case "guardrail":
                    Set("gen_ai.operation.name", "apply_guardrail");
                    Set("gen_ai.guardrail.name", name);
                    if (JsonValues.TryProp(data, "triggered", out var triggered)) Set("gen_ai.guardrail.triggered", JsonValues.IsTrue(triggered) ? "true" : "false");
                    break;
                case "agent":
                    Set("gen_ai.operation.name", "invoke_agent");
                    Set("gen_ai.agent.name", name);
                    break;
                default:
                    Set("gen_ai.operation.name", type);
                    break;
            }
            if (JsonValues.TryProp(e, "error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                span.StatusError = true;
                var message = JsonValues.Str(error, "message");
                string? detail = null;
                if (JsonValues.TryProp(error, "data", out var detailData))
                    detail = detailData.ValueKind == JsonValueKind.Object ? JsonValues.Str(detailData, "error") : JsonValues.Scalar(detailData);
                span.StatusMessage = message != null && detail != null ? message + ": " + detail : message ?? detail ?? JsonValues.Snippet(error);
            }
        }

        /// <summary>An id from the span or its context: hex lower-cased (a "0x" prefix dropped), decimal integers as their digits.</summary>
        private static string? Id(JsonElement span, JsonElement context, string snake) =>
            IdValue(span, snake) ?? (context.ValueKind == JsonValueKind.Object ? IdValue(context, snake) : null);

        private static string? IdValue(JsonElement obj, string snake)
        {
            if (!JsonValues.TryProp(obj, snake, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number) return v.GetRawText();
            if (v.ValueKind != JsonValueKind.String) return null;
            var s = v.GetString()!.Trim();
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s.Substring(2);
            if (s.Length == 0) return null;
            foreach (var ch in s)
                if (!Uri.IsHexDigit(ch)) return s;
            return s.ToLowerInvariant();
        }

        /// <summary>Nanoseconds since the Unix epoch from an integer (number or string, never through double) or an ISO-8601 string.</summary>
        private static long? Nanos(JsonElement obj, string snake)
        {
            if (!JsonValues.TryProp(obj, snake, out var v)) return null;
            string? text = v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (string.IsNullOrWhiteSpace(text)) return null;
            text = text!.Trim();
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ns)) return ns;
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0 && d < long.MaxValue) return (long)d;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                return (t.UtcTicks - UnixEpochTicks) * 100;
            return null;
        }

        public static DateTimeOffset? ToTimestamp(long? ns)
        {
            if (ns == null || ns <= 0) return null;
            long ticks = ns.Value / 100 + UnixEpochTicks;
            return ticks <= DateTimeOffset.MaxValue.UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : (DateTimeOffset?)null;
        }

        /// <summary>Attributes as an object ({"k": v}) or as OTLP key/value pairs ([{key, value: {stringValue: ...}}]).</summary>
        private static void ReadAttributes(JsonElement attributes, Dictionary<string, string> into)
        {
            if (attributes.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in attributes.EnumerateObject())
                    if (p.Value.ValueKind != JsonValueKind.Null) into[p.Name] = JsonValues.Text(p.Value);
            }
            else if (attributes.ValueKind == JsonValueKind.Array)
            {
                foreach (var kv in attributes.EnumerateArray())
                {
                    var key = JsonValues.Str(kv, "key");
                    if (key == null || !JsonValues.TryProp(kv, "value", out var value)) continue;
                    var text = AnyValue(value);
                    if (text != null) into[key] = text;
                }
            }
        }

        /// <summary>An OTLP AnyValue as text: strings as themselves, numbers as their digits, arrays and maps as JSON.</summary>
        private static string? AnyValue(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.Object) return value.ValueKind == JsonValueKind.Null ? null : JsonValues.Text(value);
            foreach (var key in new[] { "string_value", "int_value", "double_value", "bool_value", "bytes_value" })
                if (JsonValues.TryProp(value, key, out var v)) return JsonValues.Text(v);
            if (JsonValues.TryProp(value, "array_value", out var array))
            {
                var sb = new StringBuilder("[");
                if (JsonValues.TryProp(array, "values", out var values) && values.ValueKind == JsonValueKind.Array)
                {
                    bool first = true;
                    foreach (var item in values.EnumerateArray())
                    {
                        if (!first) sb.Append(',');
                        first = false;
                        sb.Append(JsonEncode(AnyValue(item)));
                    }
                }
                return sb.Append(']').ToString();
            }
            if (JsonValues.TryProp(value, "kvlist_value", out var kvlist))
            {
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                if (JsonValues.TryProp(kvlist, "values", out var values)) ReadAttributes(values, map);
                var sb = new StringBuilder("{");
                bool first = true;
                foreach (var p in map)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonEncode(p.Key)).Append(':').Append(JsonEncode(p.Value));
                }
                return sb.Append('}').ToString();
            }
            return value.GetRawText();
        }

        private static string JsonEncode(string? text)
        {
            if (text == null) return "null";
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(text);
            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }
}

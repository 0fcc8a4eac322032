using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats.Common;
using SkillForge.IO;
using SkillForge.Traces.Formats.OTel;

namespace SkillForge.Traces.Formats
{
    /// <summary>
    /// OpenTelemetry GenAI spans: OTLP JSON (one document, or one ExportTraceServiceRequest per line) and the span JSON
    /// of the OpenTelemetry Python SDK (as any-agent writes it, and as ConsoleSpanExporter prints it: indented spans one
    /// after another), bare, in a list or wrapped in {"spans": [...]},
    /// and OpenAI Agents SDK span exports (<c>{"object": "trace.span", span_data: {type: function|guardrail|agent|...}}</c>,
    /// read as if they carried the matching GenAI attributes; <c>error</c> non-null marks a failure).
    /// <para>A span with gen_ai.operation.name "execute_tool" is an action: Tool = gen_ai.tool.name, ActionId =
    /// gen_ai.tool.call.id else the span id, Data {"arguments": gen_ai.tool.call.arguments or gen_ai.tool.args,
    /// "result": gen_ai.tool.call.result or gen_ai.output, "error": the status message, exception or error.type},
    /// DurationMs from start and end. Kind: policy_violation when a guardrail attribute (…guardrail…triggered) is true,
    /// action_failed when the status is ERROR, error.type is set or an "exception" event was recorded, else
    /// action_succeeded. A triggered guardrail span is a policy_violation too; an invoke_agent root span becomes one
    /// assistant_note; model calls and other spans are left out.</para>
    /// TraceId is the span's trace id as text: hex lower-case for OTLP, the decimal digits any-agent writes (never
    /// converted through a floating-point number). Events come out trace by trace, in start-time order.
    /// SourceLine is the 1-based span number in the file (the line number for JSON Lines input).
    /// </summary>
    public sealed class OTelTraceFormat : ITraceFormat
    {
        private const string FormatName = "OpenTelemetry span export";
        internal const int PayloadChars = 4000;
        private static readonly Regex GenAiKey = new Regex(
            "(?<!\\\\)\"gen_ai\\.[a-z_.]+\"\\s*:|(?<!\\\\)\"key\"\\s*:\\s*\"gen_ai\\.[a-z_.]+\"", RegexOptions.CultureInvariant);
        private static readonly Regex ResourceSpans = new Regex("(?<!\\\\)\"(resourceSpans|resource_spans)\"\\s*:\\s*\\[", RegexOptions.CultureInvariant);
        private static readonly Regex SpanContext = new Regex("(?<!\\\\)\"context\"\\s*:\\s*\\{\\s*\"trace_id\"", RegexOptions.CultureInvariant);
        private static readonly Regex SpanIds = new Regex("(?<!\\\\)\"(span_id|spanId)\"\\s*:", RegexOptions.CultureInvariant);
        private static readonly Regex TraceIds = new Regex("(?<!\\\\)\"(trace_id|traceId)\"\\s*:", RegexOptions.CultureInvariant);
        private static readonly Regex AgentsSdkSpan = new Regex("(?<!\\\\)\"object\"\\s*:\\s*\"trace\\.span\"", RegexOptions.CultureInvariant);
        private static readonly Regex Times = new Regex("(?<!\\\\)\"(start_time|startTimeUnixNano|start_time_unix_nano)\"\\s*:", RegexOptions.CultureInvariant);

        public TraceFormat Format => TraceFormat.OTel;

        public bool Recognizes(SourceSample sample)
        {
            var head = sample.Head.TrimStart();
            if (!head.StartsWith("{", StringComparison.Ordinal) && !head.StartsWith("[", StringComparison.Ordinal)) return false;
            if (ResourceSpans.IsMatch(head)) return true;
            if (SpanContext.IsMatch(head)) return true;
            if (AgentsSdkSpan.IsMatch(head) && TraceIds.IsMatch(head)) return true;
            bool spanShaped = TraceIds.IsMatch(head) && SpanIds.IsMatch(head) && Times.IsMatch(head);
            return spanShaped || (GenAiKey.IsMatch(head) && TraceIds.IsMatch(head));
        }

        public IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken)
        {
            var bytes = WholeJson.ReadAll(stream, sourceFile, FormatName, ErrorIds.TraceInvalidJson, WholeJson.MaxBytes, cancellationToken, out var readError);
            if (bytes == null)
            {
                yield return Outcome<TraceEvent>.Fail(readError!);
                yield break;
            }

            var spans = new List<OTelSpan>();
            var errors = new List<RecordError>();
            {
                using (var whole = WholeJson.Parse(bytes.Value, sourceFile, FormatName, ErrorIds.TraceInvalidJson, out var parseError))
                {
                    if (whole != null)
                    {
                        OTelSpanParser.Collect(whole.RootElement, sourceFile, null, spans, errors);
                    }
                    else if (LooksLikeJsonLines(bytes.Value))
                    {
                        // The collector's file exporter writes one JSON document per line.
                        using var lines = new MemoryStream(bytes.Value.Array!, bytes.Value.Offset, bytes.Value.Count, writable: false);
                        foreach (var line in JsonLines.Read(lines, cancellationToken))
                        {
                            using (line)
                            {
                                if (line.Document == null)
                                {
                                    errors.Add(new RecordError(ErrorIds.TraceInvalidJson,
                                        $"Line {line.LineNumber.ToString(CultureInfo.InvariantCulture)} of '{sourceFile}' is not valid JSON: {line.Error} It was skipped, the other lines are read.",
                                        sourceFile, line.LineNumber, line.Snippet));
                                    continue;
                                }
                                OTelSpanParser.Collect(line.Document.RootElement, sourceFile, line.LineNumber, spans, errors);
                            }
                        }
                    }
                    else if (!ReadConcatenated(bytes.Value, sourceFile, spans, errors))
                    {
                        errors.Add(parseError!);
                    }
                }
            }

            if (spans.Count == 0 && errors.Count == 0)
            {
                errors.Add(new RecordError(ErrorIds.TraceInvalidRecord,
                    $"File '{sourceFile}' holds no OpenTelemetry spans: expected OTLP JSON (resourceSpans), span objects with a trace id, " +
                    "or a list of them. Check that the export is complete, or use -Format to pick the right reader.", sourceFile, 1));
            }
            foreach (var error in errors) yield return Outcome<TraceEvent>.Fail(error);
            foreach (var e in ToEvents(spans, sourceFile, cancellationToken)) yield return Outcome<TraceEvent>.Ok(e);
        }

        /// <summary>
        /// Reads JSON values written one after another (the Python SDK's ConsoleSpanExporter prints each span as indented
        /// JSON). False when the bytes do not hold at least two complete values, so the caller reports the parse error.
        /// </summary>
        private static bool ReadConcatenated(ArraySegment<byte> segment, string sourceFile, List<OTelSpan> spans, List<RecordError> errors)
        {
            var bytes = segment.Array!;
            int start = segment.Offset, count = segment.Count;
            if (count >= 3 && bytes[start] == 0xEF && bytes[start + 1] == 0xBB && bytes[start + 2] == 0xBF)
            {
                start += 3;
                count -= 3;
            }
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(bytes, start, count), new JsonReaderOptions
            {
                AllowMultipleValues = true,
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                MaxDepth = 256,
            });
            var found = new List<OTelSpan>();
            var problems = new List<RecordError>();
            int values = 0;
            try
            {
                while (reader.Read())
                {
                    using var doc = JsonDocument.ParseValue(ref reader);
                    values++;
                    OTelSpanParser.Collect(doc.RootElement, sourceFile, null, found, problems);
                }
            }
            catch (JsonException e)
            {
                if (values < 2) return false;
                long line = (e.LineNumber ?? 0) + 1;
                problems.Add(new RecordError(ErrorIds.TraceInvalidJson,
                    $"File '{sourceFile}' stops being valid JSON at line {line.ToString(CultureInfo.InvariantCulture)}: {e.Message} " +
                    $"The {found.Count.ToString(CultureInfo.InvariantCulture)} spans before that point were read; check that the file is complete.",
                    sourceFile, line));
            }
            if (values < 2) return false;
            foreach (var span in found)
            {
                span.Index = spans.Count;
                spans.Add(span);
            }
            errors.AddRange(problems);
            return true;
        }

        /// <summary>True when the first non-blank line is a complete JSON document of its own (JSON Lines, not a broken document).</summary>
        private static bool LooksLikeJsonLines(ArraySegment<byte> segment)
        {
            var bytes = segment.Array!;
            int start = segment.Offset, limit = segment.Offset + segment.Count;
            while (start < limit)
            {
                int end = Array.IndexOf(bytes, (byte)'\n', start, limit - start);
                if (end < 0) return false; // a single line that failed to parse is just invalid JSON
                var line = System.Text.Encoding.UTF8.GetString(bytes, start, end - start).Trim().TrimStart('\uFEFF');
                if (line.Length > 0)
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(line, WholeJson.Options);
                        return doc.RootElement.ValueKind == JsonValueKind.Object;
                    }
                    catch (JsonException)
                    {
                        return false;
                    }
                }
                start = end + 1;
            }
            return false;
        }

        internal static IEnumerable<TraceEvent> ToEvents(List<OTelSpan> spans, string sourceFile, CancellationToken cancellationToken)
        {
            var traces = new Dictionary<string, List<OTelSpan>>(StringComparer.Ordinal);
            var order = new List<string>();
            var spanIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in spans)
            {
                if (!traces.TryGetValue(s.TraceId, out var list))
                {
                    traces[s.TraceId] = list = new List<OTelSpan>();
                    order.Add(s.TraceId);
                }
                list.Add(s);
                if (s.SpanId.Length > 0) spanIds.Add(s.TraceId + "/" + s.SpanId);
            }

            foreach (var traceId in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var list = traces[traceId];
                // Start-time order; spans without a start time keep their place after the timed ones; ties keep file order.
                list.Sort((a, b) =>
                {
                    int c = (a.StartNs ?? long.MaxValue).CompareTo(b.StartNs ?? long.MaxValue);
                    return c != 0 ? c : a.Index.CompareTo(b.Index);
                });
                int sequence = 0;
                foreach (var span in list)
                {
                    var e = ToEvent(span, spanIds, sourceFile);
                    if (e == null) continue;
                    e.Sequence = sequence++;
                    yield return e;
                }
            }
        }

        private static TraceEvent? ToEvent(OTelSpan span, HashSet<string> spanIds, string sourceFile)
        {
            var operation = Operation(span);
            bool isTool = operation == "execute_tool" || operation == "tool";
            bool isGuardrail = operation.IndexOf("guardrail", StringComparison.Ordinal) >= 0;
            bool triggered = GuardrailTriggered(span);
            var error = ErrorText(span);

            if (isTool || (isGuardrail && triggered))
            {
                string kind = triggered ? TraceEventKinds.PolicyViolation
                    : error != null ? TraceEventKinds.ActionFailed
                    : TraceEventKinds.ActionSucceeded;
                var tool = isTool
                    ? span.FirstAttr("gen_ai.tool.name", "tool.name") ?? NameAfterOperation(span) ?? "unknown_tool"
                    : span.FirstAttr("gen_ai.guardrail.name", "guardrail.name") ?? (span.Name.Length > 0 ? span.Name : "guardrail");
                var data = new JsonObjectBuilder()
                    .MaybeJson("arguments", span.FirstAttr("gen_ai.tool.call.arguments", "gen_ai.tool.args", "input.value", "gen_ai.input"), PayloadChars)
                    .MaybeJson("result", span.FirstAttr("gen_ai.tool.call.result", "gen_ai.output", "output.value", "gen_ai.tool.call.output"), PayloadChars)
                    .String("error", error == null ? null : TextUtil.Truncate(error, PayloadChars));
                if (triggered) data.String("guardrail", span.FirstAttr("gen_ai.guardrail.name", "guardrail.name") ?? span.Name);
                return new TraceEvent
                {
                    TraceId = span.TraceId,
                    Kind = kind,
                    ActionId = span.FirstAttr("gen_ai.tool.call.id", "tool_call.id") ?? (span.SpanId.Length > 0 ? span.SpanId : null),
                    Tool = tool,
                    Data = data.Build(),
                    DurationMs = Duration(span),
                    Timestamp = OTelSpanParser.ToTimestamp(span.StartNs),
                    SourceFile = sourceFile,
                    SourceLine = span.Record,
                };
            }

            bool isRoot = span.ParentId == null || !spanIds.Contains(span.TraceId + "/" + span.ParentId);
            if (operation == "invoke_agent" && isRoot)
            {
                var data = new JsonObjectBuilder()
                    .String("agent", span.FirstAttr("gen_ai.agent.name") ?? NameAfterOperation(span))
                    .StringIfPresent("model", span.FirstAttr("gen_ai.request.model", "gen_ai.response.model"))
                    .String("error", error == null ? null : TextUtil.Truncate(error, PayloadChars));
                return new TraceEvent
                {
                    TraceId = span.TraceId,
                    Kind = TraceEventKinds.AssistantNote,
                    ActionId = span.SpanId.Length > 0 ? span.SpanId : null,
                    Data = data.Build(),
                    DurationMs = Duration(span),
                    Timestamp = OTelSpanParser.ToTimestamp(span.StartNs),
                    SourceFile = sourceFile,
                    SourceLine = span.Record,
                };
            }
            return null;
        }

        /// <summary>gen_ai.operation.name, else the OpenInference span kind, else the first word of the span name.</summary>
        private static string Operation(OTelSpan span)
        {
            var op = span.FirstAttr("gen_ai.operation.name");
            if (op == null)
            {
                var kind = span.FirstAttr("openinference.span.kind", "traceloop.span.kind");
                if (kind != null) op = kind.ToLowerInvariant();
            }
            if (op == null)
            {
                var name = span.Name.Trim();
                int space = name.IndexOf(' ');
                var first = space < 0 ? name : name.Substring(0, space);
                if (first == "execute_tool" || first == "invoke_agent" || first.StartsWith("guardrail", StringComparison.OrdinalIgnoreCase)) op = first;
            }
            return (op ?? "").Trim().ToLowerInvariant();
        }

        /// <summary>"execute_tool get_weather" → "get_weather", "invoke_agent [any_agent]" → "any_agent".</summary>
        private static string? NameAfterOperation(OTelSpan span)
        {
            var name = span.Name.Trim();
            int space = name.IndexOf(' ');
            if (space < 0) return null;
            var rest = name.Substring(space + 1).Trim().Trim('[', ']');
            return rest.Length > 0 ? rest : null;
        }

        private static bool GuardrailTriggered(OTelSpan span)
        {
            foreach (var kv in span.Attributes)
            {
                var key = kv.Key;
                bool guardrailKey = key.IndexOf("guardrail", StringComparison.OrdinalIgnoreCase) >= 0
                    && (key.EndsWith("triggered", StringComparison.OrdinalIgnoreCase) || key.EndsWith("tripped", StringComparison.OrdinalIgnoreCase));
                bool plainKey = key == "triggered" && Operation(span).IndexOf("guardrail", StringComparison.Ordinal) >= 0;
                if ((guardrailKey || plainKey) && IsTrue(kv.Value)) return true;
            }
            return false;
        }

        private static bool IsTrue(string value)
        {
            var v = value.Trim();
            return string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) || v == "1";
        }

        /// <summary>Why the span failed, or null: status ERROR, error.type, or an "exception" event.</summary>
        private static string? ErrorText(OTelSpan span)
        {
            string? exception = null;
            foreach (var (name, attrs) in span.Events)
            {
                if (!string.Equals(name, "exception", StringComparison.OrdinalIgnoreCase)) continue;
                attrs.TryGetValue("exception.type", out var type);
                attrs.TryGetValue("exception.message", out var message);
                exception = type != null && message != null ? type + ": " + message : message ?? type ?? "exception";
                break;
            }
            var errorType = span.Attr("error.type");
            if (!span.StatusError && exception == null && string.IsNullOrWhiteSpace(errorType)) return null;
            return span.StatusMessage ?? exception ?? errorType ?? "error";
        }

        private static double? Duration(OTelSpan span) =>
            span.StartNs != null && span.EndNs != null && span.EndNs >= span.StartNs
                ? (span.EndNs.Value - span.StartNs.Value) / 1e6
                : (double?)null;
    }
}

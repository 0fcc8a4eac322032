using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Traces.Formats
{
    /// <summary>
    /// SkillForge's own trace format: records with kind, action_id, tool, data, duration_ms, state_before,
    /// state_after, reward, trace_id and timestamp (names in any casing style), as JSON Lines, a JSON array,
    /// or an object whose "events" array holds them (its own trace_id, when it comes before the array,
    /// applies to records without one).
    /// </summary>
    public sealed class SkillForgeTraceFormat : ITraceFormat
    {
        public TraceFormat Format => TraceFormat.SkillForge;

        /// <summary>True when a record at the top level of the sample (line, array element or events element) has a string "kind".</summary>
        public bool Recognizes(SourceSample sample)
        {
            string head = sample.Head.TrimStart();
            if (head.Length == 0 || (head[0] != '{' && head[0] != '[')) return false;

            var bytes = Encoding.UTF8.GetBytes(head);
            var reader = new Utf8JsonReader(bytes, isFinalBlock: false,
                new JsonReaderState(new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }));
            bool rootIsArray = head[0] == '[';
            bool inEvents = false;
            string lastRootProperty = "";
            try
            {
                while (reader.Read())
                {
                    int depth = reader.CurrentDepth;
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartArray:
                            if (!rootIsArray && depth == 1 && lastRootProperty == TraceFieldNames.Events) inEvents = true;
                            break;
                        case JsonTokenType.EndArray:
                            if (depth == 1) inEvents = false;
                            break;
                        case JsonTokenType.PropertyName:
                            string name = TraceFieldNames.Normalize(reader.GetString() ?? "");
                            if (!rootIsArray && depth == 1) lastRootProperty = name;
                            bool recordLevel = rootIsArray ? depth == 2 : depth == 1 || (inEvents && depth == 3);
                            if (recordLevel && name == TraceFieldNames.Kind)
                            {
                                if (!reader.Read()) return false;
                                if (reader.TokenType == JsonTokenType.String)
                                {
                                    string value = reader.GetString() ?? "";
                                    if (value.Length > 0 && !value.StartsWith("SPAN_KIND", StringComparison.OrdinalIgnoreCase)) return true;
                                }
                            }
                            break;
                    }
                }
            }
            catch (JsonException)
            {
                // The sample ends mid-record, or (JSON Lines) a second top-level value starts: what was seen decides.
            }
            return false;
        }

        public IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken)
        {
            string fileTraceId = TraceEventConverter.DefaultTraceId(sourceFile);
            var records = new JsonRecordStream(TraceFieldNames.Events);
            var sequences = new TraceSequencer();
            foreach (var record in records.Read(stream, cancellationToken))
            {
                using (record)
                {
                    if (record.Document == null)
                    {
                        yield return Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                            $"{sourceFile}:{record.LineNumber}: not valid JSON ({record.Error}) Fix or remove that record; the rest of the file was read.",
                            sourceFile, record.LineNumber, record.Snippet));
                        continue;
                    }

                    string defaultTraceId = fileTraceId;
                    if (records.Layout == JsonRecordLayout.Container &&
                        records.ContainerProperties.TryGetValue(TraceFieldNames.TraceId, out var containerId) &&
                        containerId.Trim().Length > 0)
                        defaultTraceId = containerId;

                    var ev = TraceEventConverter.FromJson(record.Document.RootElement, defaultTraceId, out var error);
                    if (ev == null)
                    {
                        yield return Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                            $"{sourceFile}:{record.LineNumber}: {error} Fix or remove that record; the rest of the file was read.",
                            sourceFile, record.LineNumber, Snippet(record.Document.RootElement)));
                        continue;
                    }
                    ev.SourceFile = sourceFile;
                    ev.SourceLine = record.LineNumber;
                    ev.Sequence = sequences.Next(ev.TraceId);
                    yield return Outcome<TraceEvent>.Ok(ev);
                }
            }
        }

        private static string Snippet(JsonElement element)
        {
            string raw = element.GetRawText();
            return TextUtil.Truncate(raw.Length > JsonLines.SnippetLength * 2 ? raw.Substring(0, JsonLines.SnippetLength * 2) : raw, JsonLines.SnippetLength);
        }
    }
}

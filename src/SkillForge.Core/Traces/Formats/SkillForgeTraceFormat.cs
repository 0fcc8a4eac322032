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
            // Lines are parsed once, below, into the document the converter needs.
            var records = new JsonRecordReader(stream, new[] { TraceFieldNames.Events }, null, cancellationToken) { CheckLines = false };
            var sequences = new TraceSequencer();
            while (records.MoveNext())
            {
                long line = records.Line;
                if (records.Error != null)
                {
                    var error = records.Error;
                    // A NotJson problem is a bare reason ("it looks like a binary file, not text"), not the rest of a sentence.
                    string message = error.Kind == JsonRecordErrorKind.NotJson
                        ? $"{sourceFile}: the file is not a JSON or JSON Lines trace: {error.Problem}. Give a .json or .jsonl trace (gzip-compressed or not), or pick another -Format."
                        : error.EndsInput
                            ? $"{sourceFile}:{line}: the file {error.Problem} The records before it were read; fix the file and import it again to get the rest."
                            : $"{sourceFile}:{line}: the record {error.Problem} Fix or remove that record; the rest of the file was read.";
                    yield return Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord, message, sourceFile, line, error.Snippet));
                    continue;
                }

                var outcome = Convert(records, sourceFile, fileTraceId);
                if (!outcome.IsError)
                {
                    outcome.Value!.Sequence = sequences.Next(outcome.Value.TraceId);
                }
                yield return outcome;
            }
        }

        /// <summary>One record (still in the reader's buffer) as an event; the document does not outlive the call.</summary>
        private static Outcome<TraceEvent> Convert(JsonRecordReader records, string sourceFile, string fileTraceId)
        {
            long line = records.Line;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(records.RecordMemory, ParseOptions);
            }
            catch (Exception e) when (e is JsonException || e is ArgumentException)
            {
                string why = e is JsonException json ? JsonRecordReader.TrimJsonMessage(json) : e.Message;
                return Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                    $"{sourceFile}:{line}: the record is not valid JSON: {why} Fix or remove that record; the rest of the file was read.",
                    sourceFile, line, JsonRecordReader.Snippet(records.Record)));
            }
            using (document)
            {
                string defaultTraceId = fileTraceId;
                if (records.WrapperValues.TryGetValue(TraceFieldNames.TraceId, out var wrapperId) && wrapperId.Trim().Length > 0)
                    defaultTraceId = wrapperId;

                var ev = TraceEventConverter.FromJson(document.RootElement, defaultTraceId, out var error);
                if (ev == null)
                {
                    return Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                        $"{sourceFile}:{line}: {error} Fix or remove that record; the rest of the file was read.",
                        sourceFile, line, Snippet(document.RootElement)));
                }
                ev.SourceFile = sourceFile;
                ev.SourceLine = line;
                return Outcome<TraceEvent>.Ok(ev);
            }
        }

        private static readonly JsonDocumentOptions ParseOptions = new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = 256,
        };

        private static string Snippet(JsonElement element)
        {
            string raw = element.GetRawText();
            return TextUtil.Truncate(raw.Length > JsonLines.SnippetLength * 2 ? raw.Substring(0, JsonLines.SnippetLength * 2) : raw, JsonLines.SnippetLength);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;
using SkillForge.Traces.Formats.ClaudeCode;

namespace SkillForge.Traces.Formats
{
    /// <summary>
    /// Claude Code session transcripts (~/.claude/projects/&lt;project&gt;/&lt;sessionId&gt;.jsonl, and the
    /// sub-agent files beside them). Streams: only unanswered tool calls and the record uuids seen are kept.
    /// </summary>
    public sealed class ClaudeCodeTraceFormat : ITraceFormat
    {
        private const int SampleLines = 40;

        private static readonly HashSet<string> RecordTypes = new HashSet<string>(StringComparer.Ordinal)
        {
            "user", "assistant", "summary", "system", "queue-operation", "file-history-snapshot",
        };

        public TraceFormat Format => TraceFormat.ClaudeCode;

        /// <summary>
        /// True when a record of the sample carries sessionId, uuid and a Claude Code record type; false as soon as
        /// a record looks like SkillForge's own trace format.
        /// </summary>
        public bool Recognizes(SourceSample sample)
        {
            var docs = TranscriptText.SampleRecords(sample.Head, SampleLines);
            try
            {
                foreach (var doc in docs)
                {
                    var root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object) return false;
                    if (TranscriptText.IsSkillForgeRecord(root)) return false;
                    var type = TranscriptText.String(root, "type");
                    if (type != null && RecordTypes.Contains(type) &&
                        TranscriptText.String(root, "sessionId") != null && TranscriptText.String(root, "uuid") != null)
                        return true;
                }
                var tail = TranscriptText.CutTail(sample.Head);
                if (tail != null)
                {
                    // A record longer than the sample (a pasted image): judged by the keys before the cut. Claude Code
                    // writes parentUuid first and uuid after the message, so either key counts.
                    var keys = TranscriptText.PartialTopLevel(tail);
                    return !keys.ContainsKey("kind") &&
                        keys.TryGetValue("type", out var type) && type != null && RecordTypes.Contains(type) &&
                        keys.TryGetValue("sessionId", out var session) && session != null &&
                        (keys.ContainsKey("uuid") || keys.ContainsKey("parentUuid"));
                }
                return false;
            }
            finally
            {
                foreach (var doc in docs) doc.Dispose();
            }
        }

        public IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken) =>
            TranscriptRecordReader.Read(stream, "Claude Code", sourceFile, new ClaudeCodeTranscriptReader(sourceFile), cancellationToken);
    }
}

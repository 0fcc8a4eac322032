using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;
using SkillForge.Traces.Formats.Codex;

namespace SkillForge.Traces.Formats
{
    /// <summary>
    /// OpenAI Codex CLI rollouts (~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl), current and legacy envelopes.
    /// Streams: only calls still waiting for their output and the call ids seen are kept.
    /// </summary>
    public sealed class CodexTraceFormat : ITraceFormat
    {
        private const int SampleLines = 40;

        private static readonly HashSet<string> EnvelopeTypes = new HashSet<string>(StringComparer.Ordinal)
        {
            "session_meta", "response_item", "event_msg", "turn_context", "compacted",
        };

        private static readonly HashSet<string> LegacyItemTypes = new HashSet<string>(StringComparer.Ordinal)
        {
            "message", "function_call", "function_call_output", "reasoning", "custom_tool_call", "custom_tool_call_output", "local_shell_call",
        };

        public TraceFormat Format => TraceFormat.Codex;

        /// <summary>
        /// True for the current envelope (type session_meta/response_item/event_msg/turn_context with a payload
        /// object) or the legacy layout (first line with id, timestamp and instructions or git; then record_type
        /// lines or bare message/function_call/function_call_output/reasoning items). Never for SkillForge's own records.
        /// </summary>
        public bool Recognizes(SourceSample sample)
        {
            var head = sample.Head;
            var docs = TranscriptText.SampleRecords(head, SampleLines);
            try
            {
                bool legacyFirst = false;
                int index = 0;
                foreach (var doc in docs)
                {
                    var root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || TranscriptText.IsSkillForgeRecord(root)) return false;
                    var type = TranscriptText.String(root, "type");
                    if (type != null && EnvelopeTypes.Contains(type) && TranscriptText.Property(root, "payload").ValueKind == JsonValueKind.Object)
                        return true;
                    if (index == 0 && IsLegacySessionLine(root)) legacyFirst = true;
                    else if (legacyFirst && (root.TryGetProperty("record_type", out _) || (type != null && LegacyItemTypes.Contains(type))))
                        return true;
                    index++;
                }
                if (legacyFirst) return docs.Count == 1; // a rollout holding only its session line
                var tail = TranscriptText.CutTail(head);
                if (tail != null)
                {
                    // A line longer than the sample (instructions or an image embedded): judged by the keys before the cut.
                    var keys = TranscriptText.PartialTopLevel(tail);
                    if (keys.ContainsKey("kind")) return false;
                    if (keys.TryGetValue("type", out var type))
                        return type != null && EnvelopeTypes.Contains(type) && keys.ContainsKey("payload");
                    return docs.Count == 0 && keys.TryGetValue("id", out var id) && id != null && keys.TryGetValue("timestamp", out var ts) && ts != null &&
                        (keys.ContainsKey("instructions") || keys.ContainsKey("git"));
                }
                return false;
            }
            finally
            {
                foreach (var doc in docs) doc.Dispose();
            }
        }

        private static bool IsLegacySessionLine(JsonElement root) =>
            TranscriptText.String(root, "id") != null && TranscriptText.String(root, "timestamp") != null &&
            (root.TryGetProperty("instructions", out _) || root.TryGetProperty("git", out _)) &&
            !root.TryGetProperty("type", out _);

        public IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken) =>
            TranscriptRecordReader.Read(stream, "Codex", sourceFile, new CodexTranscriptReader(sourceFile), cancellationToken);
    }
}

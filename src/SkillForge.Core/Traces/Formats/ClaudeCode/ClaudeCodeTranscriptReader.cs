using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkillForge.Diagnostics;

namespace SkillForge.Traces.Formats.ClaudeCode
{
    /// <summary>
    /// Turns Claude Code transcript records into TraceEvents, one record at a time.
    /// <para>
    /// A tool_use block is an action; it is emitted when its tool_result (same id) arrives, because only the
    /// result decides the outcome. So actions appear in the order their results arrived, each trace numbered
    /// from 0 as events are emitted. What is kept between records: the tool calls still waiting for a result
    /// (their input already truncated), the uuids and tool ids seen (for de-duplication), and per trace the
    /// assistant text of the message being read (one API message is split over several lines sharing
    /// message.id; its text blocks are joined into one assistant_note).
    /// </para>
    /// <para>
    /// A tool call that never gets a result: when the user interrupts the trace it belongs to, it is emitted as
    /// action_failed with the error "no result recorded (session ended or was interrupted)", just before the
    /// user_interrupt, because the interrupt is what stopped it. Without an interrupt (the file simply ends, or
    /// the session crashed) nothing can be said about its outcome, so it is left out and counted nowhere.
    /// </para>
    /// </summary>
    internal sealed class ClaudeCodeTranscriptReader : ITranscriptRecordReader
    {
        public const string UnfinishedError = "no result recorded (session ended or was interrupted)";

        // Markup Claude Code injects into user turns; it is not what the user typed.
        private static readonly string[] InjectedTags =
        {
            "system-reminder", "local-command-stdout", "local-command-stderr", "local-command-caveat",
            "command-message", "command-name", "command-args", "bash-input", "bash-stdout", "bash-stderr",
            "user-memory-input",
        };

        // Reminders Claude Code appends to tool results (e.g. after every Read).
        private static readonly string[] ResultInjectedTags = { "system-reminder" };

        private static readonly Regex PermissionDenial = new Regex(
            @"^Permission to use \S+.{0,200}? (has been|was) denied|requested permissions? to .{0,500}? but you haven'?t granted it",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.Compiled);

        private static readonly Regex HookBlock = new Regex(
            @"\bhook\b.{0,300}?\b(blocked|blocking error|denied|prevented)\b|\b(blocked|denied|prevented) by (a |the )?\S*\s?hook\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.Compiled);

        private readonly string _sourceFile;
        private readonly string _fileStem;
        private readonly HashSet<string> _seenUuids = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _seenToolIds = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, PendingCall> _pending = new Dictionary<string, PendingCall>(StringComparer.Ordinal);
        private readonly Dictionary<string, TraceState> _traces = new Dictionary<string, TraceState>(StringComparer.Ordinal);

        public ClaudeCodeTranscriptReader(string sourceFile)
        {
            _sourceFile = sourceFile;
            _fileStem = TraceEventConverter.DefaultTraceId(sourceFile);
        }

        public void ReadRecord(JsonElement root, long line, List<Outcome<TraceEvent>> output)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                output.Add(Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                    $"Claude Code transcript '{_sourceFile}' line {line} is not a JSON object. The line was skipped; each line must hold one transcript record.",
                    _sourceFile, line)));
                return;
            }

            var type = TranscriptText.String(root, "type");
            if (type != "user" && type != "assistant" && type != "system") return; // summaries, snapshots, queue operations, unknown kinds

            var uuid = TranscriptText.String(root, "uuid");
            if (uuid != null && !_seenUuids.Add(uuid)) return; // the same record written twice (resume, rewind)

            var trace = TraceOf(root);
            var timestamp = TranscriptText.ParseTimestamp(TranscriptText.Property(root, "timestamp"));

            if (type == "system")
            {
                ReadSystem(root);
                return;
            }

            var message = TranscriptText.Property(root, "message");
            if (message.ValueKind != JsonValueKind.Object)
            {
                output.Add(Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                    $"Claude Code transcript '{_sourceFile}' line {line}: the {type} record has no \"message\" object. The record was skipped.",
                    _sourceFile, line)));
                return;
            }

            if (type == "assistant") ReadAssistant(root, message, trace, timestamp, line, output);
            else ReadUser(root, message, trace, timestamp, line, output);
        }

        /// <summary>End of file: pending assistant text is emitted; tool calls without a result are left out (see the class remarks).</summary>
        public void Finish(List<Outcome<TraceEvent>> output)
        {
            foreach (var trace in _traces.Values) FlushNote(trace, output);
            _pending.Clear();
        }

        private TraceState TraceOf(JsonElement root)
        {
            var session = TranscriptText.String(root, "sessionId") ?? _fileStem;
            var agentId = TranscriptText.String(root, "agentId");
            var id = TranscriptText.IsTrue(root, "isSidechain") || agentId != null
                ? session + "/" + (agentId ?? "sidechain")
                : session;
            if (!_traces.TryGetValue(id, out var trace))
            {
                trace = new TraceState(id);
                _traces.Add(id, trace);
            }
            return trace;
        }

        private void ReadSystem(JsonElement root)
        {
            // A PreToolUse hook that blocks a call leaves a system record naming the call; its result then decides.
            var toolUseId = TranscriptText.String(root, "toolUseID");
            var content = TranscriptText.String(root, "content");
            if (toolUseId != null && content != null && IsHookBlock(TranscriptText.Head(content, PolicyWindow)) && _pending.TryGetValue(toolUseId, out var call))
                call.HookMessage = content;
        }

        private void ReadAssistant(JsonElement root, JsonElement message, TraceState trace, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            var messageId = TranscriptText.String(message, "id");
            var content = TranscriptText.Property(message, "content");
            if (content.ValueKind == JsonValueKind.String)
            {
                AddNote(trace, messageId, content.GetString() ?? "", timestamp, line, output);
                return;
            }
            if (content.ValueKind != JsonValueKind.Array) return;

            string? state = null;
            bool stateRead = false;
            foreach (var block in content.EnumerateArray())
            {
                switch (TranscriptText.String(block, "type"))
                {
                    case "text":
                        AddNote(trace, messageId, TranscriptText.String(block, "text") ?? "", timestamp, line, output);
                        break;
                    case "tool_use":
                        var id = TranscriptText.String(block, "id");
                        if (id == null || !_seenToolIds.Add(id)) break; // a block repeated by a later line of the same message
                        if (!stateRead)
                        {
                            state = TranscriptText.StateObject(
                                new KeyValuePair<string, string?>("cwd", TranscriptText.String(root, "cwd")),
                                new KeyValuePair<string, string?>("gitBranch", TranscriptText.String(root, "gitBranch")));
                            stateRead = true;
                        }
                        _pending[id] = new PendingCall(trace.TraceId, id, TranscriptText.String(block, "name"),
                            TranscriptText.ToTruncatedJson(TranscriptText.Property(block, "input"), TranscriptText.InputStringLimit),
                            timestamp, state, line);
                        break;
                }
            }
        }

        private void ReadUser(JsonElement root, JsonElement message, TraceState trace, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            if (TranscriptText.IsTrue(root, "isMeta")) return; // caveats, expanded slash-command bodies, hook feedback
            var content = TranscriptText.Property(message, "content");
            if (content.ValueKind == JsonValueKind.String)
            {
                ReadUserText(trace, content.GetString() ?? "", timestamp, line, output);
                return;
            }
            if (content.ValueKind != JsonValueKind.Array) return;

            StringBuilder? text = null;
            foreach (var block in content.EnumerateArray())
            {
                switch (TranscriptText.String(block, "type"))
                {
                    case "tool_result":
                        ReadResult(root, block, trace, timestamp, line, output);
                        break;
                    case "text":
                        var t = TranscriptText.String(block, "text");
                        if (string.IsNullOrEmpty(t)) break;
                        text ??= new StringBuilder();
                        if (text.Length > 0) text.Append('\n');
                        text.Append(t);
                        break;
                    // image blocks (base64) and anything else: dropped
                }
            }
            if (text != null) ReadUserText(trace, text.ToString(), timestamp, line, output);
        }

        private void ReadUserText(TraceState trace, string raw, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            var text = CleanUserText(raw);
            if (text.Length == 0) return;

            if (text.StartsWith("[Request interrupted by user", StringComparison.Ordinal))
            {
                FailUnfinished(trace, timestamp, line, output);
                Emit(trace, Context(TraceEventKinds.UserInterrupt, TranscriptText.ContextData(text), timestamp, line), output);
                return;
            }

            var (kind, corrects) = trace.Progress.ClassifyPrompt(text);
            Emit(trace, Context(kind, TranscriptText.ContextData(text, corrects), timestamp, line), output);
        }

        /// <summary>
        /// The user's own words: injected reminders and command output removed. A slash command counts as a
        /// prompt only when it carries arguments ("/review the parser"); a bare or local command is bookkeeping.
        /// </summary>
        internal static string CleanUserText(string raw)
        {
            if (raw.IndexOf("<command-name>", StringComparison.Ordinal) >= 0)
            {
                var name = TranscriptText.TagContent(raw, "command-name") ?? "";
                var args = TranscriptText.TagContent(raw, "command-args") ?? "";
                return args.Length == 0 ? "" : (name + " " + args).Trim();
            }
            return TranscriptText.StripTagBlocks(raw, InjectedTags).Trim();
        }

        private void ReadResult(JsonElement root, JsonElement block, TraceState trace, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            var id = TranscriptText.String(block, "tool_use_id");
            if (id == null || !_pending.TryGetValue(id, out var call)) return; // a repeated result, or one whose call was never read
            _pending.Remove(id);

            var raw = ResultText(TranscriptText.Property(block, "content"));
            var text = TranscriptText.StripTagBlocks(raw, ResultInjectedTags);
            if (text.Length != raw.Length) text = text.TrimEnd(); // leading spaces of an output are kept (line numbers)
            bool isError = TranscriptText.IsTrue(block, "is_error");
            bool interrupted = TranscriptText.IsTrue(TranscriptText.Property(root, "toolUseResult"), "interrupted");

            string kind;
            if (IsDeclined(text) || interrupted) kind = TraceEventKinds.ActionRejected;
            else if (isError && (call.HookMessage != null || IsPolicyText(TranscriptText.Head(text, PolicyWindow)))) kind = TraceEventKinds.PolicyViolation;
            else if (isError) kind = TraceEventKinds.ActionFailed;
            else kind = TraceEventKinds.ActionSucceeded;

            string? error = null;
            if (kind != TraceEventKinds.ActionSucceeded)
            {
                error = text;
                if (call.HookMessage != null && text.IndexOf(call.HookMessage, StringComparison.Ordinal) < 0)
                    error = text.Length == 0 ? call.HookMessage : text + "\n" + call.HookMessage;
                if (error.Length == 0) error = "the tool reported an error without text";
            }

            var action = new TraceEvent
            {
                Kind = kind,
                ActionId = call.ActionId,
                Tool = call.Tool,
                Data = TranscriptText.ActionData(call.InputJson, text, error),
                DurationMs = TranscriptText.DurationMs(call.Timestamp, timestamp),
                StateBefore = call.State,
                Timestamp = call.Timestamp,
                SourceLine = call.Line,
            };
            var target = _traces[call.TraceId];
            Emit(target, action, output);

            // "…To tell you how to proceed, the user said: <feedback>": the feedback corrects this very call.
            if (kind == TraceEventKinds.ActionRejected)
            {
                int at = text.IndexOf("the user said:", StringComparison.OrdinalIgnoreCase);
                var feedback = at < 0 ? "" : text.Substring(at + "the user said:".Length).Trim();
                if (feedback.Length > 0)
                {
                    var (_, corrects) = target.Progress.ClassifyPrompt(feedback);
                    Emit(target, Context(TraceEventKinds.UserCorrection, TranscriptText.ContextData(feedback, corrects ?? call.ActionId), timestamp, line), output);
                }
            }
        }

        private static bool IsDeclined(string text) =>
            text.StartsWith("The user doesn't want to proceed with this tool use", StringComparison.Ordinal) ||
            text.StartsWith("The user doesn't want to take this action right now", StringComparison.Ordinal) ||
            text.StartsWith("[Request interrupted by user for tool use]", StringComparison.Ordinal);

        // Denials and hook blocks are short messages: only the start of an error is searched for them.
        private const int PolicyWindow = 1000;

        private static bool IsPolicyText(string head) => PermissionDenial.IsMatch(head) || IsHookBlock(head);

        private static bool IsHookBlock(string text) =>
            text.IndexOf("non-blocking", StringComparison.OrdinalIgnoreCase) < 0 && HookBlock.IsMatch(text);

        /// <summary>Text of a tool_result's content: a string, or the text blocks of an array (images dropped).</summary>
        private static string ResultText(JsonElement content)
        {
            if (content.ValueKind == JsonValueKind.String) return content.GetString() ?? "";
            if (content.ValueKind != JsonValueKind.Array) return "";
            var sb = new StringBuilder();
            foreach (var item in content.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String) Append(sb, item.GetString());
                else if (TranscriptText.String(item, "type") == "text") Append(sb, TranscriptText.String(item, "text"));
                if (sb.Length > TranscriptText.OutputLimit * 4) break; // enough to truncate later
            }
            return sb.ToString();

            static void Append(StringBuilder sb, string? s)
            {
                if (string.IsNullOrEmpty(s)) return;
                if (sb.Length > 0) sb.Append('\n');
                sb.Append(s);
            }
        }

        /// <summary>An interrupt stopped the trace's calls still waiting for a result: they failed.</summary>
        private void FailUnfinished(TraceState trace, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            if (_pending.Count == 0) return;
            var stopped = _pending.Values.Where(c => c.TraceId == trace.TraceId).OrderBy(c => c.Line).ToList();
            foreach (var call in stopped)
            {
                _pending.Remove(call.ActionId);
                Emit(trace, new TraceEvent
                {
                    Kind = TraceEventKinds.ActionFailed,
                    ActionId = call.ActionId,
                    Tool = call.Tool,
                    Data = TranscriptText.ActionData(call.InputJson, null, UnfinishedError),
                    DurationMs = TranscriptText.DurationMs(call.Timestamp, timestamp),
                    StateBefore = call.State,
                    Timestamp = call.Timestamp,
                    SourceLine = call.Line,
                }, output);
            }
        }

        private void AddNote(TraceState trace, string? messageId, string text, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            text = text.Trim();
            if (text.Length == 0) return;
            if (trace.NoteParts != null && (messageId == null || trace.NoteMessageId != messageId))
                FlushNote(trace, output); // a new message: the previous one is complete
            if (trace.NoteParts == null)
            {
                trace.NoteParts = new List<string>();
                trace.NoteMessageId = messageId;
                trace.NoteTimestamp = timestamp;
                trace.NoteLine = line;
            }
            if (!trace.NoteParts.Contains(text)) trace.NoteParts.Add(text);
        }

        private void FlushNote(TraceState trace, List<Outcome<TraceEvent>> output)
        {
            if (trace.NoteParts == null) return;
            var text = string.Join("\n\n", trace.NoteParts);
            var e = Context(TraceEventKinds.AssistantNote, TranscriptText.ContextData(text), trace.NoteTimestamp, trace.NoteLine);
            trace.NoteParts = null;
            trace.NoteMessageId = null;
            trace.Progress.Stamp(e);
            e.SourceFile = _sourceFile;
            output.Add(Outcome<TraceEvent>.Ok(e));
        }

        private void Emit(TraceState trace, TraceEvent e, List<Outcome<TraceEvent>> output)
        {
            FlushNote(trace, output);
            trace.Progress.Stamp(e);
            e.SourceFile = _sourceFile;
            output.Add(Outcome<TraceEvent>.Ok(e));
        }

        private static TraceEvent Context(string kind, string data, DateTimeOffset? timestamp, long line) =>
            new TraceEvent { Kind = kind, Data = data, Timestamp = timestamp, SourceLine = line };

        private sealed class PendingCall
        {
            public PendingCall(string traceId, string actionId, string? tool, string inputJson, DateTimeOffset? timestamp, string? state, long line)
            {
                TraceId = traceId;
                ActionId = actionId;
                Tool = tool;
                InputJson = inputJson;
                Timestamp = timestamp;
                State = state;
                Line = line;
            }

            public string TraceId { get; }
            public string ActionId { get; }
            public string? Tool { get; }
            public string InputJson { get; }
            public DateTimeOffset? Timestamp { get; }
            public string? State { get; }
            public long Line { get; }
            public string? HookMessage { get; set; }
        }

        private sealed class TraceState
        {
            public TraceState(string traceId)
            {
                TraceId = traceId;
                Progress = new TranscriptTrace(traceId);
            }

            public string TraceId { get; }
            public TranscriptTrace Progress { get; }
            public List<string>? NoteParts { get; set; }
            public string? NoteMessageId { get; set; }
            public DateTimeOffset? NoteTimestamp { get; set; }
            public long NoteLine { get; set; }
        }
    }
}

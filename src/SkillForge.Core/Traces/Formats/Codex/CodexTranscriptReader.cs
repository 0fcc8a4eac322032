using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkillForge.Diagnostics;

namespace SkillForge.Traces.Formats.Codex
{
    /// <summary>
    /// Turns Codex CLI rollout records into TraceEvents, one record at a time. Reads both generations:
    /// the current envelope ({"timestamp","type":"session_meta|response_item|event_msg|turn_context","payload"})
    /// and the legacy one (a bare session line first, then bare response items and {"record_type":"state"} lines).
    /// <para>
    /// A call (function_call, custom_tool_call, local_shell_call) is an action, emitted when its
    /// function_call_output / custom_tool_call_output (same call_id) arrives. exec_command_end and
    /// patch_apply_end events repeat that outcome: they are attached to the call (exit code, duration) and never
    /// counted as a second action; they decide alone only when the output record never comes. The user's
    /// prompt is written twice (response_item message and event_msg user_message): the second copy is dropped.
    /// token_count, reasoning and agent_message/agent_reasoning events (copies of response items) are skipped.
    /// </para>
    /// <para>
    /// A call without any outcome: on an aborted turn it is emitted as action_failed with the error
    /// "no result recorded (session ended or was interrupted)" just before the user_interrupt; at the end of the
    /// file it is left out, since nothing says how it ended (the same rule as Claude Code transcripts).
    /// </para>
    /// </summary>
    internal sealed class CodexTranscriptReader : ITranscriptRecordReader
    {
        public const string UnfinishedError = "no result recorded (session ended or was interrupted)";
        private const int RecentPrompts = 16;
        private const int MaxEarlyOutcomes = 1024;

        private static readonly string[] Boilerplate =
        {
            "<environment_context>", "<user_instructions>", "# AGENTS.md instructions", "<INSTRUCTIONS>", "<turn_aborted>",
            "<user_shell_command>",
        };

        private static readonly Regex Rejected = new Regex(
            @"^\W*(exec command|command|patch|tool call|tool|call)?\s*(was )?(rejected|declined|denied) by (the )?user",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private static readonly Regex SandboxFailure = new Regex(
            @"^\W*failed in sandbox|\bsandbox denied\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // What a sandbox denial (rather than a command that failed inside the sandbox) leaves in its output.
        private static readonly Regex DenialSigns = new Regex(
            @"operation not permitted|permission denied|read-only file system|network is unreachable|could not resolve host|\bEPERM\b|\bEACCES\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private static readonly Regex FailureText = new Regex(
            @"^\W*(error\b|apply_patch verification failed|tool call error|invalid patch|execution error|aborted\b|failed to (parse|apply|find|read|write|execute)|unsupported call|patch failed)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private static readonly Regex ExitCodeLine = new Regex(@"^\s*Exit code:\s*(-?\d+)", RegexOptions.CultureInvariant | RegexOptions.Compiled);
        private static readonly Regex WallTime = new Regex(@"Wall time:\s*([0-9]+(?:\.[0-9]+)?)\s*s", RegexOptions.CultureInvariant | RegexOptions.Compiled);

        private readonly string _sourceFile;
        private readonly string _fileStem;
        private readonly Dictionary<string, TranscriptTrace> _traces = new Dictionary<string, TranscriptTrace>(StringComparer.Ordinal);
        private readonly Dictionary<string, PendingCall> _pending = new Dictionary<string, PendingCall>(StringComparer.Ordinal);
        private readonly HashSet<string> _done = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, CallOutcome> _early = new Dictionary<string, CallOutcome>(StringComparer.Ordinal);
        private readonly List<string> _promptsFromItems = new List<string>();
        private readonly List<string> _promptsFromEvents = new List<string>();
        private string? _sessionId;
        private string? _cwd, _gitBranch, _approvalPolicy, _sandboxPolicy;
        private bool _first = true;

        public CodexTranscriptReader(string sourceFile)
        {
            _sourceFile = sourceFile;
            _fileStem = TraceEventConverter.DefaultTraceId(sourceFile);
        }

        public void ReadRecord(JsonElement root, long line, List<Outcome<TraceEvent>> output)
        {
            bool first = _first;
            _first = false;
            if (root.ValueKind != JsonValueKind.Object)
            {
                output.Add(Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                    $"Codex rollout '{_sourceFile}' line {line} is not a JSON object. The line was skipped; each line must hold one rollout record.",
                    _sourceFile, line)));
                return;
            }
            if (root.TryGetProperty("record_type", out _)) return; // legacy state lines

            var type = TranscriptText.String(root, "type");
            var payload = TranscriptText.Property(root, "payload");
            if (type != null && payload.ValueKind == JsonValueKind.Object)
            {
                var timestamp = TranscriptText.ParseTimestamp(TranscriptText.Property(root, "timestamp"));
                switch (type)
                {
                    case "session_meta": ReadSessionMeta(payload); break;
                    case "turn_context": ReadTurnContext(payload); break;
                    case "response_item": ReadItem(payload, timestamp, line, output); break;
                    case "event_msg": ReadEvent(payload, timestamp, line, output); break;
                }
                return;
            }
            if (type == null)
            {
                if (first && TranscriptText.String(root, "id") != null) ReadSessionMeta(root); // legacy session line
                return;
            }
            ReadItem(root, TranscriptText.ParseTimestamp(TranscriptText.Property(root, "timestamp")), line, output); // legacy bare item
        }

        /// <summary>
        /// End of file: a call whose output record never came but whose exec/patch end event did is emitted with
        /// that outcome; a call with no outcome at all is left out (see the class remarks).
        /// </summary>
        public void Finish(List<Outcome<TraceEvent>> output)
        {
            foreach (var call in _pending.Values.Where(c => c.Aux != null).OrderBy(c => c.Line).ToList())
                Complete(call, call.Aux!, call.Aux!.Timestamp, output);
            _pending.Clear();
        }

        private TranscriptTrace Trace()
        {
            var id = _sessionId ?? _fileStem;
            if (!_traces.TryGetValue(id, out var trace))
            {
                trace = new TranscriptTrace(id);
                _traces.Add(id, trace);
            }
            return trace;
        }

        private void ReadSessionMeta(JsonElement meta)
        {
            if (TranscriptText.Property(meta, "meta").ValueKind == JsonValueKind.Object) meta = TranscriptText.Property(meta, "meta");
            _sessionId ??= TranscriptText.String(meta, "id");
            _cwd = TranscriptText.String(meta, "cwd") ?? _cwd;
            _gitBranch = TranscriptText.String(TranscriptText.Property(meta, "git"), "branch") ?? _gitBranch;
        }

        private void ReadTurnContext(JsonElement context)
        {
            _cwd = TranscriptText.String(context, "cwd") ?? _cwd;
            _approvalPolicy = TranscriptText.String(context, "approval_policy") ?? _approvalPolicy;
            var sandbox = TranscriptText.Property(context, "sandbox_policy");
            _sandboxPolicy = sandbox.ValueKind == JsonValueKind.String ? sandbox.GetString()
                : TranscriptText.String(sandbox, "type") ?? TranscriptText.String(sandbox, "mode") ?? _sandboxPolicy;
        }

        private string? State() => TranscriptText.StateObject(
            new KeyValuePair<string, string?>("cwd", _cwd),
            new KeyValuePair<string, string?>("gitBranch", _gitBranch),
            new KeyValuePair<string, string?>("approval_policy", _approvalPolicy),
            new KeyValuePair<string, string?>("sandbox_policy", _sandboxPolicy));

        private void ReadItem(JsonElement item, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            switch (TranscriptText.String(item, "type"))
            {
                case "message":
                    var role = TranscriptText.String(item, "role");
                    var text = MessageText(TranscriptText.Property(item, "content")).Trim();
                    if (text.Length == 0) break;
                    if (role == "user") ReadPrompt(text, fromEvent: false, timestamp, line, output);
                    else if (role == "assistant") Emit(Context(TraceEventKinds.AssistantNote, TranscriptText.ContextData(text), timestamp, line), output);
                    break;
                case "function_call":
                    StartCall(TranscriptText.String(item, "call_id"), TranscriptText.String(item, "name"),
                        InputJson(TranscriptText.Property(item, "arguments")), timestamp, line, output);
                    break;
                case "custom_tool_call":
                    StartCall(TranscriptText.String(item, "call_id"), TranscriptText.String(item, "name"),
                        InputJson(TranscriptText.Property(item, "input")), timestamp, line, output);
                    break;
                case "local_shell_call":
                    StartCall(TranscriptText.String(item, "call_id") ?? TranscriptText.String(item, "id"), "local_shell",
                        InputJson(TranscriptText.Property(item, "action")), timestamp, line, output);
                    break;
                case "function_call_output":
                case "custom_tool_call_output":
                    var outcome = FromOutput(TranscriptText.Property(item, "output"));
                    outcome.Timestamp = timestamp;
                    Resolve(TranscriptText.String(item, "call_id"), outcome, isFinal: true, output);
                    break;
            }
        }

        private void ReadEvent(JsonElement ev, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            switch (TranscriptText.String(ev, "type"))
            {
                case "user_message":
                    var text = (TranscriptText.String(ev, "message") ?? "").Trim();
                    if (text.Length > 0) ReadPrompt(text, fromEvent: true, timestamp, line, output);
                    break;
                case "turn_aborted":
                    var reason = TranscriptText.String(ev, "reason") ?? "interrupted";
                    FailUnfinished(timestamp, output);
                    Emit(Context(TraceEventKinds.UserInterrupt, TranscriptText.ContextData("turn aborted: " + reason, reason: reason), timestamp, line), output);
                    break;
                case "exec_command_end":
                    Resolve(TranscriptText.String(ev, "call_id"), FromExecEnd(ev, timestamp), isFinal: false, output);
                    break;
                case "patch_apply_end":
                    Resolve(TranscriptText.String(ev, "call_id"), FromPatchEnd(ev, timestamp), isFinal: false, output);
                    break;
            }
        }

        private void ReadPrompt(string text, bool fromEvent, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            foreach (var marker in Boilerplate)
                if (text.StartsWith(marker, StringComparison.Ordinal)) return;

            // The same prompt from the other record kind is the second copy of one prompt.
            var other = fromEvent ? _promptsFromItems : _promptsFromEvents;
            int copy = other.IndexOf(text);
            if (copy >= 0)
            {
                other.RemoveAt(copy);
                return;
            }
            var mine = fromEvent ? _promptsFromEvents : _promptsFromItems;
            mine.Add(text);
            if (mine.Count > RecentPrompts) mine.RemoveAt(0);

            var trace = Trace();
            var (kind, corrects) = trace.ClassifyPrompt(text);
            Emit(Context(kind, TranscriptText.ContextData(text, corrects), timestamp, line), output);
        }

        private void StartCall(string? callId, string? tool, string inputJson, DateTimeOffset? timestamp, long line, List<Outcome<TraceEvent>> output)
        {
            if (callId == null || _pending.ContainsKey(callId) || _done.Contains(callId)) return;
            var call = new PendingCall(callId, tool, inputJson, timestamp, State(), line);
            _pending.Add(callId, call);
            if (_early.TryGetValue(callId, out var early))
            {
                _early.Remove(callId);
                if (early.IsFinal) Complete(call, Merge(early, call.Aux), early.Timestamp, output);
                else call.Aux = early;
            }
        }

        /// <summary>
        /// A final outcome (the output record) completes the call; an exec/patch end event is kept on the call
        /// until the output record comes, then merged into it (exit code, duration).
        /// </summary>
        private void Resolve(string? callId, CallOutcome outcome, bool isFinal, List<Outcome<TraceEvent>> output)
        {
            if (callId == null || _done.Contains(callId)) return;
            outcome.IsFinal = isFinal;
            if (_pending.TryGetValue(callId, out var call))
            {
                if (isFinal) Complete(call, Merge(outcome, call.Aux), outcome.Timestamp, output);
                else call.Aux ??= outcome;
                return;
            }
            // An outcome before its call (not written so by Codex, but tolerated): kept briefly, by id.
            if (_early.Count >= MaxEarlyOutcomes) _early.Clear();
            if (!_early.TryGetValue(callId, out var known) || (isFinal && !known.IsFinal)) _early[callId] = Merge(outcome, known);
        }

        private static CallOutcome Merge(CallOutcome main, CallOutcome? aux)
        {
            if (aux == null) return main;
            main.ExitCode ??= aux.ExitCode;
            main.Success ??= aux.Success;
            main.DurationMs ??= aux.DurationMs;
            if (string.IsNullOrEmpty(main.Text)) main.Text = aux.Text;
            return main;
        }

        private void Complete(PendingCall call, CallOutcome outcome, DateTimeOffset? resultTime, List<Outcome<TraceEvent>> output)
        {
            _pending.Remove(call.ActionId);
            _done.Add(call.ActionId);
            var kind = Classify(outcome);
            var text = outcome.Text ?? "";
            string? error = null;
            if (kind != TraceEventKinds.ActionSucceeded)
            {
                error = text.Length > 0 ? text
                    : outcome.ExitCode.HasValue ? "exit code " + outcome.ExitCode.Value.ToString(CultureInfo.InvariantCulture)
                    : "the tool reported a failure without text";
            }
            Emit(new TraceEvent
            {
                Kind = kind,
                ActionId = call.ActionId,
                Tool = call.Tool,
                Data = TranscriptText.ActionData(call.InputJson, text, error, outcome.ExitCode),
                DurationMs = outcome.DurationMs ?? TranscriptText.DurationMs(call.Timestamp, resultTime),
                StateBefore = call.State,
                Timestamp = call.Timestamp,
                SourceLine = call.Line,
            }, output);
        }

        /// <summary>
        /// Outcome rules: an approval the user refused is action_rejected; "failed in sandbox …" is a
        /// policy_violation when the output shows the sandbox denied something (EPERM, "Operation not permitted",
        /// read-only file system, no network), otherwise the command itself failed inside the sandbox
        /// (action_failed); a non-zero exit code, success=false, or an error text (failed patch verification,
        /// "tool call error", "error: …") is action_failed; anything else succeeded.
        /// </summary>
        internal static string Classify(CallOutcome outcome)
        {
            var text = outcome.Text ?? "";
            var head = TranscriptText.Head(text, 300);
            if (Rejected.IsMatch(head)) return TraceEventKinds.ActionRejected;
            if (SandboxFailure.IsMatch(head))
                return DenialSigns.IsMatch(text) ? TraceEventKinds.PolicyViolation : TraceEventKinds.ActionFailed;
            if (outcome.ExitCode.HasValue) return outcome.ExitCode.Value == 0 ? TraceEventKinds.ActionSucceeded : TraceEventKinds.ActionFailed;
            if (outcome.Success == false) return TraceEventKinds.ActionFailed;
            if (FailureText.IsMatch(head)) return TraceEventKinds.ActionFailed;
            return TraceEventKinds.ActionSucceeded;
        }

        /// <summary>An output record: a plain string, a JSON string {"output","metadata":{"exit_code","duration_seconds"}}, or an object/array (newer builds).</summary>
        internal static CallOutcome FromOutput(JsonElement value)
        {
            var outcome = new CallOutcome();
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    var s = value.GetString() ?? "";
                    if (s.StartsWith("{", StringComparison.Ordinal) && TryWrapped(s, outcome)) break;
                    outcome.Text = s;
                    break;
                case JsonValueKind.Object:
                    ReadWrapped(value, outcome);
                    break;
                case JsonValueKind.Array:
                    outcome.Text = JoinTexts(value);
                    break;
            }
            var text = outcome.Text ?? "";
            if (!outcome.ExitCode.HasValue)
            {
                var m = ExitCodeLine.Match(TranscriptText.Head(text, 100));
                if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)) outcome.ExitCode = code;
            }
            if (!outcome.DurationMs.HasValue)
            {
                var m = WallTime.Match(text.Length > 500 ? text.Substring(0, 500) : text);
                if (m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) outcome.DurationMs = seconds * 1000;
            }
            return outcome;
        }

        private static bool TryWrapped(string s, CallOutcome outcome)
        {
            try
            {
                using var doc = JsonDocument.Parse(s);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !(root.TryGetProperty("output", out _) || root.TryGetProperty("content", out _))) return false;
                ReadWrapped(root, outcome);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static void ReadWrapped(JsonElement obj, CallOutcome outcome)
        {
            var text = TranscriptText.Property(obj, "output");
            if (text.ValueKind == JsonValueKind.Undefined) text = TranscriptText.Property(obj, "content");
            outcome.Text = text.ValueKind == JsonValueKind.String ? text.GetString()
                : text.ValueKind == JsonValueKind.Array ? JoinTexts(text)
                : text.ValueKind == JsonValueKind.Undefined ? null : text.GetRawText();
            var success = TranscriptText.Property(obj, "success");
            if (success.ValueKind == JsonValueKind.True || success.ValueKind == JsonValueKind.False) outcome.Success = success.ValueKind == JsonValueKind.True;
            var metadata = TranscriptText.Property(obj, "metadata");
            var exit = TranscriptText.Property(metadata, "exit_code");
            if (exit.ValueKind == JsonValueKind.Number && exit.TryGetInt32(out var code)) outcome.ExitCode = code;
            var seconds = TranscriptText.Property(metadata, "duration_seconds");
            if (seconds.ValueKind == JsonValueKind.Number) outcome.DurationMs = seconds.GetDouble() * 1000;
        }

        private static CallOutcome FromExecEnd(JsonElement ev, DateTimeOffset? timestamp)
        {
            var outcome = new CallOutcome { Timestamp = timestamp };
            var exit = TranscriptText.Property(ev, "exit_code");
            if (exit.ValueKind == JsonValueKind.Number && exit.TryGetInt32(out var code)) outcome.ExitCode = code;
            outcome.Text = TranscriptText.String(ev, "aggregated_output") ?? TranscriptText.String(ev, "formatted_output")
                ?? Join(TranscriptText.String(ev, "stdout"), TranscriptText.String(ev, "stderr"));
            outcome.DurationMs = Duration(TranscriptText.Property(ev, "duration"));
            return outcome;
        }

        private static CallOutcome FromPatchEnd(JsonElement ev, DateTimeOffset? timestamp)
        {
            var outcome = new CallOutcome { Timestamp = timestamp };
            var success = TranscriptText.Property(ev, "success");
            if (success.ValueKind == JsonValueKind.True || success.ValueKind == JsonValueKind.False) outcome.Success = success.ValueKind == JsonValueKind.True;
            outcome.Text = Join(TranscriptText.String(ev, "stdout"), TranscriptText.String(ev, "stderr"));
            return outcome;
        }

        /// <summary>A Rust Duration ({"secs","nanos"}), or milliseconds as a number.</summary>
        private static double? Duration(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
            var secs = TranscriptText.Property(value, "secs");
            if (secs.ValueKind != JsonValueKind.Number) return null;
            var nanos = TranscriptText.Property(value, "nanos");
            return secs.GetDouble() * 1000 + (nanos.ValueKind == JsonValueKind.Number ? nanos.GetDouble() / 1e6 : 0);
        }

        private static string? Join(string? a, string? b)
        {
            if (string.IsNullOrEmpty(a)) return string.IsNullOrEmpty(b) ? null : b;
            return string.IsNullOrEmpty(b) ? a : a + "\n" + b;
        }

        private static string JoinTexts(JsonElement array)
        {
            var sb = new StringBuilder();
            foreach (var item in array.EnumerateArray())
            {
                var t = item.ValueKind == JsonValueKind.String ? item.GetString() : TranscriptText.String(item, "text");
                if (string.IsNullOrEmpty(t)) continue;
                if (sb.Length > 0) sb.Append('\n');
                sb.Append(t);
                if (sb.Length > TranscriptText.OutputLimit * 4) break;
            }
            return sb.ToString();
        }

        private static string MessageText(JsonElement content)
        {
            if (content.ValueKind == JsonValueKind.String) return content.GetString() ?? "";
            if (content.ValueKind != JsonValueKind.Array) return "";
            var sb = new StringBuilder();
            foreach (var part in content.EnumerateArray())
            {
                var type = TranscriptText.String(part, "type");
                if (type != "input_text" && type != "output_text" && type != "text") continue; // images dropped
                var t = TranscriptText.String(part, "text");
                if (string.IsNullOrEmpty(t)) continue;
                if (sb.Length > 0) sb.Append('\n');
                sb.Append(t);
            }
            return sb.ToString();
        }

        /// <summary>Tool arguments: Codex writes them as JSON inside a string; kept as JSON when they parse.</summary>
        private static string InputJson(JsonElement value) =>
            value.ValueKind == JsonValueKind.String
                ? TranscriptText.EmbeddedJsonOrString(value.GetString() ?? "", TranscriptText.InputStringLimit)
                : TranscriptText.ToTruncatedJson(value, TranscriptText.InputStringLimit);

        private void FailUnfinished(DateTimeOffset? timestamp, List<Outcome<TraceEvent>> output)
        {
            if (_pending.Count == 0) return;
            foreach (var call in _pending.Values.OrderBy(c => c.Line).ToList())
            {
                if (call.Aux != null)
                {
                    Complete(call, call.Aux, call.Aux.Timestamp, output);
                    continue;
                }
                _pending.Remove(call.ActionId);
                _done.Add(call.ActionId);
                Emit(new TraceEvent
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

        private void Emit(TraceEvent e, List<Outcome<TraceEvent>> output)
        {
            Trace().Stamp(e);
            e.SourceFile = _sourceFile;
            output.Add(Outcome<TraceEvent>.Ok(e));
        }

        private static TraceEvent Context(string kind, string data, DateTimeOffset? timestamp, long line) =>
            new TraceEvent { Kind = kind, Data = data, Timestamp = timestamp, SourceLine = line };

        internal sealed class CallOutcome
        {
            public string? Text { get; set; }
            public int? ExitCode { get; set; }
            public bool? Success { get; set; }
            public double? DurationMs { get; set; }
            public DateTimeOffset? Timestamp { get; set; }
            public bool IsFinal { get; set; }
        }

        private sealed class PendingCall
        {
            public PendingCall(string actionId, string? tool, string inputJson, DateTimeOffset? timestamp, string? state, long line)
            {
                ActionId = actionId;
                Tool = tool;
                InputJson = inputJson;
                Timestamp = timestamp;
                State = state;
                Line = line;
            }

            public string ActionId { get; }
            public string? Tool { get; }
            public string InputJson { get; }
            public DateTimeOffset? Timestamp { get; }
            public string? State { get; }
            public long Line { get; }
            public CallOutcome? Aux { get; set; }
        }
    }
}

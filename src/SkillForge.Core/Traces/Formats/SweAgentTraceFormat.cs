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
using SkillForge.Traces.Formats.SweAgent;

namespace SkillForge.Traces.Formats
{
    /// <summary>
    /// SWE-agent trajectories (<c>.traj</c>: <c>{environment, trajectory: [{action, observation, thought, state,
    /// execution_time?}], history, info: {exit_status, submission}}</c>).
    /// <para>Each step is an action: Tool = the first word of the command (<c>edit</c>, <c>open</c>, <c>python</c>,
    /// <c>submit</c>, ...), ActionId "step-&lt;n&gt;", action_failed when the observation shows a traceback, an error line,
    /// "command not found", a rejected edit or an edit that introduced a syntax error, else action_succeeded;
    /// Data {"action", "observation", "thought"} (each cut to a few thousand characters), DurationMs from
    /// execution_time, StateAfter from the step's state when it is a JSON object. A final "episode_end" event carries
    /// Reward 1 when info.exit_status is "submitted", else 0, and Data {"exit_status"}.</para>
    /// TraceId is the file name without ".traj"; SourceLine is the 1-based step number (the episode end is one past the last step).
    /// mini-swe-agent files (<c>*.traj.json</c> holding only <c>messages</c>) are recognised and reported as unsupported.
    /// </summary>
    public sealed class SweAgentTraceFormat : ITraceFormat
    {
        private const string FormatName = "SWE-agent trajectory";
        internal const int ActionChars = 2000;
        internal const int ObservationChars = 4000;
        internal const int ThoughtChars = 2000;
        private static readonly Regex TrajectoryKey = new Regex("\"trajectory\"\\s*:\\s*\\[\\s*(\\{|\\])", RegexOptions.CultureInvariant);
        private static readonly Regex StepKeys = new Regex("\"(action|observation|thought)\"\\s*:", RegexOptions.CultureInvariant);
        private static readonly Regex MiniFormat = new Regex("\"trajectory_format\"\\s*:\\s*\"mini-swe-agent", RegexOptions.CultureInvariant);

        public TraceFormat Format => TraceFormat.SweAgent;

        public bool Recognizes(SourceSample sample)
        {
            var name = StripGzip(sample.FileName);
            if (name.EndsWith(".traj", StringComparison.OrdinalIgnoreCase)) return true;
            var head = sample.Head;
            if (!head.TrimStart().StartsWith("{", StringComparison.Ordinal)) return false;
            if (TrajectoryKey.IsMatch(head) && (StepKeys.IsMatch(head) || head.Contains("\"info\""))) return true;
            return MiniFormat.IsMatch(head)
                || (name.EndsWith(".traj.json", StringComparison.OrdinalIgnoreCase) && head.Contains("\"messages\""));
        }

        /// <summary>The trace id of a file: its name without .gz, .json and .traj.</summary>
        public static string TraceIdFromFile(string sourceFile)
        {
            var name = StripGzip(Path.GetFileName(sourceFile));
            if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) name = name.Substring(0, name.Length - 5);
            if (name.EndsWith(".traj", StringComparison.OrdinalIgnoreCase)) name = name.Substring(0, name.Length - 5);
            return name;
        }

        public IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken)
        {
            using var doc = WholeJson.Load(stream, sourceFile, FormatName, ErrorIds.TraceInvalidJson, cancellationToken, out var loadError);
            if (doc == null)
            {
                yield return Outcome<TraceEvent>.Fail(loadError!);
                yield break;
            }
            var root = doc.RootElement;
            var traceId = TraceIdFromFile(sourceFile);
            if (root.ValueKind != JsonValueKind.Object || !JsonValues.TryProp(root, "trajectory", out var steps) || steps.ValueKind != JsonValueKind.Array)
            {
                bool mini = root.ValueKind == JsonValueKind.Object && JsonValues.TryProp(root, "messages", out _);
                yield return Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord, mini
                    ? $"File '{sourceFile}' is a mini-swe-agent trajectory (only \"messages\", no \"trajectory\" steps), which Import-Trace does not read yet. " +
                      "Run it through SWE-agent's own trajectory format, or convert its steps to SkillForge JSON Lines."
                    : $"File '{sourceFile}' is not a SWE-agent trajectory: it has no \"trajectory\" array of steps. Use -Format to pick the right reader.",
                    sourceFile, 1, JsonValues.Snippet(root)));
                yield break;
            }

            int sequence = 0;
            long step = 0;
            foreach (var s in steps.EnumerateArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                step++;
                if (s.ValueKind != JsonValueKind.Object || !JsonValues.TryProp(s, "action", out var actionElement) || actionElement.ValueKind != JsonValueKind.String)
                {
                    yield return Outcome<TraceEvent>.Fail(new RecordError(ErrorIds.TraceInvalidRecord,
                        $"Step {step.ToString(CultureInfo.InvariantCulture)} of SWE-agent trajectory '{sourceFile}' has no \"action\" string; it was skipped, the other steps are read.",
                        sourceFile, step, JsonValues.Snippet(s)));
                    continue;
                }
                var action = actionElement.GetString() ?? "";
                var observation = Normalise(JsonValues.Str(s, "observation") ?? "");
                var thought = JsonValues.Str(s, "thought");
                var tool = FirstWord(action);
                var data = new JsonObjectBuilder()
                    .String("action", TextUtil.Truncate(action.Trim(), ActionChars))
                    .String("observation", TextUtil.Truncate(observation, ObservationChars))
                    .String("thought", thought == null ? null : TextUtil.Truncate(Normalise(thought).Trim(), ThoughtChars))
                    .Build();
                yield return Outcome<TraceEvent>.Ok(new TraceEvent
                {
                    TraceId = traceId,
                    Kind = SweAgentOutcome.IsFailure(observation) ? TraceEventKinds.ActionFailed : TraceEventKinds.ActionSucceeded,
                    ActionId = "step-" + step.ToString(CultureInfo.InvariantCulture),
                    Tool = tool,
                    Data = data,
                    DurationMs = Seconds(s, "execution_time") is double seconds ? seconds * 1000.0 : (double?)null,
                    StateAfter = StateObject(s),
                    Sequence = sequence++,
                    SourceFile = sourceFile,
                    SourceLine = step,
                });
            }

            string? exitStatus = null;
            bool hasInfo = JsonValues.TryProp(root, "info", out var info) && info.ValueKind == JsonValueKind.Object;
            if (hasInfo) exitStatus = JsonValues.Str(info, "exit_status");
            yield return Outcome<TraceEvent>.Ok(new TraceEvent
            {
                TraceId = traceId,
                Kind = TraceEventKinds.EpisodeEnd,
                Data = new JsonObjectBuilder().String("exit_status", exitStatus).Build(),
                Reward = hasInfo ? (string.Equals(exitStatus?.Trim(), "submitted", StringComparison.OrdinalIgnoreCase) ? 1.0 : 0.0) : (double?)null,
                Sequence = sequence,
                SourceFile = sourceFile,
                SourceLine = step + 1,
            });
        }

        private static string? FirstWord(string action)
        {
            var t = action.TrimStart();
            int end = 0;
            while (end < t.Length && !char.IsWhiteSpace(t[end])) end++;
            return end == 0 ? null : t.Substring(0, end);
        }

        private static string Normalise(string text) => text.Replace("\r\n", "\n");

        private static double? Seconds(JsonElement step, string name)
        {
            var text = JsonValues.Str(step, name);
            return text != null && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && !double.IsInfinity(v)
                ? v
                : (double?)null;
        }

        /// <summary>The step's state as JSON object text: SWE-agent writes it as an object or as a JSON string.</summary>
        private static string? StateObject(JsonElement step)
        {
            if (!JsonValues.TryProp(step, "state", out var state)) return null;
            if (state.ValueKind == JsonValueKind.Object) return state.GetRawText();
            if (state.ValueKind != JsonValueKind.String) return null;
            var text = state.GetString()!.Trim();
            if (!text.StartsWith("{", StringComparison.Ordinal)) return null;
            try
            {
                using var parsed = JsonDocument.Parse(text);
                return parsed.RootElement.ValueKind == JsonValueKind.Object ? parsed.RootElement.GetRawText() : null;
            }
            catch (JsonException)
            {
                return null; // A Python repr, not JSON: left out rather than guessed at.
            }
        }

        private static string StripGzip(string name) =>
            name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name.Substring(0, name.Length - 3) : name;
    }
}

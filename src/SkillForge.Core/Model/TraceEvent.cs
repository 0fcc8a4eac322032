using System;

namespace SkillForge
{
    /// <summary>
    /// One event of an agent's execution trace. Actions have Kind action_succeeded, action_failed,
    /// action_rejected or policy_violation; anything else (user_prompt, user_correction, user_interrupt,
    /// assistant_note, episode_end, ...) is context.
    /// </summary>
    public sealed class TraceEvent
    {
        public string TraceId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? ActionId { get; set; }
        public string? Tool { get; set; }
        /// <summary>The event's payload as JSON text ("null" when absent).</summary>
        public string Data { get; set; } = "null";
        public double? DurationMs { get; set; }
        /// <summary>State before/after as JSON object text, when the source records it.</summary>
        public string? StateBefore { get; set; }
        public string? StateAfter { get; set; }
        public double? Reward { get; set; }
        public DateTimeOffset? Timestamp { get; set; }
        /// <summary>0-based position of the event within its trace, as read.</summary>
        public int Sequence { get; set; }
        public string? SourceFile { get; set; }
        public long SourceLine { get; set; }

        /// <summary>A shallow copy (arrays shared), for a pass that replaces some of its text.</summary>
        public TraceEvent Copy() => (TraceEvent)MemberwiseClone();

        public override string ToString() => $"{Kind} {Tool} {ActionId}".Trim();
    }

    /// <summary>The trace event kinds SkillForge gives meaning to.</summary>
    public static class TraceEventKinds
    {
        public const string ActionSucceeded = "action_succeeded";
        public const string ActionFailed = "action_failed";
        public const string ActionRejected = "action_rejected";
        public const string PolicyViolation = "policy_violation";
        public const string UserPrompt = "user_prompt";
        public const string UserCorrection = "user_correction";
        public const string UserInterrupt = "user_interrupt";
        public const string AssistantNote = "assistant_note";
        public const string EpisodeEnd = "episode_end";

        public static bool IsSuccess(string kind) => kind == ActionSucceeded;

        public static bool IsFailure(string kind) =>
            kind == ActionFailed || kind == ActionRejected || kind == PolicyViolation;
    }
}

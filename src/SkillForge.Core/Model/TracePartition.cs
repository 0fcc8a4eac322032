using System;

namespace SkillForge
{
    public enum TraceOutcome { Success, Failure }

    /// <summary>One trace split into its successful and failed actions.</summary>
    public sealed class TracePartition
    {
        public string TraceId { get; set; } = "";
        public TraceEvent[] Successes { get; set; } = Array.Empty<TraceEvent>();
        public TraceEvent[] Failures { get; set; } = Array.Empty<TraceEvent>();
        /// <summary>Context events kept for the prompts (user corrections, interrupts, episode end), in trace order.</summary>
        public TraceEvent[] Context { get; set; } = Array.Empty<TraceEvent>();
        /// <summary>Events that are neither success nor failure.</summary>
        public int SkippedCount { get; set; }
        public int SuccessCount => Successes.Length;
        public int FailureCount => Failures.Length;

        /// <summary>A shallow copy (arrays shared), for a pass that replaces some of its text.</summary>
        public TracePartition Copy() => (TracePartition)MemberwiseClone();

        public override string ToString() => TraceId;
    }
}

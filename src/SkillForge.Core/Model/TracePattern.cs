using System;

namespace SkillForge
{
    public enum TracePatternKind { Lesson, Workflow }

    /// <summary>How the fix of a failure was found.</summary>
    public enum TraceFixKind
    {
        /// <summary>No fix could be identified: the occurrence is evidence only.</summary>
        None,
        /// <summary>The next successful call of the same tool, with its key arguments changed.</summary>
        ArgumentChange,
        /// <summary>The same call succeeded unchanged later; the fix is the calls in between.</summary>
        CallsInBetween,
        /// <summary>The user said the action was wrong; the fix is what was done next.</summary>
        Correction,
    }

    /// <summary>One piece of evidence of a TracePattern: a failing or corrected action and what fixed it.</summary>
    public sealed class TracePatternOccurrence
    {
        public string TraceId { get; set; } = "";
        /// <summary>The failing or corrected action (for a workflow: the instance's first step).</summary>
        public TraceEvent Event { get; set; } = new TraceEvent();
        /// <summary>The line of the output that carries the error, as written.</summary>
        public string ErrorLine { get; set; } = "";
        public TraceFixKind FixKind { get; set; }
        /// <summary>The events that made the step succeed afterwards (workflow: every step of the instance).</summary>
        public TraceEvent[] Fix { get; set; } = Array.Empty<TraceEvent>();
        /// <summary>The user's correction of the action, when there was one.</summary>
        public string? Correction { get; set; }
        /// <summary>The task the trace worked on (its first user prompt or problem statement), when recorded.</summary>
        public string? Task { get; set; }
        /// <summary>The trace's working directory, when recorded (paths inside it are written relative).</summary>
        public string? WorkingDirectory { get; set; }

        public bool HasFix => FixKind != TraceFixKind.None && Fix.Length > 0;

        public override string ToString() => $"{TraceId}#{Event.ActionId ?? Event.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>A generalised step of a workflow: the tool and its arguments, values that differ as {placeholders}.</summary>
    public sealed class TracePatternStep
    {
        public string Tool { get; set; } = "";
        /// <summary>Each argument every instance had, as "key=value" with differing values as placeholders.</summary>
        public string[] Arguments { get; set; } = Array.Empty<string>();
        /// <summary>Up to two values seen for each placeholder, as "key: value, value".</summary>
        public string[] Examples { get; set; } = Array.Empty<string>();

        public override string ToString() => Arguments.Length == 0 ? Tool : $"{Tool}({string.Join(", ", Arguments)})";
    }

    /// <summary>A lesson (a failure with its fix, or a user correction) or a workflow recurring across traces.</summary>
    public sealed class TracePattern
    {
        public TracePatternKind Kind { get; set; }
        public string Tool { get; set; } = "";
        /// <summary>The error line with paths, numbers, hashes, ids and quoted values as placeholders; for a workflow its steps.</summary>
        public string Signature { get; set; } = "";
        /// <summary>Distinct traces the pattern was seen in.</summary>
        public int Support { get; set; }
        public TracePatternOccurrence[] Occurrences { get; set; } = Array.Empty<TracePatternOccurrence>();
        /// <summary>The steps of a workflow (empty for a lesson).</summary>
        public TracePatternStep[] Steps { get; set; } = Array.Empty<TracePatternStep>();
        /// <summary>trace#action of every failing or corrected event (workflows: every step).</summary>
        public string[] SourceIds { get; set; } = Array.Empty<string>();
        /// <summary>SHA-256 of kind, tool and signature: the same lesson has the same fingerprint in every run.</summary>
        public string Fingerprint { get; set; } = "";
        /// <summary>Estimated tokens of the evidence (the events themselves, not truncated).</summary>
        public int EstimatedTokens { get; set; }
        public int CorrectionCount { get; set; }
        public int FixedCount { get; set; }

        public override string ToString() => $"{Kind} {Tool}: {Signature}";
    }
}

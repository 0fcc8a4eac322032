using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using SkillForge.Traces.Patterns;

namespace SkillForge.Prompts
{
    /// <summary>
    /// Trace events as prompts quote them: the call with its key arguments, file and patch bodies trimmed with
    /// a "[trimmed N chars]" marker, the line that carries the error, and a short excerpt of the output.
    /// </summary>
    internal static class EventQuote
    {
        public const int MaxValueChars = 400;
        public const int MaxOutputChars = 300;
        public const int MaxTextChars = 600;

        public static string Call(TraceEvent e, int maxValueChars, ref bool trimmed)
        {
            var a = TraceAction.Read(e);
            var parts = new List<string>();
            foreach (var kv in a.Arguments)
            {
                var value = a.Values[kv.Key];
                parts.Add(kv.Key + "=" + Trim(value, maxValueChars, ref trimmed));
            }
            return $"{a.Tool}({string.Join(", ", parts)})";
        }

        /// <summary>The event as prompt lines: call, error line, output excerpt (actions) or the text (context events).</summary>
        public static string Body(TraceEvent e, int maxValueChars, ref bool trimmed)
        {
            var sb = new StringBuilder();
            if (TraceEventKinds.IsSuccess(e.Kind) || TraceEventKinds.IsFailure(e.Kind))
            {
                var a = TraceAction.Read(e);
                sb.Append("call: ").Append(Call(e, maxValueChars, ref trimmed)).Append('\n');
                if (TraceEventKinds.IsFailure(e.Kind))
                {
                    var line = ErrorSignature.ErrorLine(a.Error, a.Output);
                    if (line.Length > 0) sb.Append("error line: ").Append(line).Append('\n');
                    if (a.Error.Length > 0) sb.Append("error: ").Append(Trim(a.Error, MaxOutputChars, ref trimmed)).Append('\n');
                }
                if (a.Output.Length > 0) sb.Append("output: ").Append(Trim(a.Output, MaxOutputChars, ref trimmed)).Append('\n');
            }
            else
            {
                var text = TracePatternFinder.ContextText(e.Data, out _) ?? e.Data ?? "";
                sb.Append("text: ").Append(Trim(text, MaxTextChars, ref trimmed)).Append('\n');
            }
            return sb.ToString();
        }

        public static string Trim(string value, int max, ref bool trimmed)
        {
            var v = (value ?? "").Replace("\r\n", "\n");
            if (v.Length <= max) return v;
            trimmed = true;
            int keep = Math.Max(0, max);
            if (keep > 0 && char.IsHighSurrogate(v[keep - 1])) keep--;
            return v.Substring(0, keep) + " [trimmed " + (v.Length - keep).ToString(CultureInfo.InvariantCulture) + " chars]";
        }
    }

    /// <summary>The occurrences of a TracePattern as prompt sources.</summary>
    internal static class PatternEvidence
    {
        public static SourceBlock Block(TracePatternOccurrence o, TracePatternKind kind, int maxFieldChars, ref bool trimmed)
        {
            int max = Math.Min(EventQuote.MaxValueChars, Math.Max(40, maxFieldChars));
            var attributes = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("trace", o.TraceId),
                new KeyValuePair<string, string>("action", TracePatternFinder.ActionKey(o.Event)),
                new KeyValuePair<string, string>("kind", o.Event.Kind),
            };
            if (kind == TracePatternKind.Lesson) attributes.Add(new KeyValuePair<string, string>("fix", o.FixKind.ToString()));
            if (!string.IsNullOrEmpty(o.WorkingDirectory)) attributes.Add(new KeyValuePair<string, string>("working_directory", o.WorkingDirectory!));
            var sb = new StringBuilder();
            if (!string.IsNullOrWhiteSpace(o.Task)) sb.Append("task: ").Append(EventQuote.Trim(o.Task!, EventQuote.MaxTextChars, ref trimmed)).Append('\n');
            if (kind == TracePatternKind.Workflow)
            {
                int n = 0;
                foreach (var step in o.Fix) sb.Append("step ").Append(++n).Append(": ").Append(EventQuote.Call(step, max, ref trimmed)).Append('\n');
            }
            else
            {
                sb.Append(TraceEventKinds.IsFailure(o.Event.Kind) ? "failed " : "corrected ").Append(EventQuote.Body(o.Event, max, ref trimmed));
                if (o.Fix.Length > 0)
                {
                    sb.Append(o.FixKind == TraceFixKind.CallsInBetween ? "fix (the same call succeeded after these):\n"
                        : o.FixKind == TraceFixKind.Correction ? "done after the correction:\n" : "fix (the call that worked):\n");
                    foreach (var f in o.Fix) sb.Append("  ").Append(EventQuote.Call(f, max, ref trimmed)).Append('\n');
                }
                else sb.Append("fix: none found in the trace\n");
                if (o.Correction != null) sb.Append("user correction: ").Append(EventQuote.Trim(o.Correction, EventQuote.MaxTextChars, ref trimmed)).Append('\n');
            }
            return new SourceBlock(attributes, SourceBlocks.CleanBody(sb.ToString(), int.MaxValue, out _));
        }
    }
}

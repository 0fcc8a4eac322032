using System;
using System.Collections.Generic;

namespace SkillForge.Traces
{
    /// <summary>Split-Trace: groups events by TraceId and separates successes from failures.</summary>
    public static class TracePartitioner
    {
        /// <summary>One partition per TraceId, in order of first appearance.</summary>
        public static IReadOnlyList<TracePartition> Partition(IEnumerable<TraceEvent> events)
        {
            if (events == null) throw new ArgumentNullException(nameof(events));
            var builder = new TracePartitionBuilder();
            foreach (var ev in events) builder.Add(ev);
            return builder.Build();
        }

        /// <summary>
        /// Context kinds kept beside the actions (in TracePartition.Context) so that a prompt can show, for example,
        /// the user's correction right after the failure it corrects.
        /// </summary>
        public static bool IsContext(string kind)
        {
            string k = TraceEventConverter.NormalizeKind(kind);
            return k == TraceEventKinds.UserCorrection || k == TraceEventKinds.UserInterrupt ||
                   k == TraceEventKinds.UserPrompt || k == TraceEventKinds.EpisodeEnd;
        }

        /// <summary>The outcome an event's kind stands for: success, failure, or null for context and anything else.</summary>
        public static TraceOutcome? OutcomeOf(string kind)
        {
            string k = TraceEventConverter.NormalizeKind(kind);
            if (TraceEventKinds.IsSuccess(k)) return TraceOutcome.Success;
            if (TraceEventKinds.IsFailure(k)) return TraceOutcome.Failure;
            return null;
        }
    }

    /// <summary>Builds partitions event by event (Split-Trace feeds it from the pipeline).</summary>
    public sealed class TracePartitionBuilder
    {
        private sealed class Parts
        {
            public readonly List<TraceEvent> Successes = new List<TraceEvent>();
            public readonly List<TraceEvent> Failures = new List<TraceEvent>();
            public readonly List<TraceEvent> Context = new List<TraceEvent>();
            public int Skipped;
        }

        private readonly Dictionary<string, Parts> _byTrace = new Dictionary<string, Parts>(StringComparer.Ordinal);
        private readonly List<string> _order = new List<string>();

        /// <summary>Number of traces seen so far.</summary>
        public int TraceCount => _order.Count;

        public void Add(TraceEvent ev)
        {
            if (ev == null) throw new ArgumentNullException(nameof(ev));
            string traceId = ev.TraceId ?? "";
            if (!_byTrace.TryGetValue(traceId, out var parts))
            {
                parts = new Parts();
                _byTrace.Add(traceId, parts);
                _order.Add(traceId);
            }

            switch (TracePartitioner.OutcomeOf(ev.Kind ?? ""))
            {
                case TraceOutcome.Success:
                    parts.Successes.Add(ev);
                    break;
                case TraceOutcome.Failure:
                    parts.Failures.Add(ev);
                    break;
                default:
                    parts.Skipped++;
                    if (TracePartitioner.IsContext(ev.Kind ?? "")) parts.Context.Add(ev);
                    break;
            }
        }

        /// <summary>One partition per trace id, in order of first appearance; events in the order they were added.</summary>
        public IReadOnlyList<TracePartition> Build()
        {
            var result = new List<TracePartition>(_order.Count);
            foreach (var id in _order)
            {
                var parts = _byTrace[id];
                result.Add(new TracePartition
                {
                    TraceId = id,
                    Successes = parts.Successes.ToArray(),
                    Failures = parts.Failures.ToArray(),
                    Context = parts.Context.ToArray(),
                    SkippedCount = parts.Skipped,
                });
            }
            return result;
        }
    }
}

using System;
using System.Collections.Generic;

namespace SkillForge.Traces
{
    /// <summary>Split-Trace: groups events by TraceId and separates successes from failures.</summary>
    public static class TracePartitioner
    {
        /// <summary>One partition per TraceId, in order of first appearance.</summary>
        public static IReadOnlyList<TracePartition> Partition(IEnumerable<TraceEvent> events) => throw new NotImplementedException();
    }
}

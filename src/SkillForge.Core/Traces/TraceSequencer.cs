using System;
using System.Collections.Generic;

namespace SkillForge.Traces
{
    /// <summary>Hands out 0-based positions per trace id, in reading order.</summary>
    public sealed class TraceSequencer
    {
        private readonly Dictionary<string, int> _next = new Dictionary<string, int>(StringComparer.Ordinal);

        public int Next(string traceId)
        {
            _next.TryGetValue(traceId, out int n);
            _next[traceId] = n + 1;
            return n;
        }
    }
}

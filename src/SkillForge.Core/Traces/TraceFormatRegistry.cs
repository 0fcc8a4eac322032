using System.Collections.Generic;
using SkillForge.Traces.Formats;

namespace SkillForge.Traces
{
    /// <summary>Every trace format, in the order Auto tries them (most specific first, SkillForge's own last).</summary>
    public static class TraceFormatRegistry
    {
        public static IReadOnlyList<ITraceFormat> All { get; } = new ITraceFormat[]
        {
            new ClaudeCodeTraceFormat(),
            new CodexTraceFormat(),
            new OTelTraceFormat(),
            new SweAgentTraceFormat(),
            new SkillForgeTraceFormat(),
        };
    }
}

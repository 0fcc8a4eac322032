using System;
using System.Collections.Generic;

namespace SkillForge.Prompts
{
    /// <summary>New-DistillPrompt: prompts for memory clusters and trace partitions.</summary>
    public static class DistillPromptBuilder
    {
        /// <summary>One prompt asking for one SKILL.md. template replaces the instructions, not the sources.</summary>
        public static DistillPrompt ForCluster(MemoryCluster cluster, string? template = null) => throw new NotImplementedException();

        /// <summary>A success and/or a failure prompt asking for a JSON array of skills; none for an empty side.</summary>
        public static IReadOnlyList<DistillPrompt> ForPartition(TracePartition partition, string? template = null, bool success = true, bool failure = true) =>
            throw new NotImplementedException();
    }
}

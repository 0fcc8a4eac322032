using System;
using System.Collections.Generic;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Clustering
{
    /// <summary>Find-MemoryCluster's engine.</summary>
    public static class MemoryClusterer
    {
        /// <summary>Every cluster: seeds most-accessed first, members verified against the seed, no doc in two clusters.</summary>
        public static IReadOnlyList<MemoryCluster> FindAll(IReadOnlyList<MemoryDoc> docs, ClusterOptions options, IOperationSink? sink = null, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();

        /// <summary>The cluster around one doc, or null when it is ineligible or has fewer than MinSize members.
        /// Throws SkillForgeException (ErrorIds.ClusterDocNotFound) when no doc has that id.</summary>
        public static MemoryCluster? FindAround(IReadOnlyList<MemoryDoc> docs, string id, ClusterOptions options, IOperationSink? sink = null, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();
    }
}

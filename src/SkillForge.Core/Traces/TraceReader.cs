using System;
using System.Collections.Generic;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Traces
{
    /// <summary>Entry point of Import-Trace: picks the format and streams TraceEvents.</summary>
    public static class TraceReader
    {
        /// <summary>
        /// Streams the events of one file. Throws SkillForgeException for a file that cannot be opened or placed
        /// (ErrorIds.FileNotFound, ErrorIds.TraceUnknownFormat naming the formats tried).
        /// </summary>
        public static IEnumerable<Outcome<TraceEvent>> Read(string path, TraceFormat format = TraceFormat.Auto, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();
    }
}

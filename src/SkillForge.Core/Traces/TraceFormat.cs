using System.Collections.Generic;
using System.IO;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Traces
{
    /// <summary>The trace formats Import-Trace reads.</summary>
    public enum TraceFormat { Auto, SkillForge, ClaudeCode, Codex, OTel, SweAgent }

    /// <summary>A reader for one trace format. Yields ordinary TraceEvents, so Split-Trace needs no change.</summary>
    public interface ITraceFormat
    {
        TraceFormat Format { get; }

        /// <summary>True when the sample looks like this format. Cheap: runs on the first 64 KiB only.</summary>
        bool Recognizes(SourceSample sample);

        /// <summary>
        /// Streams the events of one file (already decompressed) in trace order, TraceId set
        /// (from the records, else the file name without extension). Bad records are errors, the rest still read.
        /// </summary>
        IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken);
    }
}

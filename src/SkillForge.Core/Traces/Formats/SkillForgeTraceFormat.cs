using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Traces.Formats
{
    public sealed class SkillForgeTraceFormat : ITraceFormat
    {
        public TraceFormat Format => TraceFormat.SkillForge;

        public bool Recognizes(SourceSample sample) => false;

        public IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken) =>
            throw new NotImplementedException();
    }
}

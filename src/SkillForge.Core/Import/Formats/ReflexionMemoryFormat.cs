using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Import.Formats
{
    public sealed class ReflexionMemoryFormat : IMemoryFormat
    {
        public MemoryFormat Format => MemoryFormat.Reflexion;

        public bool Recognizes(SourceSample sample) => false;

        public IEnumerable<Outcome<MemoryDoc>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken) =>
            throw new NotImplementedException();
    }
}

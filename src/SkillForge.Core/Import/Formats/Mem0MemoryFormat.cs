using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Import.Formats
{
    public sealed class Mem0MemoryFormat : IMemoryFormat
    {
        public MemoryFormat Format => MemoryFormat.Mem0;

        public bool Recognizes(SourceSample sample) => false;

        public IEnumerable<Outcome<MemoryDoc>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken) =>
            throw new NotImplementedException();
    }
}

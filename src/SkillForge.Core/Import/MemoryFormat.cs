using System.Collections.Generic;
using System.IO;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Import
{
    /// <summary>The memory export formats Import-MemoryExport reads.</summary>
    public enum MemoryFormat { Auto, SkillForge, Letta, Mem0, SkillRL, Reflexion }

    /// <summary>A reader for one memory export format.</summary>
    public interface IMemoryFormat
    {
        MemoryFormat Format { get; }

        /// <summary>True when the sample looks like this format. Cheap: runs on the first 64 KiB only.</summary>
        bool Recognizes(SourceSample sample);

        /// <summary>Streams the docs of one file (already decompressed). Bad records are errors, the rest still read.</summary>
        IEnumerable<Outcome<MemoryDoc>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken);
    }
}

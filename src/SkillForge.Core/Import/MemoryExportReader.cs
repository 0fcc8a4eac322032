using System;
using System.Collections.Generic;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Import
{
    /// <summary>Entry point of Import-MemoryExport: picks the format and streams MemoryDocs.</summary>
    public static class MemoryExportReader
    {
        /// <summary>
        /// Streams the docs of one file. Throws SkillForgeException for a file that cannot be opened or placed
        /// (ErrorIds.FileNotFound, ErrorIds.ImportUnknownFormat); bad records come back as error outcomes.
        /// </summary>
        public static IEnumerable<Outcome<MemoryDoc>> Read(string path, MemoryFormat format = MemoryFormat.Auto, CancellationToken cancellationToken = default) =>
            throw new NotImplementedException();
    }
}

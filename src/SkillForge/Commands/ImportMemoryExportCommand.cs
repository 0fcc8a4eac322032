using System.Collections.Generic;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Import;
using SkillForge.Infrastructure;

namespace SkillForge.Commands
{
    /// <summary>
    /// Reads agent memory exports (JSON Lines, JSON array, wrapper object, gzip) and writes one MemoryDoc per
    /// record as it is read. A bad record is a non-terminating error naming file and line; the rest still comes out.
    /// </summary>
    [Cmdlet(VerbsData.Import, "MemoryExport", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(MemoryDoc))]
    public sealed class ImportMemoryExportCommand : FileImportCmdlet<MemoryDoc>
    {
        /// <summary>The export format; Auto recognises it from the start of each file.</summary>
        [Parameter]
        public MemoryFormat Format { get; set; } = MemoryFormat.Auto;

        protected override string ItemName => "memory docs";

        protected override IEnumerable<Outcome<MemoryDoc>> ReadFile(string file) =>
            MemoryExportReader.Read(file, Format, Sink, CancellationToken);
    }
}

using System;
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
    public sealed class ImportMemoryExportCommand : SkillForgeCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>Export files; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Export files taken exactly as written; binds FullName/PSPath from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The export format; Auto recognises it from the start of each file.</summary>
        [Parameter]
        public MemoryFormat Format { get; set; } = MemoryFormat.Auto;

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var file in ResolveFilePaths(literal ? LiteralPath : Path, literal))
            {
                ImportFile(file);
            }
        }

        private void ImportFile(string file)
        {
            long docs = 0, errors = 0;
            try
            {
                IEnumerable<Outcome<MemoryDoc>> outcomes = MemoryExportReader.Read(file, Format, Sink, CancellationToken);
                foreach (var outcome in outcomes)
                {
                    if (outcome.IsError)
                    {
                        errors++;
                        WriteRecordError(outcome.Error!);
                    }
                    else
                    {
                        docs++;
                        WriteObject(outcome.Value);
                    }
                }
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            WriteVerbose($"'{file}': {docs} memory docs imported, {errors} bad records reported.");
        }
    }
}

using System;
using System.IO;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Traces;

namespace SkillForge.Commands
{
    /// <summary>Import-Trace: reads agent execution traces into TraceEvent objects, one at a time.</summary>
    [Cmdlet(VerbsData.Import, "Trace", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(TraceEvent))]
    public sealed class ImportTraceCommand : SkillForgeCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ProgressActivity = "Import-Trace";
        private const int ProgressEvery = 10_000;

        /// <summary>Trace files; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Trace files, taken exactly as written (no wildcards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The trace format; Auto recognises it from the start of each file.</summary>
        [Parameter]
        public TraceFormat Format { get; set; } = TraceFormat.Auto;

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var file in ResolveFilePaths(literal ? LiteralPath : Path, literal))
                ImportFile(file);
        }

        private void ImportFile(string file)
        {
            long events = 0, errors = 0;
            try
            {
                var reader = TraceReader.Resolve(file, Format);
                WriteVerbose($"Reading '{file}' as {reader.Format} trace.");
                foreach (var outcome in TraceReader.Read(file, reader, CancellationToken))
                {
                    if (outcome.IsError)
                    {
                        errors++;
                        WriteRecordError(outcome.Error!);
                    }
                    else
                    {
                        events++;
                        WriteObject(outcome.Value);
                        if (events % ProgressEvery == 0)
                            Sink.Progress(new OperationProgress(ProgressActivity, $"Reading {System.IO.Path.GetFileName(file)}: {events:N0} events", 0, 0));
                    }
                }
                if (events >= ProgressEvery) Sink.Progress(new OperationProgress(ProgressActivity, "Done", 1, 1));
                WriteVerbose($"Read {events} events from '{file}'" + (errors > 0 ? $"; {errors} records were rejected." : "."));
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                WriteFailure(new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                    $"'{file}' could not be read to the end ({e.Message}); the {events} events before that point were imported. " +
                    "Check that the file (or its gzip compression) is complete.", file, e));
            }
        }
    }
}

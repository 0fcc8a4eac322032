using System.Collections.Generic;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Traces;

namespace SkillForge.Commands
{
    /// <summary>Import-Trace: reads agent execution traces into TraceEvent objects, one at a time.</summary>
    [Cmdlet(VerbsData.Import, "Trace", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(TraceEvent))]
    public sealed class ImportTraceCommand : FileImportCmdlet<TraceEvent>
    {
        private const string ProgressActivity = "Import-Trace";
        private const int ProgressEvery = 10_000;

        /// <summary>The trace format; Auto recognises it from the start of each file.</summary>
        [Parameter]
        public TraceFormat Format { get; set; } = TraceFormat.Auto;

        protected override string ItemName => "events";

        protected override IEnumerable<Outcome<TraceEvent>> ReadFile(string file)
        {
            var reader = TraceReader.Resolve(file, Format);
            WriteVerbose($"Reading '{file}' as {reader.Format} trace.");
            long events = 0;
            foreach (var outcome in TraceReader.Read(file, reader, CancellationToken))
            {
                if (!outcome.IsError && ++events % ProgressEvery == 0)
                    Sink.Progress(new OperationProgress(ProgressActivity, $"Reading {System.IO.Path.GetFileName(file)}: {events:N0} events", 0, 0));
                yield return outcome;
            }
            if (events >= ProgressEvery) Sink.Progress(new OperationProgress(ProgressActivity, "Done", 1, 1));
        }
    }
}

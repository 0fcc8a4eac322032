using System.Management.Automation;
using SkillForge.Infrastructure;
using SkillForge.Traces;

namespace SkillForge.Commands
{
    /// <summary>Split-Trace: one TracePartition per trace (successes, failures, context), or the events of one outcome.</summary>
    [Cmdlet(VerbsCommon.Split, "Trace", DefaultParameterSetName = PartitionSet)]
    [OutputType(typeof(TracePartition), ParameterSetName = new[] { PartitionSet })]
    [OutputType(typeof(TraceEvent), ParameterSetName = new[] { OutcomeSet })]
    public sealed class SplitTraceCommand : TraceInputCmdlet
    {
        private const string PartitionSet = "Partition";
        private const string OutcomeSet = "Outcome";

        private readonly TracePartitionBuilder _builder = new TracePartitionBuilder();
        private long _received;

        /// <summary>Emit the events of this outcome themselves instead of partitions.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OutcomeSet)]
        public TraceOutcome Outcome { get; set; }

        protected override void Take(TraceEvent ev)
        {
            _received++;
            if (ParameterSetName == OutcomeSet)
            {
                if (TracePartitioner.OutcomeOf(ev.Kind) == Outcome) WriteObject(ev);
                return;
            }
            _builder.Add(ev);
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == PartitionSet)
            {
                foreach (var partition in _builder.Build())
                {
                    WriteVerbose($"Trace '{partition.TraceId}': {partition.SuccessCount} successes, {partition.FailureCount} failures, {partition.SkippedCount} other events ({partition.Context.Length} kept as context).");
                    WriteObject(partition);
                }
            }
            WriteVerbose($"Split {_received} events.");
            base.EndProcessing();
        }
    }
}

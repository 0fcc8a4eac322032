using System.Collections;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Traces;

namespace SkillForge.Commands
{
    /// <summary>Split-Trace: one TracePartition per trace (successes, failures, context), or the events of one outcome.</summary>
    [Cmdlet(VerbsCommon.Split, "Trace", DefaultParameterSetName = PartitionSet)]
    [OutputType(typeof(TracePartition), ParameterSetName = new[] { PartitionSet })]
    [OutputType(typeof(TraceEvent), ParameterSetName = new[] { OutcomeSet })]
    public sealed class SplitTraceCommand : SkillForgeCmdlet
    {
        private const string PartitionSet = "Partition";
        private const string OutcomeSet = "Outcome";

        /// <summary>Trace ids given to objects that carry none.</summary>
        public const string UnnamedTraceId = "unnamed";

        private readonly TracePartitionBuilder _builder = new TracePartitionBuilder();
        private readonly TraceSequencer _sequences = new TraceSequencer();
        private long _received;

        /// <summary>TraceEvents, or any objects with kind, action_id, tool, data, ... properties.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Emit the events of this outcome themselves instead of partitions.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OutcomeSet)]
        public TraceOutcome Outcome { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            object input = InputObject.BaseObject;
            if (input is IEnumerable items && !(input is string) && !(input is IDictionary))
            {
                foreach (var item in items)
                    if (item != null) Take(item as PSObject ?? PSObject.AsPSObject(item));
                return;
            }
            Take(InputObject);
        }

        private void Take(PSObject input)
        {
            var ev = ToEvent(input);
            if (ev == null) return;
            _received++;
            if (ParameterSetName == OutcomeSet)
            {
                if (TracePartitioner.OutcomeOf(ev.Kind) == Outcome) WriteObject(ev);
                return;
            }
            _builder.Add(ev);
        }

        private TraceEvent? ToEvent(PSObject input)
        {
            if (input.BaseObject is TraceEvent ev) return ev;
            if (PSObjectConversion.SkillForgeTypeName(input) is string other && other != typeof(TraceEvent).FullName)
            {
                // A MemoryDoc has a kind too ('procedure'): taken as an event it would become a trace named 'unnamed'.
                WriteFailure(new SkillForgeException(ErrorIds.TraceInvalidRecord, FailureCategory.InvalidArgument,
                    $"Split-Trace takes trace events, and this is a {other}. " + (other == typeof(MemoryDoc).FullName
                        ? "Memories are clustered instead: pipe them to Find-MemoryCluster, then New-DistillPrompt."
                        : "Pipe TraceEvents from Import-Trace."), input));
                return null;
            }
            var properties = PSObjectConversion.Properties(input);
            var converted = TraceEventConverter.FromProperties(properties, UnnamedTraceId, out var error);
            if (converted == null)
            {
                WriteFailure(new SkillForgeException(ErrorIds.TraceInvalidRecord, FailureCategory.InvalidData,
                    $"Split-Trace cannot use this object: {error} Pipe TraceEvents from Import-Trace, or objects with a kind property.", input));
                return null;
            }
            // Objects without a sequence are numbered in arrival order within their trace, so prompts keep the trace order.
            if (!properties.Exists(p => TraceFieldNames.Normalize(p.Key) == TraceFieldNames.Sequence))
                converted.Sequence = _sequences.Next(converted.TraceId);
            return converted;
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

using System.Collections;
using System.Management.Automation;
using SkillForge.Commands;
using SkillForge.Diagnostics;
using SkillForge.Traces;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that take trace events from the pipeline (Split-Trace, Find-TracePattern): TraceEvents as
    /// they are, other objects by their properties, arrays item by item. A MemoryDoc or other SkillForge object is
    /// an error that says where it goes instead, and a bad object is an error for that object only.
    /// </summary>
    public abstract class TraceInputCmdlet : SkillForgeCmdlet
    {
        /// <summary>Trace ids given to objects that carry none.</summary>
        public const string UnnamedTraceId = "unnamed";

        private readonly TraceSequencer _sequences = new TraceSequencer();

        /// <summary>TraceEvents (Import-Trace), or any objects with kind, action_id, tool, data, ... properties.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>One event, in arrival order.</summary>
        protected abstract void Take(TraceEvent ev);

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            object input = InputObject.BaseObject;
            if (input is IEnumerable items && !(input is string) && !(input is IDictionary))
            {
                foreach (var item in items)
                    if (item != null) TakeObject(item as PSObject ?? PSObject.AsPSObject(item));
                return;
            }
            TakeObject(InputObject);
        }

        private void TakeObject(PSObject input)
        {
            var ev = ToEvent(input);
            if (ev != null) Take(ev);
        }

        private TraceEvent? ToEvent(PSObject input)
        {
            if (input.BaseObject is TraceEvent ev) return ev;
            string command = MyInvocation.MyCommand.Name;
            if (PSObjectConversion.SkillForgeTypeName(input) is string other && other != typeof(TraceEvent).FullName)
            {
                // A MemoryDoc has a kind too ('procedure'): taken as an event it would become a trace named 'unnamed'.
                WriteFailure(new SkillForgeException(ErrorIds.TraceInvalidRecord, FailureCategory.InvalidArgument,
                    $"{command} takes trace events, and this is a {other}. " + (other == typeof(MemoryDoc).FullName
                        ? "Memories are clustered instead: pipe them to Find-MemoryCluster, then New-DistillPrompt."
                        : "Pipe TraceEvents from Import-Trace."), input));
                return null;
            }
            var properties = PSObjectConversion.Properties(input);
            var converted = TraceEventConverter.FromProperties(properties, UnnamedTraceId, out var error);
            if (converted == null)
            {
                WriteFailure(new SkillForgeException(ErrorIds.TraceInvalidRecord, FailureCategory.InvalidData,
                    $"{command} cannot use this object: {error} Pipe TraceEvents from Import-Trace, or objects with a kind property.", input));
                return null;
            }
            // Objects without a sequence are numbered in arrival order within their trace, so prompts keep the trace order.
            if (!properties.Exists(p => TraceFieldNames.Normalize(p.Key) == TraceFieldNames.Sequence))
                converted.Sequence = _sequences.Next(converted.TraceId);
            return converted;
        }
    }
}

using System;
using System.Linq;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Traces.Patterns;

namespace SkillForge.Commands
{
    /// <summary>
    /// Find-TracePattern: the lessons (a failure with the fix that worked, or a user correction) and, with
    /// -Kind Workflow, the workflows that recur across all the traces piped in.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "TracePattern")]
    [OutputType(typeof(TracePattern))]
    public sealed class FindTracePatternCommand : TraceInputCmdlet
    {
        private readonly TracePatternFinder _finder = new TracePatternFinder();

        /// <summary>Fewest distinct traces a lesson or workflow must recur in; a user correction needs one.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int MinSupport { get; set; } = TracePatternOptions.DefaultMinSupport;

        /// <summary>Lesson (default), Workflow, or both.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public TracePatternKind[] Kind { get; set; } = { TracePatternKind.Lesson };

        /// <summary>Regular expressions: a failed action whose command or error text matches one is not a failure.</summary>
        [Parameter]
        [ValidateNotNull]
        public string[] NotFailure { get; set; } = Array.Empty<string>();

        protected override void BeginProcessing()
        {
            try
            {
                _ = new NotFailureRules(NotFailure);
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
            }
        }

        protected override void Take(TraceEvent ev) => _finder.Add(ev);

        protected override void EndProcessing()
        {
            var options = new TracePatternOptions
            {
                MinSupport = MinSupport,
                Lessons = Kind.Contains(TracePatternKind.Lesson),
                Workflows = Kind.Contains(TracePatternKind.Workflow),
                NotFailure = NotFailure,
            };
            try
            {
                foreach (var pattern in _finder.Find(options, CancellationToken)) WriteObject(pattern);
                var s = _finder.Statistics;
                WriteVerbose($"{s.Traces} traces, {s.Actions} actions: {s.Failures} failures ({s.FailuresWithFix} with a fix, {s.FailuresInLessons} in a lesson), " +
                    $"{s.NotFailures} not failures{(s.NotFailures > 0 ? " (" + string.Join(", ", s.NotFailureRules.Select(kv => kv.Key + " " + kv.Value)) + ")" : "")}, {s.Corrections} user corrections.");
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                base.EndProcessing();
            }
        }
    }
}

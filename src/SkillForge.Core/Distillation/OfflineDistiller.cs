using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;
using SkillForge.Distillation.Offline;
using SkillForge.Redaction;

namespace SkillForge.Distillation
{
    /// <summary>
    /// The built-in extractive distiller: deterministic, no network. It rewrites nothing: every step, lesson and
    /// example comes from the sources the prompt was built from (DistillPrompt.Cluster or DistillPrompt.Partition),
    /// ordered and de-duplicated, so its output is a reviewable first draft and the same input always gives the same bytes.
    /// </summary>
    public sealed class OfflineDistiller : IDistiller
    {
        /// <summary>What DistillationResult.Model and Endpoint say for offline answers.</summary>
        public const string ModelName = "offline";

        private readonly RedactionMode _redact;

        /// <summary>
        /// redact: what the redaction pass replaces in the sources before any of their text is quoted, and in the
        /// answer before it is returned (the prompt's own text was redacted when it was built).
        /// </summary>
        public OfflineDistiller(RedactionMode redact = RedactionMode.All) => _redact = redact;

        /// <summary>A valid SKILL.md for a cluster prompt, the JSON array for a trace prompt.</summary>
        public DistillationResult Distill(DistillPrompt prompt)
        {
            if (prompt == null) throw new ArgumentNullException(nameof(prompt));
            var watch = Stopwatch.StartNew();
            string text;
            string? name = null;
            string? evidence = null;
            double coverage = 0;
            int sourceTokens = prompt.SourceTokens;
            switch (prompt.Kind)
            {
                case DistillPromptKind.MemoryCluster:
                    if (prompt.Cluster == null || prompt.Cluster.Documents.Length == 0)
                        throw MissingSource(prompt, "the memory cluster", "Find-MemoryCluster | New-DistillPrompt");
                    var composed = ClusterSkillComposer.Compose(Redacted(prompt.Cluster));
                    text = composed.Markdown;
                    name = composed.Name;
                    evidence = composed.Evidence;
                    coverage = composed.Coverage;
                    // Every member's text, not the prompt's quotes: that is what the skill stands for.
                    sourceTokens = prompt.Cluster.Documents.Sum(d => TokenEstimator.Estimate(d.Text));
                    break;
                case DistillPromptKind.TracePattern:
                    if (prompt.Pattern == null || prompt.Pattern.Occurrences.Length == 0)
                        throw MissingSource(prompt, "the trace pattern", "Find-TracePattern | New-DistillPrompt");
                    var lesson = PatternSkillComposer.Compose(prompt.Pattern);
                    text = lesson.Markdown;
                    name = lesson.Name;
                    evidence = lesson.Evidence;
                    coverage = 1;
                    sourceTokens = prompt.Pattern.EstimatedTokens;
                    break;
                case DistillPromptKind.TraceSuccess:
                case DistillPromptKind.TraceFailure:
                    if (prompt.Partition == null)
                        throw MissingSource(prompt, "the trace partition", "Import-Trace | Split-Trace | New-DistillPrompt");
                    var partition = Redacted(prompt.Partition);
                    var json = prompt.Kind == DistillPromptKind.TraceSuccess
                        ? TraceSkillComposer.ComposeSuccess(partition)
                        : TraceSkillComposer.ComposeFailure(partition);
                    text = json.Json;
                    coverage = json.Coverage;
                    var events = prompt.Kind == DistillPromptKind.TraceSuccess ? prompt.Partition.Successes : prompt.Partition.Failures;
                    sourceTokens = events.Sum(e => TokenEstimator.Estimate(e.Data) + TokenEstimator.Estimate(e.Tool));
                    break;
                default:
                    throw new SkillForgeException(ErrorIds.PromptInvalidInput, FailureCategory.InvalidArgument,
                        $"The offline distiller does not know prompt kind '{prompt.Kind}'.", prompt);
            }

            // Whatever a composer quotes (ids, file names, any prompt kind), nothing it writes escapes the pass.
            text = Redactor.Redact(text, _redact);
            if (evidence != null) evidence = Redactor.Redact(evidence, _redact);
            int outputTokens = TokenEstimator.Estimate(text);
            return new DistillationResult
            {
                Prompt = prompt,
                Text = text,
                Name = name,
                Model = ModelName,
                Endpoint = ModelName,
                InputTokens = prompt.EstimatedTokens > 0 ? prompt.EstimatedTokens : TokenEstimator.Estimate(prompt.Text),
                OutputTokens = outputTokens,
                Duration = watch.Elapsed,
                FinishReason = "stop",
                // Rounded as ChatClientDistiller and the crystallization summary round it.
                CompressionRatio = outputTokens == 0 ? 0 : Math.Round((double)sourceTokens / outputTokens, 2),
                Coverage = Math.Round(coverage, 2),
                Evidence = evidence,
            };
        }

        /// <summary>The cluster with its docs' text and scope redacted (copies; the caller's objects are untouched).</summary>
        private MemoryCluster Redacted(MemoryCluster cluster)
        {
            if (_redact == RedactionMode.None) return cluster;
            var copy = cluster.Copy();
            copy.Scope = Redactor.Redact(cluster.Scope ?? "", _redact);
            copy.Documents = Array.ConvertAll(cluster.Documents, d =>
            {
                if (d == null) return d!;
                var doc = d.Copy();
                doc.Text = Redactor.Redact(d.Text ?? "", _redact);
                doc.Scope = Redactor.Redact(d.Scope ?? "", _redact);
                return doc;
            });
            return copy;
        }

        /// <summary>The partition with every event's payload, states and tool redacted (copies).</summary>
        private TracePartition Redacted(TracePartition partition)
        {
            if (_redact == RedactionMode.None) return partition;
            var copy = partition.Copy();
            copy.Successes = Array.ConvertAll(partition.Successes, Redacted);
            copy.Failures = Array.ConvertAll(partition.Failures, Redacted);
            copy.Context = Array.ConvertAll(partition.Context, Redacted);
            return copy;
        }

        private TraceEvent Redacted(TraceEvent ev)
        {
            var copy = ev.Copy();
            copy.Data = Redactor.Redact(ev.Data ?? "null", _redact);
            if (ev.StateBefore != null) copy.StateBefore = Redactor.Redact(ev.StateBefore, _redact);
            if (ev.StateAfter != null) copy.StateAfter = Redactor.Redact(ev.StateAfter, _redact);
            if (ev.Tool != null) copy.Tool = Redactor.Redact(ev.Tool, _redact);
            return copy;
        }

        public Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(Distill(prompt));
        }

        private static SkillForgeException MissingSource(DistillPrompt prompt, string what, string pipeline) =>
            new SkillForgeException(ErrorIds.PromptInvalidInput, FailureCategory.InvalidArgument,
                $"The offline distiller works from {what} a prompt was built from, and prompt {prompt.Fingerprint} does not carry it " +
                $"(prompts read back from text or JSON lose it). Build the prompt in the same pipeline: {pipeline} | Invoke-SkillDistillation -Offline.",
                prompt);
    }
}

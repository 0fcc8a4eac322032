using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;
using SkillForge.Distillation.Offline;

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
                    var composed = ClusterSkillComposer.Compose(prompt.Cluster);
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
                    var json = prompt.Kind == DistillPromptKind.TraceSuccess
                        ? TraceSkillComposer.ComposeSuccess(prompt.Partition)
                        : TraceSkillComposer.ComposeFailure(prompt.Partition);
                    text = json.Json;
                    coverage = json.Coverage;
                    var events = prompt.Kind == DistillPromptKind.TraceSuccess ? prompt.Partition.Successes : prompt.Partition.Failures;
                    sourceTokens = events.Sum(e => TokenEstimator.Estimate(e.Data) + TokenEstimator.Estimate(e.Tool));
                    break;
                default:
                    throw new SkillForgeException(ErrorIds.PromptInvalidInput, FailureCategory.InvalidArgument,
                        $"The offline distiller does not know prompt kind '{prompt.Kind}'.", prompt);
            }

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

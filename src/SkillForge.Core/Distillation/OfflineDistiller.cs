using System;
using System.Threading;
using System.Threading.Tasks;

namespace SkillForge.Distillation
{
    /// <summary>The built-in extractive distiller: deterministic, no network.</summary>
    public sealed class OfflineDistiller : IDistiller
    {
        /// <summary>A valid SKILL.md for a cluster prompt, the JSON array for a trace prompt.</summary>
        public DistillationResult Distill(DistillPrompt prompt) => throw new NotImplementedException();

        public Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken) =>
            Task.FromResult(Distill(prompt));
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;

namespace SkillForge.Distillation
{
    /// <summary>Answers one DistillPrompt: a model endpoint, a user's IChatClient, or the offline distiller.</summary>
    public interface IDistiller
    {
        /// <summary>Throws SkillForgeException with a Distill ErrorId (see ErrorIds) and the prompt as target on failure.</summary>
        Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken);
    }

    /// <summary>
    /// A distiller that says what it does (endpoint, tokens, latency, retries) while it works. It may call
    /// <c>verbose</c> from any thread; DistillationRunner collects the messages into the prompt's outcome so
    /// the cmdlet writes them on the pipeline thread.
    /// </summary>
    public interface IVerboseDistiller : IDistiller
    {
        Task<DistillationResult> DistillAsync(DistillPrompt prompt, Action<string> verbose, CancellationToken cancellationToken);
    }
}

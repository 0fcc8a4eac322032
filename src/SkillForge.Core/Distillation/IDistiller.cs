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
}

using System;
using System.Collections.Generic;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Distillation
{
    /// <summary>The answer (or failure) for one prompt, plus what the worker wanted to say verbosely.</summary>
    public sealed class DistillationOutcome
    {
        public DistillationOutcome(DistillPrompt prompt, DistillationResult? result, SkillForgeException? error, IReadOnlyList<string> verboseMessages)
        {
            Prompt = prompt;
            Result = result;
            Error = error;
            VerboseMessages = verboseMessages;
        }

        public DistillPrompt Prompt { get; }
        public DistillationResult? Result { get; }
        public SkillForgeException? Error { get; }
        public IReadOnlyList<string> VerboseMessages { get; }
    }

    /// <summary>
    /// Runs prompts through a distiller with at most ThrottleLimit in flight. Workers never write to the
    /// pipeline: outcomes are drained by the caller's thread, in input order. Identical prompts are sent once.
    /// </summary>
    public sealed class DistillationRunner : IDisposable
    {
        public DistillationRunner(IDistiller distiller, int throttleLimit, CancellationToken cancellationToken) =>
            throw new NotImplementedException();

        /// <summary>Queues a prompt; it starts as soon as a slot is free.</summary>
        public void Enqueue(DistillPrompt prompt) => throw new NotImplementedException();

        /// <summary>Outcomes ready now, in input order, without blocking.</summary>
        public IEnumerable<DistillationOutcome> DrainCompleted() => throw new NotImplementedException();

        /// <summary>Waits for the rest and yields them in input order. Cancellation ends it within a second.</summary>
        public IEnumerable<DistillationOutcome> DrainAll() => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }
}

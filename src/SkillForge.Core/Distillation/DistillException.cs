using System;
using SkillForge.Diagnostics;

namespace SkillForge.Distillation
{
    /// <summary>
    /// A failed distillation of one prompt. ErrorId is one of the SkillForge.Distill.* ids; Target is the
    /// DistillPrompt. The message never contains the API key.
    /// </summary>
    public sealed class DistillException : SkillForgeException
    {
        public DistillException(string errorId, FailureCategory category, string message, DistillPrompt? prompt,
            int? statusCode = null, string? rawText = null, int retries = 0, Exception? inner = null)
            : base(errorId, category, message, prompt, inner)
        {
            StatusCode = statusCode;
            RawText = rawText;
            Retries = retries;
        }

        /// <summary>The HTTP status the server answered with, when there was one.</summary>
        public int? StatusCode { get; }

        /// <summary>The model's raw answer (empty output, invalid SKILL.md, a truncated stream), when there was one.</summary>
        public string? RawText { get; }

        /// <summary>Retries made before giving up.</summary>
        public int Retries { get; }

        public DistillPrompt? Prompt => Target as DistillPrompt;

        /// <summary>The same failure for another prompt (a duplicate that shared this request).</summary>
        public DistillException ForPrompt(DistillPrompt prompt) =>
            new DistillException(ErrorId, Category, Message, prompt, StatusCode, RawText, Retries, this);
    }
}

using System;
using System.Collections.Generic;

namespace SkillForge.Distillation
{
    /// <summary>Model names SkillForge suggests (never restricts to), and what it knows about a few of them.</summary>
    public static class ModelCatalog
    {
        /// <summary>The model used with OpenAI's own endpoint when none is configured.</summary>
        public const string DefaultOpenAIModel = "gpt-4.1-mini";

        /// <summary>Suggestions for tab completion: hosted models first, then common local ones.</summary>
        public static IReadOnlyList<string> Suggestions { get; } = new[]
        {
            "gpt-4.1-mini", "gpt-4.1", "gpt-4.1-nano", "gpt-4o-mini", "gpt-4o", "o4-mini", "o3-mini", "o3",
            "gpt-5-mini", "gpt-5",
            "llama3.1", "llama3.2", "llama3.3", "qwen2.5", "qwen2.5-coder", "qwen3", "mistral", "mistral-nemo",
            "gemma2", "gemma3", "phi3", "phi4", "deepseek-r1",
        };

        /// <summary>
        /// Reasoning models (o1, o3, o4-mini, gpt-5...) reject a temperature other than the default, so none is sent to them.
        /// </summary>
        public static bool AcceptsTemperature(string? model)
        {
            if (string.IsNullOrEmpty(model)) return true;
            string m = model!.Trim().ToLowerInvariant();
            int slash = m.LastIndexOf('/');
            if (slash >= 0) m = m.Substring(slash + 1);
            if (m.Length >= 2 && m[0] == 'o' && char.IsDigit(m[1])) return false;
            if (m.StartsWith("gpt-5", StringComparison.Ordinal)) return false;
            return true;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;

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
        /// Context windows (prompt plus answer, in tokens) of the models whose limit is published, by name prefix;
        /// the longest matching prefix wins, so "gpt-4.1-mini" and "gpt-4o-mini" find their own entries.
        /// </summary>
        private static readonly KeyValuePair<string, int>[] ContextWindows =
        {
            new KeyValuePair<string, int>("gpt-4.1", 1_047_576),
            new KeyValuePair<string, int>("gpt-4o", 128_000),
            new KeyValuePair<string, int>("gpt-4-turbo", 128_000),
            new KeyValuePair<string, int>("gpt-3.5-turbo", 16_385),
            new KeyValuePair<string, int>("gpt-5", 400_000),
            new KeyValuePair<string, int>("o1", 200_000),
            new KeyValuePair<string, int>("o3", 200_000),
            new KeyValuePair<string, int>("o4-mini", 200_000),
            new KeyValuePair<string, int>("llama3.1", 131_072),
            new KeyValuePair<string, int>("llama3.2", 131_072),
            new KeyValuePair<string, int>("llama3.3", 131_072),
            new KeyValuePair<string, int>("qwen2.5", 32_768),
            new KeyValuePair<string, int>("mistral-nemo", 131_072),
            new KeyValuePair<string, int>("gemma2", 8_192),
            new KeyValuePair<string, int>("gemma3", 131_072),
            new KeyValuePair<string, int>("phi4", 16_384),
        };

        /// <summary>
        /// The context window of a model in tokens, or null when SkillForge does not know it (then nothing is
        /// checked). A provider prefix ("openai/gpt-4o") and a size tag ("llama3.1:8b") are ignored.
        /// </summary>
        public static int? ContextWindow(string? model)
        {
            if (string.IsNullOrWhiteSpace(model)) return null;
            string m = model!.Trim().ToLowerInvariant();
            int slash = m.LastIndexOf('/');
            if (slash >= 0) m = m.Substring(slash + 1);
            int colon = m.IndexOf(':');
            if (colon >= 0) m = m.Substring(0, colon);
            int? best = null;
            int bestLength = 0;
            foreach (var entry in ContextWindows)
            {
                if (entry.Key.Length > bestLength && m.StartsWith(entry.Key, StringComparison.Ordinal))
                {
                    best = entry.Value;
                    bestLength = entry.Key.Length;
                }
            }
            return best;
        }

        /// <summary>
        /// Null when a prompt of <paramref name="promptTokens"/> (estimated) plus an answer of up to
        /// <paramref name="maxOutputTokens"/> fits the model's context (or the context is unknown); else a short
        /// sentence saying by how much it does not, for a warning and for -WhatIf.
        /// </summary>
        public static string? DescribeContextOverflow(string? model, int promptTokens, int maxOutputTokens)
        {
            if (!(ContextWindow(model) is int window)) return null;
            long needed = (long)promptTokens + Math.Max(0, maxOutputTokens);
            if (needed <= window) return null;
            return string.Format(CultureInfo.InvariantCulture,
                "about {0} prompt tokens plus up to {1} output tokens exceed the {2}-token context of model '{3}'",
                promptTokens, maxOutputTokens, window, model!.Trim());
        }

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

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SkillForge.Distillation;

namespace SkillForge.Commands
{
    /// <summary>
    /// Suggests model names for -Model: the session's model first, then common hosted and local models.
    /// Suggests only: any name is accepted, and its case is kept.
    /// </summary>
    public sealed class ModelNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            var names = new List<string>();
            string? sessionModel = SkillForgeContextStore.Get().Model;
            if (!string.IsNullOrEmpty(sessionModel)) names.Add(sessionModel!);
            string? envModel = Environment.GetEnvironmentVariable(DistillationSettingsResolver.ModelVariable);
            if (!string.IsNullOrWhiteSpace(envModel)) names.Add(envModel!.Trim());
            names.AddRange(ModelCatalog.Suggestions);

            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                if (!name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)) continue;
                string text = NeedsQuotes(name) ? "'" + name.Replace("'", "''") + "'" : name;
                string tip = name == sessionModel ? name + " (session default)" : name;
                yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, tip);
            }
        }

        private static bool NeedsQuotes(string name) =>
            name.Any(c => !(char.IsLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '/'));
    }
}

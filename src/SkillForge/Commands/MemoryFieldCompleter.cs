using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SkillForge.Diagnostics;
using SkillForge.Import;

namespace SkillForge.Commands
{
    /// <summary>
    /// Completes -Tier, -Scope and -Id from the memory export the command reads: its own -Path/-LiteralPath
    /// (Invoke-SkillCrystallization), or the file given to Import-MemoryExport earlier in the same pipeline
    /// (Find-MemoryCluster). Where no export is known it offers the tier every export has (Core) and nothing
    /// else: never file names, which are no value of these parameters.
    /// </summary>
    public sealed class MemoryFieldCompleter : IArgumentCompleter
    {
        /// <summary>Docs read for suggestions: enough for the scopes of a large export, quick on a keystroke.</summary>
        internal const int MaxDocsRead = 20000;

        private const string ImportCommand = "Import-MemoryExport";

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? "").Trim('\'', '"');
            var values = ValuesFromExport(parameterName, ExportPath(commandAst, fakeBoundParameters));
            if (string.Equals(parameterName, "Tier", StringComparison.OrdinalIgnoreCase))
            {
                // Core, the default, comes first and is there even when no export is known.
                values.Remove("Core");
                values.Insert(0, "Core");
            }

            var results = values
                .Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, v))
                .ToList();
            if (results.Count > 0) return results;
            // An empty answer would let PowerShell fall back to file names: keep what was typed instead.
            const string tip = "No value of this name is known: give the export to the command, or to Import-MemoryExport before it in the pipeline.";
            string kept = string.IsNullOrEmpty(wordToComplete) ? "''" : wordToComplete;
            return new[] { new CompletionResult(kept, "(no value known)", CompletionResultType.ParameterValue, tip) };
        }

        private static List<string> ValuesFromExport(string parameterName, string? path)
        {
            var values = new List<string>();
            if (path == null || !File.Exists(path)) return values;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var outcome in MemoryExportReader.Read(path).Take(MaxDocsRead))
                {
                    var doc = outcome.Value;
                    if (doc == null) continue;
                    string? value = parameterName.ToLowerInvariant() switch
                    {
                        "tier" => doc.Tier,
                        "scope" => doc.Scope,
                        _ => doc.Id,
                    };
                    if (!string.IsNullOrEmpty(value) && seen.Add(value!)) values.Add(value!);
                }
            }
            catch (Exception e) when (e is SkillForgeException || e is IOException || e is UnauthorizedAccessException)
            {
                // A file that cannot be read completes nothing; the command itself reports it when it runs.
            }
            values.Sort(StringComparer.OrdinalIgnoreCase);
            return values;
        }

        /// <summary>The export this command reads: its own path parameter, else Import-MemoryExport's in the pipeline.</summary>
        private static string? ExportPath(CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string? given = PathValue(fakeBoundParameters);
            if (given != null) return Resolve(given);
            if (!(commandAst.Parent is PipelineAst pipeline)) return null;
            foreach (var element in pipeline.PipelineElements)
            {
                if (element == commandAst) break;
                if (element is CommandAst command &&
                    string.Equals(command.GetCommandName(), ImportCommand, StringComparison.OrdinalIgnoreCase))
                {
                    string? first = FirstPathArgument(command);
                    if (first != null) return Resolve(first);
                }
            }
            return null;
        }

        private static string? PathValue(IDictionary bound)
        {
            foreach (var key in new[] { "LiteralPath", "Path" })
            {
                if (!bound.Contains(key)) continue;
                object? value = bound[key];
                if (value is PSObject pso) value = pso.BaseObject;
                if (value is string s) return s;
                if (value is IEnumerable list) return list.OfType<object>().Select(o => o?.ToString()).FirstOrDefault(o => !string.IsNullOrEmpty(o));
            }
            return null;
        }

        /// <summary>-Path/-LiteralPath's value, or the first positional argument, when it is a plain string.</summary>
        private static string? FirstPathArgument(CommandAst command)
        {
            var elements = command.CommandElements;
            for (int i = 1; i < elements.Count; i++)
            {
                if (elements[i] is CommandParameterAst parameter)
                {
                    bool isPath = "Path".StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase)
                        || "LiteralPath".StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase);
                    var argument = parameter.Argument ?? (i + 1 < elements.Count ? elements[i + 1] : null);
                    if (isPath) return Constant(argument);
                    if (parameter.Argument == null) i++;  // skip the value of another parameter
                    continue;
                }
                return Constant(elements[i]);
            }
            return null;
        }

        private static string? Constant(Ast? ast) => ast is StringConstantExpressionAst constant ? constant.Value : null;

        /// <summary>A relative path is relative to the session's current folder, as the command would read it.</summary>
        private static string Resolve(string path)
        {
            if (Path.IsPathRooted(path)) return path;
            string? location = null;
            try
            {
                // A completer runs inside the session's own pipeline: ask it, nested, for its file-system location.
                using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
                var found = ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem").Invoke();
                location = (found.FirstOrDefault()?.BaseObject as PathInfo)?.ProviderPath;
            }
            catch (Exception e) when (e is InvalidOperationException || e is RuntimeException)
            {
                // No session on this thread: the process's folder is the best guess.
            }
            return Path.GetFullPath(Path.Combine(location ?? Environment.CurrentDirectory, path));
        }

        private static string Quote(string value) =>
            value.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '/')
                ? value
                : "'" + value.Replace("'", "''") + "'";
    }
}

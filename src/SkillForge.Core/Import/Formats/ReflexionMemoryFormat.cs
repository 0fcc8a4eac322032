using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats.Common;
using SkillForge.IO;

namespace SkillForge.Import.Formats
{
    /// <summary>
    /// Reflexion run logs (<c>env_results_trial_N.json</c>): an array of <c>{name, memory: [reflection, ...], is_success}</c>.
    /// Each reflection becomes a MemoryDoc: Id "&lt;env name&gt;/reflection-&lt;index&gt;" (stable across trial files, since
    /// a later trial repeats the earlier reflections in order), Text the reflection, Scope the environment name,
    /// Tags [success|failure, "reflexion"], Kind "reflection", SourceLine the 1-based record number.
    /// Tier is "Core" although reflections are episodic memories: Find-MemoryCluster clusters Core docs by default,
    /// and reflections are exactly what should be clustered into skills.
    /// </summary>
    public sealed class ReflexionMemoryFormat : IMemoryFormat
    {
        private const string FormatName = "Reflexion";
        private static readonly Regex Shape = new Regex(
            "^\\s*\\[\\s*\\{[^\\[\\]{}]*\"(name|memory|is_success)\"\\s*:", RegexOptions.CultureInvariant);

        public MemoryFormat Format => MemoryFormat.Reflexion;

        public bool Recognizes(SourceSample sample)
        {
            var head = sample.Head;
            return Shape.IsMatch(head)
                && head.Contains("\"is_success\"")
                && head.Contains("\"memory\"")
                && head.Contains("\"name\"");
        }

        public IEnumerable<Outcome<MemoryDoc>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken)
        {
            using var doc = WholeJson.Load(stream, sourceFile, FormatName, ErrorIds.ImportInvalidJson, cancellationToken, out var loadError);
            if (doc == null)
            {
                yield return Outcome<MemoryDoc>.Fail(loadError!);
                yield break;
            }
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                yield return Outcome<MemoryDoc>.Fail(new RecordError(ErrorIds.ImportInvalidRecord,
                    $"File '{sourceFile}' is not a Reflexion log: the document must be an array of {{name, memory, is_success}} objects. " +
                    "Use -Format to pick the right reader.", sourceFile, 1, JsonValues.Snippet(root)));
                yield break;
            }

            long record = 0;
            foreach (var env in root.EnumerateArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                record++;
                string? name = env.ValueKind == JsonValueKind.Object ? JsonValues.Str(env, "name") : null;
                if (string.IsNullOrWhiteSpace(name) || !JsonValues.TryProp(env, "memory", out var memory) || memory.ValueKind != JsonValueKind.Array)
                {
                    yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record,
                        "needs a non-empty \"name\" and a \"memory\" array of reflection strings", env));
                    continue;
                }
                bool success = JsonValues.TryProp(env, "is_success", out var s) && JsonValues.IsTrue(s);
                int index = -1;
                foreach (var reflection in memory.EnumerateArray())
                {
                    index++;
                    if (reflection.ValueKind != JsonValueKind.String)
                    {
                        yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record,
                            $"has a reflection (memory[{index.ToString(CultureInfo.InvariantCulture)}]) that is not a string", reflection));
                        continue;
                    }
                    var text = reflection.GetString()!.Trim();
                    if (text.Length == 0) continue;
                    yield return Outcome<MemoryDoc>.Ok(new MemoryDoc
                    {
                        Id = name!.Trim() + "/reflection-" + index.ToString(CultureInfo.InvariantCulture),
                        Text = text,
                        Tier = "Core",
                        Scope = name.Trim(),
                        Tags = new[] { success ? "success" : "failure", "reflexion" },
                        Kind = "reflection",
                        SourceFile = sourceFile,
                        SourceLine = record,
                    });
                }
            }
        }

        private static RecordError Bad(string sourceFile, long record, string problem, JsonElement element) =>
            new RecordError(ErrorIds.ImportInvalidRecord,
                $"Reflexion record {record.ToString(CultureInfo.InvariantCulture)} in '{sourceFile}' {problem}; it was skipped, the rest of the file is read.",
                sourceFile, record, JsonValues.Snippet(element));
    }
}

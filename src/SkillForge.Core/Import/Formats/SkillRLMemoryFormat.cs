using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats.Common;
using SkillForge.IO;

namespace SkillForge.Import.Formats
{
    /// <summary>
    /// SkillRL distilled memories (<c>generated_memories_*.json</c>: an array of
    /// <c>{memory_id, contextual_description, tags{environment, outcome}, content{strategic_guidelines{planning_pattern,
    /// mistakes_to_avoid[{trigger_condition, bad_action}]}}}</c>) and its skill library (<c>claude_style_skills.json</c>:
    /// <c>general_skills</c>, <c>task_specific_skills</c>, <c>common_mistakes</c>).
    /// A memory becomes a "lesson" doc (Id = memory_id, Text = description + planning pattern, Scope = environment,
    /// Tags = [success|failure, task type, "skillrl"]); each mistake to avoid becomes an "anti_pattern" doc
    /// (Id = "&lt;memory_id&gt;/mistake-&lt;n&gt;", Text "When &lt;trigger&gt;, avoid: &lt;bad action&gt;", tagged "failure").
    /// Skill-library entries become "skill" docs (scope "general" or the task name) and "anti_pattern" docs.
    /// SourceLine is the 1-based record number.
    /// </summary>
    public sealed class SkillRLMemoryFormat : IMemoryFormat
    {
        private const string FormatName = "SkillRL";
        private const string Tag = "skillrl";
        private static readonly Regex TaskTypeInText = new Regex("classified as '([A-Za-z0-9_\\-]+)'", RegexOptions.CultureInvariant);

        public MemoryFormat Format => MemoryFormat.SkillRL;

        public bool Recognizes(SourceSample sample)
        {
            var head = sample.Head;
            if (head.Contains("\"memory_id\"") && head.Contains("\"contextual_description\"")) return true;
            return head.TrimStart().StartsWith("{", System.StringComparison.Ordinal)
                && head.Contains("\"general_skills\"")
                && (head.Contains("\"task_specific_skills\"") || head.Contains("\"common_mistakes\""));
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
            IEnumerable<Outcome<MemoryDoc>> docs;
            if (root.ValueKind == JsonValueKind.Array) docs = ReadMemories(root, sourceFile, cancellationToken);
            else if (root.ValueKind == JsonValueKind.Object && JsonValues.TryProp(root, "memories", out var list) && list.ValueKind == JsonValueKind.Array)
                docs = ReadMemories(list, sourceFile, cancellationToken);
            else if (root.ValueKind == JsonValueKind.Object && JsonValues.TryProp(root, "general_skills", out _))
                docs = ReadSkillLibrary(root, sourceFile, cancellationToken);
            else
            {
                docs = new[]
                {
                    Outcome<MemoryDoc>.Fail(new RecordError(ErrorIds.ImportInvalidRecord,
                        $"File '{sourceFile}' is not a SkillRL export: expected an array of memories (memory_id, contextual_description) " +
                        "or a skill library (general_skills, task_specific_skills, common_mistakes). Use -Format to pick the right reader.",
                        sourceFile, 1, JsonValues.Snippet(root))),
                };
            }
            foreach (var outcome in docs) yield return outcome;
        }

        private static IEnumerable<Outcome<MemoryDoc>> ReadMemories(JsonElement array, string sourceFile, CancellationToken cancellationToken)
        {
            long record = 0;
            foreach (var memory in array.EnumerateArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                record++;
                if (memory.ValueKind != JsonValueKind.Object)
                {
                    yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "is not an object", memory));
                    continue;
                }
                var description = JsonValues.Str(memory, "contextual_description")?.Trim() ?? "";
                JsonValues.TryProp(memory, "tags", out var tags);
                JsonValues.TryProp(memory, "content", out var content);
                JsonValues.TryProp(content, "strategic_guidelines", out var guidelines);
                var pattern = JsonValues.Str(guidelines, "planning_pattern")?.Trim() ?? "";
                JsonValues.TryProp(guidelines, "mistakes_to_avoid", out var mistakes);
                bool hasMistakes = mistakes.ValueKind == JsonValueKind.Array && mistakes.GetArrayLength() > 0;
                if (description.Length == 0 && pattern.Length == 0 && !hasMistakes)
                {
                    yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record,
                        "has no contextual_description, planning_pattern or mistakes_to_avoid, so there is nothing to import", memory));
                    continue;
                }

                var id = JsonValues.Str(memory, "memory_id")?.Trim();
                if (string.IsNullOrEmpty(id)) id = "skillrl-" + TextUtil.Sha256Hex(description + "\n" + pattern).Substring(0, 16);
                var scope = JsonValues.Str(tags, "environment")?.Trim() ?? "";
                var outcome = (JsonValues.Str(tags, "outcome") ?? "").Trim().ToLowerInvariant();
                var taskType = TaskType(tags, content, description);

                if (description.Length > 0 || pattern.Length > 0)
                {
                    var text = new StringBuilder(description);
                    if (pattern.Length > 0)
                    {
                        if (text.Length > 0) text.Append("\n\n");
                        text.Append("Planning pattern: ").Append(pattern);
                    }
                    yield return Outcome<MemoryDoc>.Ok(new MemoryDoc
                    {
                        Id = id!,
                        Text = text.ToString(),
                        Tier = "Core",
                        Scope = scope,
                        Tags = JsonValues.Tags(new[] { outcome, taskType, Tag }),
                        Kind = "lesson",
                        SourceFile = sourceFile,
                        SourceLine = record,
                    });
                }

                if (!hasMistakes) continue;
                int index = 0;
                foreach (var mistake in mistakes.EnumerateArray())
                {
                    index++;
                    var trigger = JsonValues.Str(mistake, "trigger_condition")?.Trim() ?? "";
                    var bad = JsonValues.Str(mistake, "bad_action")?.Trim() ?? "";
                    if (bad.Length == 0)
                    {
                        yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record,
                            $"has a mistakes_to_avoid entry ({index.ToString(CultureInfo.InvariantCulture)}) without a bad_action", mistake));
                        continue;
                    }
                    yield return Outcome<MemoryDoc>.Ok(new MemoryDoc
                    {
                        Id = id + "/mistake-" + index.ToString(CultureInfo.InvariantCulture),
                        Text = trigger.Length > 0 ? "When " + Clause(trigger) + ", avoid: " + bad : "Avoid: " + bad,
                        Tier = "Core",
                        Scope = scope,
                        Tags = JsonValues.Tags(new[] { "failure", taskType, Tag }),
                        Kind = "anti_pattern",
                        SourceFile = sourceFile,
                        SourceLine = record,
                    });
                }
            }
        }

        private static IEnumerable<Outcome<MemoryDoc>> ReadSkillLibrary(JsonElement root, string sourceFile, CancellationToken cancellationToken)
        {
            long record = 0;
            if (JsonValues.TryProp(root, "general_skills", out var general) && general.ValueKind == JsonValueKind.Array)
            {
                foreach (var skill in general.EnumerateArray())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return Skill(skill, "general", null, sourceFile, ++record);
                }
            }
            if (JsonValues.TryProp(root, "task_specific_skills", out var specific) && specific.ValueKind == JsonValueKind.Object)
            {
                foreach (var task in specific.EnumerateObject())
                {
                    if (task.Value.ValueKind != JsonValueKind.Array)
                    {
                        yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, ++record, $"(task_specific_skills.{task.Name}) is not an array of skills", task.Value));
                        continue;
                    }
                    foreach (var skill in task.Value.EnumerateArray())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return Skill(skill, task.Name, task.Name, sourceFile, ++record);
                    }
                }
            }
            if (JsonValues.TryProp(root, "common_mistakes", out var mistakes) && mistakes.ValueKind == JsonValueKind.Array)
            {
                foreach (var mistake in mistakes.EnumerateArray())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    record++;
                    var description = JsonValues.Str(mistake, "description")?.Trim() ?? "";
                    if (description.Length == 0)
                    {
                        yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "is a common mistake without a description", mistake));
                        continue;
                    }
                    var text = new StringBuilder(description);
                    AppendPart(text, "Why it happens", JsonValues.Str(mistake, "why_it_happens"));
                    AppendPart(text, "How to avoid", JsonValues.Str(mistake, "how_to_avoid"));
                    yield return Outcome<MemoryDoc>.Ok(new MemoryDoc
                    {
                        Id = JsonValues.Str(mistake, "mistake_id")?.Trim() is { Length: > 0 } mid ? mid : "skillrl-mistake-" + record.ToString(CultureInfo.InvariantCulture),
                        Text = text.ToString(),
                        Tier = "Core",
                        Scope = "general",
                        Tags = new[] { "failure", Tag },
                        Kind = "anti_pattern",
                        SourceFile = sourceFile,
                        SourceLine = record,
                    });
                }
            }
        }

        private static Outcome<MemoryDoc> Skill(JsonElement skill, string scope, string? task, string sourceFile, long record)
        {
            var title = JsonValues.Str(skill, "title")?.Trim() ?? "";
            var principle = JsonValues.Str(skill, "principle")?.Trim() ?? "";
            if (principle.Length == 0 && title.Length == 0)
                return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "is a skill without a title or principle", skill));
            var text = new StringBuilder();
            text.Append(title.Length > 0 && principle.Length > 0 ? title + ": " + principle : title + principle);
            AppendPart(text, "When to apply", JsonValues.Str(skill, "when_to_apply"));
            var id = JsonValues.Str(skill, "skill_id")?.Trim();
            return Outcome<MemoryDoc>.Ok(new MemoryDoc
            {
                Id = string.IsNullOrEmpty(id) ? "skillrl-skill-" + record.ToString(CultureInfo.InvariantCulture) : id!,
                Text = text.ToString(),
                Tier = "Core",
                Scope = scope,
                Tags = JsonValues.Tags(new[] { "skill", task, Tag }),
                Kind = "skill",
                SourceFile = sourceFile,
                SourceLine = record,
            });
        }

        private static void AppendPart(StringBuilder text, string label, string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            text.Append("\n").Append(label).Append(": ").Append(value!.Trim());
        }

        private static string? TaskType(JsonElement tags, JsonElement content, string description)
        {
            var explicitType = JsonValues.Str(tags, "task_type") ?? JsonValues.Str(tags, "task");
            if (string.IsNullOrWhiteSpace(explicitType) && JsonValues.TryProp(content, "task_meta", out var meta))
                explicitType = JsonValues.Str(meta, "task_type");
            if (!string.IsNullOrWhiteSpace(explicitType)) return explicitType!.Trim();
            var match = TaskTypeInText.Match(description);
            return match.Success ? match.Groups[1].Value : null;
        }

        /// <summary>"The goal requires X." → "the goal requires X" so it reads inside "When ..., avoid: ...".</summary>
        private static string Clause(string trigger)
        {
            var t = trigger.TrimEnd('.', ' ');
            if (t.StartsWith("When ", System.StringComparison.OrdinalIgnoreCase)) t = t.Substring(5);
            int space = t.IndexOf(' ');
            var first = space < 0 ? t : t.Substring(0, space);
            bool capitalisedWord = first.Length > 0 && char.IsUpper(first[0]) && first != "I";
            for (int i = 1; i < first.Length && capitalisedWord; i++) capitalisedWord = char.IsLower(first[i]);
            return capitalisedWord ? char.ToLowerInvariant(t[0]) + t.Substring(1) : t;
        }

        private static RecordError Bad(string sourceFile, long record, string problem, JsonElement element) =>
            new RecordError(ErrorIds.ImportInvalidRecord,
                $"SkillRL record {record.ToString(CultureInfo.InvariantCulture)} in '{sourceFile}' {problem}; it was skipped, the rest of the file is read.",
                sourceFile, record, JsonValues.Snippet(element));
    }
}

using System;
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
    /// Letta (MemGPT) agent files, <c>.af</c>: the current <c>AgentFileSchema</c> (<c>agents[]</c> with <c>block_ids</c>,
    /// top-level <c>blocks[]</c>), the 0.6 legacy <c>AgentSchema</c> (one agent with <c>core_memory[]</c>), and files
    /// holding either as a JSON string (double-encoded). Archival passages are not part of .af files.
    /// <para>Each memory block becomes a MemoryDoc: Id = the block id ("block-N"; legacy blocks have none, so
    /// "&lt;agent name&gt;/core_memory/&lt;index&gt;"), Text = value, Scope = "&lt;agent name&gt;/&lt;label&gt;" for a block an agent
    /// uses (the first agent listing it) and "&lt;label&gt;" for an unattached block, Tier "Core", Tags = [label, agent tags...],
    /// Kind "lesson" for learned corrections/behaviours and mistake logs, else "block". Blank and placeholder blocks
    /// ("[unknown]", "No corrections yet", "Haven't learned anything yet", ...) are skipped.</para>
    /// SourceLine is the 1-based block number in the file.
    /// </summary>
    public sealed class LettaMemoryFormat : IMemoryFormat
    {
        private const string FormatName = "Letta agent file";
        private static readonly Regex LessonLabel = new Regex("learn|lesson|correction|mistake", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex[] Placeholders =
        {
            new Regex("^[\\[(<]?\\s*(unknown|none|empty|n/?a|tbd|todo|not set|nothing)\\s*[\\])>]?\\.?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
            new Regex("^(nothing|no [\\w\\s'’-]{1,40}?)\\s+(yet|so far|recorded( yet)?)\\b[.!]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
            new Regex("^(i\\s+)?(haven['’]t|have not|hasn['’]t|has not|not)\\s+(yet\\s+)?(learned|learnt|recorded|noted|observed|seen|made)\\b[^\\n]{0,80}$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        };
        private static readonly Regex Quoted = new Regex("\\\\?\"(agents|blocks|block_ids|memory_blocks|agent_type|core_memory|llm_config)\\\\?\"\\s*:", RegexOptions.CultureInvariant);

        public MemoryFormat Format => MemoryFormat.Letta;

        public bool Recognizes(SourceSample sample)
        {
            var name = sample.FileName;
            if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name.Substring(0, name.Length - 3);
            if (name.EndsWith(".af", StringComparison.OrdinalIgnoreCase)) return true;
            var head = sample.Head.TrimStart();
            if (!head.StartsWith("{", StringComparison.Ordinal) && !head.StartsWith("\"", StringComparison.Ordinal)) return false;
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in Quoted.Matches(head)) keys.Add(m.Groups[1].Value);
            bool current = keys.Contains("agents") && keys.Contains("blocks")
                && (keys.Contains("block_ids") || keys.Contains("memory_blocks") || keys.Contains("agent_type"));
            bool legacy = keys.Contains("core_memory") && (keys.Contains("agent_type") || keys.Contains("llm_config"));
            return current || legacy;
        }

        /// <summary>True for blank and placeholder block values, which carry no memory.</summary>
        public static bool IsPlaceholder(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return true;
            var t = value!.Trim();
            if (t.Length > 120) return false;
            foreach (var p in Placeholders)
                if (p.IsMatch(t)) return true;
            return false;
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
            if (root.ValueKind == JsonValueKind.Object && (JsonValues.TryProp(root, "agents", out _) || JsonValues.TryProp(root, "blocks", out _)))
                docs = ReadCurrent(root, sourceFile, cancellationToken);
            else if (root.ValueKind == JsonValueKind.Object && JsonValues.TryProp(root, "core_memory", out _))
                docs = ReadLegacy(root, sourceFile, cancellationToken);
            else
            {
                docs = new[]
                {
                    Outcome<MemoryDoc>.Fail(new RecordError(ErrorIds.ImportInvalidRecord,
                        $"File '{sourceFile}' is not a Letta agent file: expected an object with \"agents\" and \"blocks\" (current .af) " +
                        "or \"core_memory\" (0.6 .af). Export the agent again from Letta, or use -Format to pick the right reader.",
                        sourceFile, 1, JsonValues.Snippet(root))),
                };
            }
            foreach (var outcome in docs) yield return outcome;
        }

        private static IEnumerable<Outcome<MemoryDoc>> ReadCurrent(JsonElement root, string sourceFile, CancellationToken cancellationToken)
        {
            // Which agent uses which block: the first agent listing a block id names its scope.
            var owners = new Dictionary<string, Agent>(StringComparer.Ordinal);
            var agents = new List<(Agent Agent, JsonElement Element)>();
            if (JsonValues.TryProp(root, "agents", out var agentArray) && agentArray.ValueKind == JsonValueKind.Array)
            {
                int index = 0;
                foreach (var a in agentArray.EnumerateArray())
                {
                    index++;
                    if (a.ValueKind != JsonValueKind.Object) continue;
                    var name = JsonValues.Str(a, "name")?.Trim();
                    var agent = new Agent(string.IsNullOrEmpty(name) ? JsonValues.Str(a, "id") ?? "agent-" + index.ToString(CultureInfo.InvariantCulture) : name!,
                        JsonValues.Strings(a, "tags"));
                    agents.Add((agent, a));
                    foreach (var blockId in JsonValues.Strings(a, "block_ids"))
                        if (!owners.ContainsKey(blockId)) owners[blockId] = agent;
                }
            }

            long record = 0;
            if (JsonValues.TryProp(root, "blocks", out var blocks))
            {
                if (blocks.ValueKind != JsonValueKind.Array)
                {
                    yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, 1, "\"blocks\" is not an array", blocks));
                }
                else
                {
                    foreach (var block in blocks.EnumerateArray())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        record++;
                        var id = block.ValueKind == JsonValueKind.Object ? JsonValues.Str(block, "id")?.Trim() : null;
                        owners.TryGetValue(id ?? "", out var owner);
                        var outcome = ToDoc(block, id, owner, sourceFile, record);
                        if (outcome.HasValue) yield return outcome.Value;
                    }
                }
            }

            // Blocks given inline on an agent (memory_blocks: CreateBlock objects without ids).
            foreach (var (agent, element) in agents)
            {
                if (!JsonValues.TryProp(element, "memory_blocks", out var inline) || inline.ValueKind != JsonValueKind.Array) continue;
                int index = -1;
                foreach (var block in inline.EnumerateArray())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    record++;
                    index++;
                    var id = block.ValueKind == JsonValueKind.Object ? JsonValues.Str(block, "id")?.Trim() : null;
                    if (string.IsNullOrEmpty(id)) id = agent.Name + "/memory_blocks/" + index.ToString(CultureInfo.InvariantCulture);
                    var outcome = ToDoc(block, id, agent, sourceFile, record);
                    if (outcome.HasValue) yield return outcome.Value;
                }
            }
        }

        private static IEnumerable<Outcome<MemoryDoc>> ReadLegacy(JsonElement root, string sourceFile, CancellationToken cancellationToken)
        {
            var name = JsonValues.Str(root, "name")?.Trim();
            var agent = new Agent(string.IsNullOrEmpty(name) ? JsonValues.Str(root, "id") ?? "agent" : name!, JsonValues.Strings(root, "tags"));
            JsonValues.TryProp(root, "core_memory", out var blocks);
            if (blocks.ValueKind != JsonValueKind.Array)
            {
                yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, 1, "\"core_memory\" is not an array", blocks));
                yield break;
            }
            long record = 0;
            foreach (var block in blocks.EnumerateArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                record++;
                var id = block.ValueKind == JsonValueKind.Object ? JsonValues.Str(block, "id")?.Trim() : null;
                if (string.IsNullOrEmpty(id)) id = agent.Name + "/core_memory/" + (record - 1).ToString(CultureInfo.InvariantCulture);
                var outcome = ToDoc(block, id, agent, sourceFile, record);
                if (outcome.HasValue) yield return outcome.Value;
            }
        }

        /// <summary>A block as a doc, an error, or nothing (placeholder).</summary>
        private static Outcome<MemoryDoc>? ToDoc(JsonElement block, string? id, Agent? owner, string sourceFile, long record)
        {
            if (block.ValueKind != JsonValueKind.Object)
                return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "is not a block object", block));
            var label = JsonValues.Str(block, "label")?.Trim() ?? "";
            if (!JsonValues.TryProp(block, "value", out var valueElement) && label.Length == 0)
                return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "has neither a \"label\" nor a \"value\"", block));
            if (valueElement.ValueKind != JsonValueKind.Undefined && valueElement.ValueKind != JsonValueKind.String)
                return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "has a \"value\" that is not a string", block));
            var value = valueElement.ValueKind == JsonValueKind.String ? valueElement.GetString() : null;
            if (IsPlaceholder(value)) return null;
            if (string.IsNullOrEmpty(id))
                id = (owner?.Name ?? "letta") + "/" + (label.Length > 0 ? label : "block") + "/" + record.ToString(CultureInfo.InvariantCulture);

            var tags = new List<string?> { label };
            if (owner != null) tags.AddRange(owner.Tags);
            var scope = owner == null ? label : (label.Length > 0 ? owner.Name + "/" + label : owner.Name);
            return Outcome<MemoryDoc>.Ok(new MemoryDoc
            {
                Id = id!,
                Text = value!.Trim(),
                Tier = "Core",
                Scope = scope,
                Tags = JsonValues.Tags(tags),
                Kind = label.Length > 0 && LessonLabel.IsMatch(label) ? "lesson" : "block",
                CreatedAt = JsonValues.Timestamp(block, "created_at"),
                SourceFile = sourceFile,
                SourceLine = record,
            });
        }

        private static RecordError Bad(string sourceFile, long record, string problem, JsonElement element) =>
            new RecordError(ErrorIds.ImportInvalidRecord,
                $"Letta block {record.ToString(CultureInfo.InvariantCulture)} in '{sourceFile}' {problem}; it was skipped, the rest of the file is read.",
                sourceFile, record, element.ValueKind == JsonValueKind.Undefined ? null : JsonValues.Snippet(element));

        private sealed class Agent
        {
            public Agent(string name, List<string> tags)
            {
                Name = name;
                Tags = tags;
            }

            public string Name { get; }
            public List<string> Tags { get; }
        }
    }
}

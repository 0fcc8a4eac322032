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
    /// mem0 memories: the <c>get_all</c>/<c>search</c> result (<c>{"results": [...]}</c>, v1.1), the older bare list,
    /// platform export items (with <c>categories</c>), and the LOCOMO evaluation dump
    /// (<c>{"conv_0": [{question, memories: ["&lt;time&gt; on &lt;date&gt;: &lt;fact&gt;", ...]}]}</c>).
    /// <para>Items: Id = id; Text = memory; Scope = "user:&lt;user_id&gt;", else "agent:&lt;agent_id&gt;", else "run:&lt;run_id&gt;",
    /// else "app:&lt;app_id&gt;"; Tags = categories + metadata.type; CreatedAt = created_at; Kind "memory".</para>
    /// <para>LOCOMO dumps: one doc per distinct memory string of a conversation (Scope = the conversation key, plus
    /// "/speaker_1" or "/speaker_2" when the file groups memories by speaker); Text = the fact after the first ": ",
    /// CreatedAt = the "&lt;time&gt; on &lt;date&gt;" part when it parses (read as UTC); AccessCount = how many questions
    /// retrieved that memory; Id = "mem0-" + 16 hex digits of SHA-256 over the memory string and its first position.</para>
    /// Tier is "Core" (mem0 memories are semantic facts; Core is what Find-MemoryCluster clusters by default).
    /// SourceLine is the 1-based record (item or question) number.
    /// </summary>
    public sealed class Mem0MemoryFormat : IMemoryFormat
    {
        private const string FormatName = "mem0";
        private static readonly Regex ResultsShape = new Regex("\"(results|memories)\"\\s*:\\s*\\[\\s*\\{", RegexOptions.CultureInvariant);
        private static readonly Regex MemoryString = new Regex("\"memory\"\\s*:\\s*\"", RegexOptions.CultureInvariant);
        private static readonly Regex BareList = new Regex("^\\s*\\[\\s*\\{", RegexOptions.CultureInvariant);
        private static readonly Regex Mem0Keys = new Regex("\"(user_id|agent_id|run_id|app_id|hash|categories)\"\\s*:", RegexOptions.CultureInvariant);
        private static readonly Regex LocomoShape = new Regex(
            "\"(memories|speaker_1_memories|speaker_2_memories)\"\\s*:\\s*\\[\\s*[\"{\\]]", RegexOptions.CultureInvariant);
        private static readonly Regex DatedFact = new Regex(
            "^(?<when>\\d{1,2}:\\d{2}\\s*[AaPp][Mm]\\s+on\\s+[^:]{3,40}?):\\s+(?<fact>.+)$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
        private static readonly string[] DateFormats =
        {
            "h:mm tt 'on' d MMMM, yyyy", "h:mm tt 'on' d MMM, yyyy", "h:mm tt 'on' d MMMM yyyy", "h:mm tt 'on' d MMM yyyy",
            "h:mmtt 'on' d MMMM, yyyy", "h:mm tt 'on' MMMM d, yyyy",
        };

        public MemoryFormat Format => MemoryFormat.Mem0;

        public bool Recognizes(SourceSample sample)
        {
            var head = sample.Head;
            if (ResultsShape.IsMatch(head) && MemoryString.IsMatch(head)) return true;
            if (BareList.IsMatch(head) && MemoryString.IsMatch(head) && Mem0Keys.IsMatch(head)) return true;
            return head.TrimStart().StartsWith("{", StringComparison.Ordinal) && LocomoShape.IsMatch(head) && head.Contains("\"question\"");
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
            if (root.ValueKind == JsonValueKind.Array) docs = ReadItems(root, sourceFile, cancellationToken);
            else if (root.ValueKind == JsonValueKind.Object && (JsonValues.TryProp(root, "results", out var items) || JsonValues.TryProp(root, "memories", out items))
                     && items.ValueKind == JsonValueKind.Array)
                docs = ReadItems(items, sourceFile, cancellationToken);
            else if (root.ValueKind == JsonValueKind.Object) docs = ReadLocomo(root, sourceFile, cancellationToken);
            else
            {
                docs = new[]
                {
                    Outcome<MemoryDoc>.Fail(new RecordError(ErrorIds.ImportInvalidRecord,
                        $"File '{sourceFile}' is not a mem0 export: expected {{\"results\": [...]}}, a list of memories, or a LOCOMO result dump. " +
                        "Use -Format to pick the right reader.", sourceFile, 1, JsonValues.Snippet(root))),
                };
            }
            foreach (var outcome in docs) yield return outcome;
        }

        private static IEnumerable<Outcome<MemoryDoc>> ReadItems(JsonElement array, string sourceFile, CancellationToken cancellationToken)
        {
            long record = 0;
            foreach (var item in array.EnumerateArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                record++;
                string? text = item.ValueKind == JsonValueKind.Object ? JsonValues.Str(item, "memory") ?? JsonValues.Str(item, "text") : null;
                if (string.IsNullOrWhiteSpace(text))
                {
                    yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "has no \"memory\" text", item));
                    continue;
                }
                var tags = JsonValues.Strings(item, "categories");
                if (JsonValues.TryProp(item, "metadata", out var metadata))
                {
                    var type = JsonValues.Str(metadata, "type");
                    if (!string.IsNullOrWhiteSpace(type)) tags.Add(type!);
                    tags.AddRange(JsonValues.Strings(metadata, "categories"));
                }
                var id = JsonValues.Str(item, "id")?.Trim();
                yield return Outcome<MemoryDoc>.Ok(new MemoryDoc
                {
                    Id = string.IsNullOrEmpty(id) ? HashId(text!, "item/" + record.ToString(CultureInfo.InvariantCulture)) : id!,
                    Text = text!.Trim(),
                    Tier = "Core",
                    Scope = Scope(item),
                    Tags = JsonValues.Tags(tags),
                    Kind = "memory",
                    CreatedAt = JsonValues.Timestamp(item, "created_at"),
                    SourceFile = sourceFile,
                    SourceLine = record,
                });
            }
        }

        private static string Scope(JsonElement item)
        {
            foreach (var (field, prefix) in new[] { ("user_id", "user:"), ("agent_id", "agent:"), ("run_id", "run:"), ("app_id", "app:") })
            {
                var value = JsonValues.Str(item, field);
                if (!string.IsNullOrWhiteSpace(value)) return prefix + value!.Trim();
            }
            return "";
        }

        /// <summary>LOCOMO dumps: {"conv_N": [ {question, memories|speaker_1_memories|speaker_2_memories} ]}.</summary>
        private static IEnumerable<Outcome<MemoryDoc>> ReadLocomo(JsonElement root, string sourceFile, CancellationToken cancellationToken)
        {
            long record = 0;
            foreach (var conversation in root.EnumerateObject())
            {
                if (conversation.Value.ValueKind != JsonValueKind.Array)
                {
                    yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, ++record,
                        $"(\"{conversation.Name}\") is not an array of questions with their retrieved memories", conversation.Value));
                    continue;
                }
                // Distinct memory strings per scope, in first-seen order, with how often each was retrieved.
                var scopes = new Dictionary<string, Dictionary<string, LocomoMemory>>(StringComparer.Ordinal);
                var order = new List<LocomoMemory>();
                int question = -1;
                foreach (var entry in conversation.Value.EnumerateArray())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    record++;
                    question++;
                    if (entry.ValueKind != JsonValueKind.Object)
                    {
                        yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "is not an object", entry));
                        continue;
                    }
                    bool any = false;
                    foreach (var (field, suffix) in new[] { ("memories", ""), ("speaker_1_memories", "/speaker_1"), ("speaker_2_memories", "/speaker_2") })
                    {
                        if (!JsonValues.TryProp(entry, field, out var memories)) continue;
                        if (memories.ValueKind != JsonValueKind.Array)
                        {
                            yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, $"has a \"{field}\" that is not an array", memories));
                            continue;
                        }
                        any = true;
                        var scope = conversation.Name + suffix;
                        if (!scopes.TryGetValue(scope, out var seen)) scopes[scope] = seen = new Dictionary<string, LocomoMemory>(StringComparer.Ordinal);
                        int position = -1;
                        foreach (var m in memories.EnumerateArray())
                        {
                            position++;
                            string? raw = m.ValueKind == JsonValueKind.String ? m.GetString() : JsonValues.Str(m, "memory");
                            if (raw == null)
                            {
                                yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record,
                                    $"has a memory ({field}[{position.ToString(CultureInfo.InvariantCulture)}]) that is neither a string nor an object with \"memory\"", m));
                                continue;
                            }
                            if (raw.Trim().Length == 0) continue;
                            var stamp = m.ValueKind == JsonValueKind.Object ? JsonValues.Str(m, "timestamp") : null;
                            var key = stamp == null ? raw : stamp + "\u0000" + raw;
                            if (seen.TryGetValue(key, out var known))
                            {
                                known.Count++;
                                continue;
                            }
                            var memory = new LocomoMemory(raw, stamp, scope,
                                scope + "/" + question.ToString(CultureInfo.InvariantCulture) + "/" + position.ToString(CultureInfo.InvariantCulture), record);
                            seen[key] = memory;
                            order.Add(memory);
                        }
                    }
                    if (!any) yield return Outcome<MemoryDoc>.Fail(Bad(sourceFile, record, "has no \"memories\" array", entry));
                }
                foreach (var memory in order) yield return Outcome<MemoryDoc>.Ok(ToDoc(memory, sourceFile));
            }
        }

        private static MemoryDoc ToDoc(LocomoMemory memory, string sourceFile)
        {
            var text = memory.Raw.Trim();
            DateTimeOffset? created = null;
            var match = DatedFact.Match(text);
            if (match.Success)
            {
                created = ParseWhen(match.Groups["when"].Value);
                text = match.Groups["fact"].Value.Trim();
            }
            if (created == null && memory.Timestamp != null) created = ParseWhen(memory.Timestamp);
            return new MemoryDoc
            {
                Id = HashId(memory.Raw, memory.Position),
                Text = text,
                Tier = "Core",
                Scope = memory.Scope,
                Tags = new[] { "mem0", "locomo" },
                Kind = "memory",
                AccessCount = memory.Count,
                CreatedAt = created,
                SourceFile = sourceFile,
                SourceLine = memory.Record,
            };
        }

        internal static DateTimeOffset? ParseWhen(string when)
        {
            var t = Regex.Replace(when.Trim(), "\\s+", " ");
            if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var exact))
                return new DateTimeOffset(exact, TimeSpan.Zero);
            if (DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var loose)) return loose;
            return null;
        }

        private static string HashId(string text, string position) =>
            "mem0-" + TextUtil.Sha256Hex(text + "\n" + position).Substring(0, 16);

        private static RecordError Bad(string sourceFile, long record, string problem, JsonElement element) =>
            new RecordError(ErrorIds.ImportInvalidRecord,
                $"mem0 record {record.ToString(CultureInfo.InvariantCulture)} in '{sourceFile}' {problem}; it was skipped, the rest of the file is read.",
                sourceFile, record, JsonValues.Snippet(element));

        private sealed class LocomoMemory
        {
            public LocomoMemory(string raw, string? timestamp, string scope, string position, long record)
            {
                Raw = raw;
                Timestamp = timestamp;
                Scope = scope;
                Position = position;
                Record = record;
            }

            public string Raw { get; }
            public string? Timestamp { get; }
            public string Scope { get; }
            public string Position { get; }
            public long Record { get; }
            public long Count { get; set; } = 1;
        }
    }
}

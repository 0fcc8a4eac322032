using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SkillForge.Clustering;
using SkillForge.Diagnostics;
using SkillForge.Redaction;

namespace SkillForge.Prompts
{
    /// <summary>Limits and instructions for New-DistillPrompt.</summary>
    public sealed class DistillPromptOptions
    {
        public const int DefaultMaxFieldChars = 4_000;
        public const int DefaultMaxEventChars = 8_000;
        public const int DefaultMaxDocumentChars = 20_000;
        public const int DefaultMaxSourceChars = 200_000;

        /// <summary>Replaces the built-in instructions (see <see cref="PromptTemplate"/> for placeholders); null keeps them.</summary>
        public string? Template { get; set; }

        /// <summary>Longest quoted value of one event field (data, state before, state after).</summary>
        public int MaxFieldChars { get; set; } = DefaultMaxFieldChars;

        /// <summary>Longest quote of one trace event, all its fields together.</summary>
        public int MaxEventChars { get; set; } = DefaultMaxEventChars;

        /// <summary>Longest quoted memory text.</summary>
        public int MaxDocumentChars { get; set; } = DefaultMaxDocumentChars;

        /// <summary>Most source text one prompt quotes; the sources after that are left out, and the prompt says so.</summary>
        public int MaxSourceChars { get; set; } = DefaultMaxSourceChars;

        /// <summary>What the redaction pass replaces in the quoted sources (see docs/redaction.md); All unless told otherwise.</summary>
        public RedactionMode Redact { get; set; } = RedactionMode.All;
    }

    /// <summary>New-DistillPrompt: prompts for memory clusters and trace partitions.</summary>
    public static class DistillPromptBuilder
    {
        /// <summary>The built-in instructions for a memory cluster (a template; see <see cref="PromptTemplate"/>).</summary>
        public const string DefaultMemoryTemplate =
@"You turn an AI agent's memories into one reusable skill: a SKILL.md file in the Agent Skills format.

The {{count}} memories quoted below are near-duplicates: they record the same knowledge in different words. Distil them into a single skill.

Write the file as follows:
1. Begin with YAML frontmatter between two lines of three hyphens (---), holding two keys:
   - name: the skill's name in kebab-case (lower-case letters, digits and single hyphens), at most 64 characters.
   - description: what the skill does and when an agent should use it, in one or two sentences, at most 1024 characters.
2. After the frontmatter, write the body in Markdown, in the imperative mood (""Check the config"", not ""You should check the config""), in fewer than 500 lines.
3. Set the procedure out as numbered steps, and give the reason for each step beside it, so that an agent can adapt the step when its situation differs.
4. Add a short example (what the agent starts from and what it ends with) where one makes the skill easier to apply.
5. Use only what the memories say: add no fact, command, name, path or number that is not in them.
6. Where memories overlap, merge them into one statement. Where they disagree, follow the memory with the higher access count; they are listed most-accessed first.

{{sources}}

Reply with the SKILL.md content only: the frontmatter followed by the body, with no commentary before or after it and no code fence around it.";

        /// <summary>The built-in instructions for the successful actions of a trace.</summary>
        public const string DefaultSuccessTemplate =
@"You study what an AI agent did well and turn it into reusable skills.

The sources below are the successful actions of trace ""{{trace_id}}"", in the order they happened, together with the user prompts, corrections, interruptions and episode end recorded around them.

Extract one to three skills from them. For each skill, work out:
1. The critical decision point: the choice or pattern in the trace that made the work succeed.
2. The principle behind it, stated generally enough to help on similar tasks, not only on this one.
3. When to apply it: the situation or signal that tells an agent this skill fits.

{{sources}}

" + JsonAnswerInstructions;

        /// <summary>The built-in instructions for the failed, rejected and policy-violating actions of a trace.</summary>
        public const string DefaultFailureTemplate =
@"You study where an AI agent went wrong and turn each mistake into a skill that prevents it.

The sources below are the failed, rejected or policy-violating actions of trace ""{{trace_id}}"", in the order they happened, together with the user prompts, corrections, interruptions and episode end recorded around them. A user correction right after a failure shows what should have been done instead.

For each distinct failure, work out:
1. The failure point: which action went wrong, and how.
2. The flawed reasoning or assumption that led to it.
3. The correct approach: what the agent should have done.
4. A preventive principle that keeps the same mistake from happening again.
Make one skill per lesson; merge failures that teach the same lesson.

{{sources}}

" + JsonAnswerInstructions;

        private const string JsonAnswerInstructions =
@"Reply with a JSON array only: no prose and no code fence around it. Each element is an object with these fields:
- ""name"": a short descriptive name in kebab-case
- ""description"": the principle, in one or two sentences
- ""when_to_apply"": the situation in which the skill applies
- ""scope"": ""global"" when it holds for any task, or {""domain"": ""<domain>""} when it belongs to one domain
- ""source"": ""{{outcome}}""
- ""domain"": the domain's name, or """" for a global skill
- ""trigger"": {""persona"": ""..."", ""url_pattern"": ""..."", ""task_keywords"": [""..."", ""...""]} to help retrieve the skill later; use """" and [] where nothing fits
- ""code"": a short procedure or code snippet that applies the skill, or """"";

        /// <summary>One prompt asking for one SKILL.md. template replaces the instructions, not the sources.</summary>
        public static DistillPrompt ForCluster(MemoryCluster cluster, string? template = null) =>
            ForCluster(cluster, new DistillPromptOptions { Template = template });

        /// <summary>One prompt asking for one SKILL.md.</summary>
        public static DistillPrompt ForCluster(MemoryCluster cluster, DistillPromptOptions options)
        {
            if (cluster == null) throw new ArgumentNullException(nameof(cluster));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Template != null) PromptTemplate.Validate(options.Template);
            if (cluster.Documents.Length == 0)
                throw new SkillForgeException(ErrorIds.PromptInvalidInput, FailureCategory.InvalidData,
                    $"Cluster '{cluster.Fingerprint}' has no documents, so there is nothing to distil.", cluster);

            // Most-accessed first (ties: the cluster's own order), so the model can prefer them on conflicts.
            var ordered = cluster.Documents
                .Select((doc, index) => (doc, index))
                .OrderByDescending(x => x.doc.AccessCount)
                .ThenBy(x => x.index)
                .Select(x => x.doc)
                .ToList();

            var blocks = new List<SourceBlock>();
            var ids = new List<string>();
            var sourceText = new StringBuilder();
            bool truncated = false;
            int budget = options.MaxSourceChars, omitted = 0;
            foreach (var doc in ordered)
            {
                if (budget <= 0)
                {
                    omitted++;
                    continue;
                }
                string body = SourceBlocks.CleanBody(doc.Text ?? "", Math.Min(options.MaxDocumentChars, budget), out bool cut);
                truncated |= cut;
                budget -= body.Length;
                var attributes = new List<KeyValuePair<string, string>> { Pair("id", doc.Id ?? "") };
                if (!string.IsNullOrEmpty(doc.Kind)) attributes.Add(Pair("kind", doc.Kind));
                attributes.Add(Pair("access_count", doc.AccessCount.ToString(CultureInfo.InvariantCulture)));
                blocks.Add(new SourceBlock(attributes, body));
                ids.Add(doc.Id ?? "");
                sourceText.Append(body).Append('\n');
            }

            string nonce = SourceBlocks.DeriveNonce(blocks);
            var redactions = new RedactionCounts();
            string section = SourceBlocks.Render(blocks, nonce, omitted, truncated, options.Redact, redactions);
            string text = PromptTemplate.Apply(options.Template ?? DefaultMemoryTemplate, section,
                PromptTemplate.Values(blocks.Count, Redactor.Redact(cluster.Scope ?? "", options.Redact, redactions), "", ""), nonce);

            return new DistillPrompt
            {
                Kind = DistillPromptKind.MemoryCluster,
                ExpectedOutput = DistillOutputKind.SkillMarkdown,
                Text = text,
                SourceIds = ids.ToArray(),
                Fingerprint = cluster.Fingerprint.Length > 0 ? cluster.Fingerprint : ClusterFingerprint.Compute(cluster.Documents.Select(d => d.Id ?? "")),
                EstimatedTokens = TokenEstimator.Estimate(text),
                SourceTokens = TokenEstimator.Estimate(sourceText.ToString()),
                Scope = cluster.Scope ?? "",
                Cluster = cluster,
                Redactions = redactions,
            };
        }

        /// <summary>A success and/or a failure prompt asking for a JSON array of skills; none for an empty side.</summary>
        public static IReadOnlyList<DistillPrompt> ForPartition(TracePartition partition, string? template = null, bool success = true, bool failure = true) =>
            ForPartition(partition, new DistillPromptOptions { Template = template }, success, failure);

        /// <summary>A success and/or a failure prompt asking for a JSON array of skills; none for an empty side.</summary>
        public static IReadOnlyList<DistillPrompt> ForPartition(TracePartition partition, DistillPromptOptions options, bool success = true, bool failure = true)
        {
            if (partition == null) throw new ArgumentNullException(nameof(partition));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Template != null) PromptTemplate.Validate(options.Template);

            var prompts = new List<DistillPrompt>(2);
            if (success && partition.Successes.Length > 0)
                prompts.Add(ForSide(partition, partition.Successes, DistillPromptKind.TraceSuccess, options));
            if (failure && partition.Failures.Length > 0)
                prompts.Add(ForSide(partition, partition.Failures, DistillPromptKind.TraceFailure, options));
            return prompts;
        }

        /// <summary>
        /// The fingerprint of one side of a trace: SHA-256 over the trace id, the prompt kind and the action ids
        /// (events without an action id count by their position), stable across processes and machines.
        /// </summary>
        public static string TraceFingerprint(string traceId, DistillPromptKind kind, IEnumerable<TraceEvent> events)
        {
            var parts = new List<string> { "trace:" + traceId, "prompt:" + kind };
            foreach (var ev in events) parts.Add("action:" + ActionKey(ev));
            return ClusterFingerprint.Compute(parts);
        }

        private static DistillPrompt ForSide(TracePartition partition, TraceEvent[] side, DistillPromptKind kind, DistillPromptOptions options)
        {
            var events = Merge(side, partition.Context);
            var sideSet = new HashSet<TraceEvent>(side);

            var blocks = new List<SourceBlock>();
            var ids = new List<string>();
            var seenIds = new HashSet<string>(StringComparer.Ordinal);
            var sourceText = new StringBuilder();
            bool truncated = false;
            int budget = options.MaxSourceChars, omitted = 0;
            foreach (var ev in events)
            {
                if (budget <= 0)
                {
                    omitted++;
                    continue;
                }
                var block = EventBlock(ev, options, Math.Min(options.MaxEventChars, budget), out bool cut);
                truncated |= cut;
                budget -= block.Body.Length;
                blocks.Add(block);
                sourceText.Append(block.Body).Append('\n');
                if (sideSet.Contains(ev))
                {
                    string id = partition.TraceId + "#" + ActionKey(ev);
                    if (seenIds.Add(id)) ids.Add(id);
                }
            }

            string nonce = SourceBlocks.DeriveNonce(blocks);
            var redactions = new RedactionCounts();
            string section = SourceBlocks.Render(blocks, nonce, omitted, truncated, options.Redact, redactions);
            bool isSuccess = kind == DistillPromptKind.TraceSuccess;
            string template = options.Template ?? (isSuccess ? DefaultSuccessTemplate : DefaultFailureTemplate);
            string text = PromptTemplate.Apply(template, section,
                PromptTemplate.Values(blocks.Count, "", Redactor.Redact(partition.TraceId, options.Redact, redactions), isSuccess ? "success" : "failure"), nonce);

            return new DistillPrompt
            {
                Kind = kind,
                ExpectedOutput = DistillOutputKind.SkillJsonArray,
                Text = text,
                SourceIds = ids.ToArray(),
                Fingerprint = TraceFingerprint(partition.TraceId, kind, side),
                EstimatedTokens = TokenEstimator.Estimate(text),
                SourceTokens = TokenEstimator.Estimate(sourceText.ToString()),
                Scope = "",
                Partition = partition,
                Redactions = redactions,
            };
        }

        /// <summary>The side's events and the context events in trace order (by Sequence; ties keep the side first).</summary>
        private static List<TraceEvent> Merge(TraceEvent[] side, TraceEvent[] context)
        {
            var merged = new List<TraceEvent>(side.Length + context.Length);
            int i = 0, j = 0;
            while (i < side.Length || j < context.Length)
            {
                if (j >= context.Length || (i < side.Length && side[i].Sequence <= context[j].Sequence)) merged.Add(side[i++]);
                else merged.Add(context[j++]);
            }
            return merged;
        }

        private static SourceBlock EventBlock(TraceEvent ev, DistillPromptOptions options, int eventBudget, out bool truncated)
        {
            truncated = false;
            var attributes = new List<KeyValuePair<string, string>>
            {
                Pair("step", ev.Sequence.ToString(CultureInfo.InvariantCulture)),
                Pair("kind", ev.Kind ?? ""),
            };
            if (!string.IsNullOrEmpty(ev.ActionId)) attributes.Add(Pair("action_id", ev.ActionId!));
            if (!string.IsNullOrEmpty(ev.Tool)) attributes.Add(Pair("tool", ev.Tool!));
            if (ev.DurationMs.HasValue) attributes.Add(Pair("duration_ms", ev.DurationMs.Value.ToString("0.###", CultureInfo.InvariantCulture)));
            if (ev.Reward.HasValue) attributes.Add(Pair("reward", ev.Reward.Value.ToString("0.###", CultureInfo.InvariantCulture)));

            var body = new StringBuilder();
            int remaining = eventBudget;
            AppendField(body, "data", string.IsNullOrEmpty(ev.Data) ? "null" : ev.Data, options.MaxFieldChars, ref remaining, ref truncated);
            if (ev.StateBefore != null) AppendField(body, "state_before", ev.StateBefore, options.MaxFieldChars, ref remaining, ref truncated);
            if (ev.StateAfter != null) AppendField(body, "state_after", ev.StateAfter, options.MaxFieldChars, ref remaining, ref truncated);
            return new SourceBlock(attributes, body.ToString());
        }

        private static void AppendField(StringBuilder body, string label, string value, int maxField, ref int remaining, ref bool truncated)
        {
            string cleaned = SourceBlocks.CleanBody(value, Math.Max(0, Math.Min(maxField, remaining)), out bool cut);
            truncated |= cut;
            remaining -= Math.Min(value.Length, cleaned.Length);
            body.Append(label).Append(": ").Append(cleaned).Append('\n');
        }

        private static string ActionKey(TraceEvent ev) =>
            !string.IsNullOrEmpty(ev.ActionId) ? ev.ActionId! : "step-" + ev.Sequence.ToString(CultureInfo.InvariantCulture);

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SkillForge.Clustering;
using SkillForge.Diagnostics;
using SkillForge.Traces.Patterns;
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
        public const int DefaultMaxPromptTokens = 12_000;

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

        /// <summary>Most estimated tokens of one prompt; trace prompts keep their start, every failure and correction, and their end.</summary>
        public int MaxPromptTokens { get; set; } = DefaultMaxPromptTokens;

        /// <summary>What the redaction pass replaces in the quoted sources (see docs/redaction.md); All unless told otherwise.</summary>
        public RedactionMode Redact { get; set; } = RedactionMode.All;
    }

    /// <summary>New-DistillPrompt: prompts for memory clusters and trace partitions.</summary>
    public static class DistillPromptBuilder
    {
        /// <summary>The built-in instructions for a memory cluster (a template; see <see cref="PromptTemplate"/>).</summary>
        public const string DefaultMemoryTemplate =
@"You turn an AI agent's memories into one reusable skill: a SKILL.md file in the Agent Skills format.

The {{count}} memories quoted below are near-duplicates: they record the same knowledge in different words. Distil them into a single skill that is shorter than the memories together.

" + SkillShapeInstructions + @"
4. Where memories overlap, merge them into one statement. Where they disagree, follow the memory with the higher access count; they are listed most-accessed first.

{{sources}}

Reply with the SKILL.md content only: the frontmatter followed by the body, with no commentary before or after it and no code fence around it.";

        /// <summary>The skill layout every built-in prompt asks for, in the words of each prompt.</summary>
        private const string SkillShapeInstructions =
@"Write the file as follows:
1. YAML frontmatter between two lines of three hyphens (---) with two keys:
   - name: what the lesson teaches, in kebab-case (lower-case letters, digits and single hyphens), at most 64 characters, for example read-file-before-edit; never the name of a tool alone.
   - description: one or two sentences, at most 1024 characters: what the skill does, then ""Use when ..."" with the words a task or an error message would contain.
2. Then these Markdown sections, in this order, short, in the imperative mood and in fewer than 500 lines (a lesson is usually under 300 words):
   ## When to use: the situations or signals, as a short list.
   ## Principle: the idea behind it in one or two sentences.
   ## Steps: numbered steps, each with the reason for it, so an agent can adapt a step when its situation differs.
   ## Mistakes to avoid: for each, what goes wrong, why it happens and how to avoid it.
   ## Example: an example from the sources (the failing call and the one that worked, or a before and after), when they have one.
   ## Evidence: how many sources support it and which (their ids).
3. Use only what the sources say: add no fact, command, name, path or number that is not in them. Write paths relative to the working directory.";

        /// <summary>The built-in instructions for a lesson or workflow found across traces (a template; see <see cref="PromptTemplate"/>).</summary>
        public const string DefaultPatternTemplate =
@"You turn a lesson an AI agent learned, across several of its runs, into one reusable skill: a SKILL.md file in the Agent Skills format.

The {{count}} occurrences quoted below are the same mistake, correction or routine seen in different traces. Each shows the task, the action that failed or that the user corrected, the line that carries the error, the fix that made the step succeed afterwards, and the user's correction. Write one skill that keeps the next agent from making the mistake, or lets it follow the routine: the fix is the lesson, not the tool.

" + SkillShapeInstructions + @"

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

        /// <summary>One prompt asking for one SKILL.md from a lesson or workflow: every occurrence that fits -MaxPromptTokens.</summary>
        public static DistillPrompt ForPattern(TracePattern pattern, DistillPromptOptions options)
        {
            if (pattern == null) throw new ArgumentNullException(nameof(pattern));
            if (options == null) throw new ArgumentNullException(nameof(options));
            if (options.Template != null) PromptTemplate.Validate(options.Template);
            if (pattern.Occurrences.Length == 0)
                throw new SkillForgeException(ErrorIds.PromptInvalidInput, FailureCategory.InvalidData,
                    $"Pattern '{pattern.Fingerprint}' has no occurrences, so there is nothing to distil.", pattern);

            string template = options.Template ?? DefaultPatternTemplate;
            int budget = Math.Max(1, options.MaxPromptTokens) - TokenEstimator.Estimate(template) - TokenEstimator.Estimate(pattern.Signature) - 64;
            var blocks = new List<SourceBlock>();
            var ids = new List<string>();
            int omitted = 0;
            bool truncated = false;
            foreach (var o in pattern.Occurrences)
            {
                var block = PatternEvidence.Block(o, pattern.Kind, options.MaxFieldChars, ref truncated);
                int cost = TokenEstimator.Estimate(block.Body) + 16;
                if (blocks.Count > 0 && cost > budget)
                {
                    omitted++;
                    continue;
                }
                budget -= cost;
                blocks.Add(block);
                ids.Add(o.TraceId + "#" + ActionKey(o.Event));
            }

            string nonce = SourceBlocks.DeriveNonce(blocks);
            var redactions = new RedactionCounts();
            string section = "Pattern: " + pattern.Kind + " of " + pattern.Tool + ", signature " + SourceBlocks.Quote(Redactor.Redact(pattern.Signature, options.Redact, redactions)) +
                ", seen in " + pattern.Support.ToString(CultureInfo.InvariantCulture) + " traces.\n\n" +
                SourceBlocks.Render(blocks, nonce, omitted, truncated, options.Redact, redactions);
            string text = PromptTemplate.Apply(template, section, PromptTemplate.Values(blocks.Count, "", "", pattern.Kind == TracePatternKind.Workflow ? "success" : "failure"), nonce);
            return new DistillPrompt
            {
                Kind = DistillPromptKind.TracePattern,
                ExpectedOutput = DistillOutputKind.SkillMarkdown,
                Text = text,
                SourceIds = pattern.SourceIds.Length > 0 ? pattern.SourceIds : ids.ToArray(),
                Fingerprint = pattern.Fingerprint,
                EstimatedTokens = TokenEstimator.Estimate(text),
                // The raw events the skill stands for, not the trimmed quotes: that is what the skill saves reading.
                SourceTokens = pattern.EstimatedTokens,
                Scope = "",
                Pattern = pattern,
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

        /// <summary>Values are trimmed harder, step by step, until the blocks a prompt must keep fit its token budget.</summary>
        private static readonly int[] ValueLimits = { EventQuote.MaxValueChars, 160, 60 };

        private static DistillPrompt ForSide(TracePartition partition, TraceEvent[] side, DistillPromptKind kind, DistillPromptOptions options)
        {
            bool isSuccess = kind == DistillPromptKind.TraceSuccess;
            var finder = new TracePatternFinder();
            foreach (var e in partition.Successes.Concat(partition.Failures).Concat(partition.Context)) finder.Add(e);
            finder.Find(new TracePatternOptions { MinSupport = 1, Lessons = false });
            // An action the user corrected is never offered as a success.
            if (isSuccess)
            {
                var corrected = new HashSet<TraceEvent>(finder.AllOccurrences.Where(o => o.Correction != null).Select(o => o.Event));
                side = side.Where(e => !corrected.Contains(e)).ToArray();
            }
            var events = Merge(side, partition.Context);
            string template = options.Template ?? (isSuccess ? DefaultSuccessTemplate : DefaultFailureTemplate);

            // For each failure: the fix that worked afterwards and the correction aimed at it, as Find-TracePattern finds them.
            var occurrences = new Dictionary<TraceEvent, TracePatternOccurrence>();
            if (!isSuccess)
                foreach (var o in finder.AllOccurrences) occurrences[o.Event] = o;

            // The trace is sampled, never cut at its tail: its start, every failure and correction, and its end are kept.
            var keep = new bool[events.Count];
            for (int i = 0; i < events.Count; i++)
            {
                var k = events[i].Kind;
                keep[i] = i < 3 || i >= events.Count - 3 || TraceEventKinds.IsFailure(k) || k == TraceEventKinds.UserCorrection
                    || (k == TraceEventKinds.UserPrompt && i == events.FindIndex(e => e.Kind == TraceEventKinds.UserPrompt));
            }
            int budget = Math.Max(1, options.MaxPromptTokens) - TokenEstimator.Estimate(template) - 200;
            List<SourceBlock>? blocks = null;
            bool truncated = false;
            int omitted = 0;
            var ids = new List<string>();
            var seenIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var ev in side)
            {
                string id = partition.TraceId + "#" + ActionKey(ev);
                if (seenIds.Add(id)) ids.Add(id);
            }
            string text = "";
            var redactions = new RedactionCounts();
            // The block costs are estimates: when the prompt comes out over its limit, take the overshoot off the budget and sample again.
            for (int attempt = 0; attempt < 4; attempt++)
            {
                foreach (var limit in ValueLimits)
                {
                    truncated = false;
                    var rendered = events.Select((ev, i) => EventBlock(ev, occurrences, Math.Min(limit, options.MaxFieldChars), options.MaxEventChars, ref truncated)).ToList();
                    int required = rendered.Where((b, i) => keep[i]).Sum(Cost);
                    if (required > budget && limit != ValueLimits[ValueLimits.Length - 1]) continue;
                    // Fill what is left with the other events, spread evenly over the trace.
                    var optional = Enumerable.Range(0, events.Count).Where(i => !keep[i]).ToList();
                    int left = budget - required;
                    var chosen = new HashSet<int>(Enumerable.Range(0, events.Count).Where(i => keep[i]));
                    if (optional.Count > 0 && left > 0)
                    {
                        int average = Math.Max(1, optional.Sum(i => Cost(rendered[i])) / optional.Count);
                        int fit = Math.Min(optional.Count, left / average);
                        for (int n = 0; n < fit; n++)
                        {
                            int i = optional[(int)((long)n * optional.Count / Math.Max(1, fit))];
                            if (Cost(rendered[i]) > left) continue;
                            left -= Cost(rendered[i]);
                            chosen.Add(i);
                        }
                    }
                    blocks = new List<SourceBlock>();
                    omitted = 0;
                    for (int i = 0; i < events.Count; i++)
                    {
                        if (!chosen.Contains(i)) { omitted++; continue; }
                        blocks.Add(rendered[i]);
                    }
                    break;
                }
                string attemptNonce = SourceBlocks.DeriveNonce(blocks!);
                redactions = new RedactionCounts();
                text = PromptTemplate.Apply(template, SourceBlocks.Render(blocks!, attemptNonce, omitted, truncated, options.Redact, redactions),
                    PromptTemplate.Values(blocks!.Count, "", Redactor.Redact(partition.TraceId, options.Redact, redactions), isSuccess ? "success" : "failure"), attemptNonce);
                int over = TokenEstimator.Estimate(text) - options.MaxPromptTokens;
                if (over <= 0) break;
                budget -= over + 50;
            }

            return new DistillPrompt
            {
                Kind = kind,
                ExpectedOutput = DistillOutputKind.SkillJsonArray,
                Text = text,
                SourceIds = ids.ToArray(),
                Fingerprint = TraceFingerprint(partition.TraceId, kind, side),
                EstimatedTokens = TokenEstimator.Estimate(text),
                // The raw events of this side, not the sampled quotes.
                SourceTokens = side.Sum(e => TokenEstimator.Estimate(e.Data) + TokenEstimator.Estimate(e.Tool)),
                Scope = "",
                Partition = partition,
                Redactions = redactions,
            };
        }

        /// <summary>A block's estimated tokens: its body, its attributes and the two marker lines around it.</summary>
        private static int Cost(SourceBlock block) =>
            TokenEstimator.Estimate(block.Body) + block.Attributes.Sum(a => TokenEstimator.Estimate(a.Key + "=\"" + a.Value + "\" ")) + 20;

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

        private static SourceBlock EventBlock(TraceEvent ev, Dictionary<TraceEvent, TracePatternOccurrence> occurrences, int maxValue, int maxEvent, ref bool truncated)
        {
            var attributes = new List<KeyValuePair<string, string>>
            {
                Pair("step", ev.Sequence.ToString(CultureInfo.InvariantCulture)),
                Pair("kind", ev.Kind ?? ""),
            };
            if (!string.IsNullOrEmpty(ev.ActionId)) attributes.Add(Pair("action_id", ev.ActionId!));
            if (!string.IsNullOrEmpty(ev.Tool)) attributes.Add(Pair("tool", ev.Tool!));
            if (ev.DurationMs.HasValue) attributes.Add(Pair("duration_ms", ev.DurationMs.Value.ToString("0.###", CultureInfo.InvariantCulture)));
            if (ev.Reward.HasValue) attributes.Add(Pair("reward", ev.Reward.Value.ToString("0.###", CultureInfo.InvariantCulture)));

            var body = new StringBuilder(EventQuote.Body(ev, maxValue, ref truncated));
            if (occurrences.TryGetValue(ev, out var o))
            {
                if (o.Fix.Length > 0 && o.FixKind != TraceFixKind.Correction)
                {
                    body.Append(o.FixKind == TraceFixKind.CallsInBetween ? "fix (the same call succeeded after these):\n" : "fix (the call that worked afterwards):\n");
                    foreach (var f in o.Fix) body.Append("  ").Append(EventQuote.Call(f, maxValue, ref truncated)).Append('\n');
                }
                else body.Append("fix: none found in the trace\n");
                if (o.Correction != null) body.Append("user correction of this action: ").Append(EventQuote.Trim(o.Correction, EventQuote.MaxTextChars, ref truncated)).Append('\n');
            }
            // State only where it says something: a state_before equal to the state_after before it is left out.
            if (ev.StateAfter != null) body.Append("state_after: ").Append(EventQuote.Trim(ev.StateAfter, maxValue, ref truncated)).Append('\n');
            var text = SourceBlocks.CleanBody(body.ToString(), maxEvent, out bool cut);
            truncated |= cut;
            return new SourceBlock(attributes, text);
        }

        private static string ActionKey(TraceEvent ev) =>
            !string.IsNullOrEmpty(ev.ActionId) ? ev.ActionId! : "step-" + ev.Sequence.ToString(CultureInfo.InvariantCulture);

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);
    }
}

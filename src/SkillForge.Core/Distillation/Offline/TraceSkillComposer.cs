using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SkillForge.Traces.Patterns;

namespace SkillForge.Distillation.Offline
{
    /// <summary>
    /// Writes the JSON array of skills a trace prompt asks for, by extraction only, with the rules of
    /// Find-TracePattern applied to one trace: a failure side gives one lesson per failure whose fix the trace
    /// shows (or that the user corrected), never a lesson without a fix; a success side gives none, never a skill
    /// that only says a tool worked.
    /// </summary>
    internal static class TraceSkillComposer
    {
        public const int MaxSkills = 3;
        private const int MaxKeywords = 6;
        private static readonly string[] TextKeys = { "text", "content", "message", "prompt", "correction", "note", "value" };

        /// <summary>
        /// Always an empty array: successes alone teach no lesson (no skill only says a tool worked), and a routine
        /// needs several traces to count as one; Find-TracePattern -Kind Workflow finds those across traces.
        /// </summary>
        public static (string Json, double Coverage) ComposeSuccess(TracePartition partition) => (Serialize(new List<Skill>()), 0);

        public static (string Json, double Coverage) ComposeFailure(TracePartition partition)
        {
            var finder = new TracePatternFinder();
            foreach (var e in partition.Successes.Concat(partition.Failures).Concat(partition.Context)) finder.Add(e);
            var lessons = finder.Find(new TracePatternOptions { MinSupport = 1 })
                .Where(p => p.Occurrences.Any(o => o.HasFix || o.Correction != null))
                .Take(MaxSkills).ToList();
            var keywords = Keywords(partition);
            var skills = lessons.Select(p => LessonSkill(p, keywords)).ToList();
            int failures = partition.Failures.Length;
            int covered = lessons.Sum(p => p.Occurrences.Count(o => TraceEventKinds.IsFailure(o.Event.Kind)));
            return (Serialize(skills), failures == 0 ? 0 : Math.Min(1, (double)covered / failures));
        }

        private sealed class Skill
        {
            public string Name = "";
            public string Description = "";
            public string WhenToApply = "";
            public string Domain = "";
            public string Source = "";
            public string UrlPattern = "";
            public List<string> Keywords = new List<string>();
            public string Code = "";
        }

        private static Skill LessonSkill(TracePattern pattern, List<string> keywords)
        {
            var draft = PatternSkillComposer.Draft(pattern);
            var cwd = pattern.Occurrences.Select(o => o.WorkingDirectory).FirstOrDefault(w => !string.IsNullOrEmpty(w));
            var urls = Urls(pattern.Occurrences.Select(o => TraceAction.Read(o.Event))).ToList();
            var domain = urls.GroupBy(u => u.Host.ToLowerInvariant(), StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault() ?? "";
            var code = new StringBuilder();
            for (int i = 0; i < draft.Steps.Count; i++) code.Append(i + 1).Append(". ").Append(draft.Steps[i]).Append('\n');
            if (draft.Example.Length > 0) code.Append('\n').Append(draft.Example);
            return new Skill
            {
                Name = draft.Name,
                Description = SkillShape.Relative(draft.What.TrimEnd('.') + ". " + draft.Principle, cwd),
                WhenToApply = SkillShape.Relative(draft.UseWhen, cwd),
                Source = "failure",
                Domain = domain,
                UrlPattern = urls.Count == 0 ? "" : $"{urls[0].Scheme}://{urls[0].Host.ToLowerInvariant()}/*",
                Keywords = MergeKeywords(keywords, new[] { pattern.Tool }),
                Code = SkillShape.Relative(code.ToString().TrimEnd('\n'), cwd),
            };
        }

        private static IEnumerable<Uri> Urls(IEnumerable<TraceAction> actions)
        {
            foreach (var a in actions)
            {
                foreach (var value in a.Values.Values)
                {
                    foreach (var token in value.Split(' ', '\n'))
                    {
                        if ((token.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || token.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                            && Uri.TryCreate(token, UriKind.Absolute, out var uri))
                            yield return uri;
                    }
                }
            }
        }

        private static List<string> Keywords(TracePartition partition)
        {
            var counts = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
            int position = 0;
            foreach (var e in partition.Context.Where(c => c.Kind == TraceEventKinds.UserPrompt || c.Kind == TraceEventKinds.UserCorrection).OrderBy(c => c.Sequence))
            {
                foreach (var w in OfflineText.Words(EventText(e)))
                {
                    var t = OfflineText.Term(w);
                    if (t == null) continue;
                    counts[t] = counts.TryGetValue(t, out var c) ? (c.Count + 1, c.First) : (1, position++);
                }
            }
            return counts.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Value.First).Take(MaxKeywords).Select(kv => kv.Key).ToList();
        }

        private static List<string> MergeKeywords(List<string> keywords, IEnumerable<string> tools)
        {
            var result = new List<string>();
            foreach (var k in tools.Concat(keywords))
            {
                if (!result.Contains(k, StringComparer.Ordinal)) result.Add(k);
                if (result.Count >= MaxKeywords) break;
            }
            return result;
        }


        private static string EventText(TraceEvent e) => TracePatternFinder.ContextText(e.Data, out _) ?? "";

        private static string Serialize(List<Skill> skills)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartArray();
                foreach (var s in skills)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", s.Name);
                    writer.WriteString("description", OfflineText.CutAtWord(OfflineText.NoAngleBrackets(s.Description), 1000));
                    writer.WriteString("when_to_apply", OfflineText.NoAngleBrackets(s.WhenToApply));
                    if (s.Domain.Length == 0)
                    {
                        writer.WriteString("scope", "global");
                    }
                    else
                    {
                        writer.WritePropertyName("scope");
                        writer.WriteStartObject();
                        writer.WriteString("domain", s.Domain);
                        writer.WriteEndObject();
                    }
                    writer.WriteString("source", s.Source);
                    writer.WriteString("domain", s.Domain);
                    writer.WritePropertyName("trigger");
                    writer.WriteStartObject();
                    writer.WriteString("persona", "");
                    writer.WriteString("url_pattern", s.UrlPattern);
                    writer.WritePropertyName("task_keywords");
                    writer.WriteStartArray();
                    foreach (var k in s.Keywords) writer.WriteStringValue(k);
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                    writer.WriteString("code", s.Code);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n");
        }
    }
}

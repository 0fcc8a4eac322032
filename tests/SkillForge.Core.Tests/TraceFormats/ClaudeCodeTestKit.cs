using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;
using SkillForge.Tests.Support;
using SkillForge.Traces;
using Xunit;

namespace SkillForge.Tests.TraceFormats
{
    /// <summary>Reading helpers shared by the Claude Code and Codex transcript tests.</summary>
    internal static class TranscriptKit
    {
        /// <summary>A hand-made fixture, read from the source tree (not copied to the test output).</summary>
        public static string Fixture(string relative) =>
            Path.Combine(TestPaths.RepoRoot, "tests", "SkillForge.Core.Tests", "Fixtures", relative.Replace('/', Path.DirectorySeparatorChar));

        public static ReadResult Read(ITraceFormat format, string path)
        {
            using var stream = SourceFiles.OpenRead(path);
            return Collect(format.Read(stream, path, CancellationToken.None));
        }

        public static ReadResult ReadText(ITraceFormat format, string content, string name = "generated.jsonl")
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
            return Collect(format.Read(stream, name, CancellationToken.None));
        }

        public static ReadResult ReadStream(ITraceFormat format, Stream stream, string name) =>
            Collect(format.Read(stream, name, CancellationToken.None));

        private static ReadResult Collect(IEnumerable<Outcome<TraceEvent>> outcomes)
        {
            var result = new ReadResult();
            foreach (var o in outcomes)
            {
                if (o.IsError) result.Errors.Add(o.Error!);
                else result.Events.Add(o.Value!);
            }
            return result;
        }

        public static SourceSample Sample(string path) => SourceSample.Read(path);

        public static SourceSample SampleOf(string content, string name = "sample.jsonl") => new SourceSample(name, content);

        public static JsonElement Data(TraceEvent e)
        {
            using var doc = JsonDocument.Parse(e.Data);
            return doc.RootElement.Clone();
        }

        public static string? DataString(TraceEvent e, string property) =>
            Data(e).TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        /// <summary>Every trace numbers its events 0, 1, 2, … in the order they are yielded; every Data is JSON.</summary>
        public static void AssertWellFormed(IEnumerable<TraceEvent> events)
        {
            foreach (var group in events.GroupBy(e => e.TraceId))
            {
                Assert.Equal(Enumerable.Range(0, group.Count()), group.Select(e => e.Sequence));
                foreach (var e in group)
                {
                    using var doc = JsonDocument.Parse(e.Data);
                    if (e.StateBefore != null) JsonDocument.Parse(e.StateBefore).Dispose();
                }
            }
            var actionIds = events.Where(IsAction).Select(e => e.ActionId).ToList();
            Assert.DoesNotContain(null, actionIds);
            Assert.Equal(actionIds.Count, actionIds.Distinct().Count());
        }

        public static bool IsAction(TraceEvent e) => TraceEventKinds.IsSuccess(e.Kind) || TraceEventKinds.IsFailure(e.Kind);

        public static Counts CountsOf(IEnumerable<TraceEvent> events)
        {
            var list = events.ToList();
            return new Counts(
                list.Count(IsAction),
                list.Count(e => TraceEventKinds.IsFailure(e.Kind)),
                list.Count(e => e.Kind == TraceEventKinds.ActionRejected),
                list.Count(e => e.Kind == TraceEventKinds.PolicyViolation),
                list.Count(e => e.Kind == TraceEventKinds.UserCorrection),
                list.Count(e => e.Kind == TraceEventKinds.UserPrompt),
                list.Count(e => e.Kind == TraceEventKinds.UserInterrupt));
        }
    }

    internal sealed class ReadResult
    {
        public List<TraceEvent> Events { get; } = new List<TraceEvent>();
        public List<RecordError> Errors { get; } = new List<RecordError>();

        public List<TraceEvent> Trace(string traceId) => Events.Where(e => e.TraceId == traceId).ToList();
        public TraceEvent Action(string actionId) => Events.Single(e => e.ActionId == actionId && TranscriptKit.IsAction(e));
    }

    internal sealed class Counts : IEquatable<Counts>
    {
        public Counts(int actions, int failures, int rejections, int policy, int corrections, int prompts, int interrupts)
        {
            Actions = actions;
            Failures = failures;
            Rejections = rejections;
            Policy = policy;
            Corrections = corrections;
            Prompts = prompts;
            Interrupts = interrupts;
        }

        public int Actions { get; }
        /// <summary>failed + rejected + policy violations.</summary>
        public int Failures { get; }
        public int Rejections { get; }
        public int Policy { get; }
        public int Corrections { get; }
        public int Prompts { get; }
        public int Interrupts { get; }

        public bool Equals(Counts? other) => other != null && ToString() == other.ToString();
        public override bool Equals(object? obj) => Equals(obj as Counts);
        public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

        public override string ToString() =>
            $"actions={Actions} failures={Failures} rejections={Rejections} policy={Policy} corrections={Corrections} prompts={Prompts} interrupts={Interrupts}";
    }
}

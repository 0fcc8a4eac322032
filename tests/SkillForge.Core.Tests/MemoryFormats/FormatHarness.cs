using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.Import;
using SkillForge.IO;
using SkillForge.Tests.Support;
using SkillForge.Traces;

namespace SkillForge.Tests.MemoryFormats
{
    /// <summary>Runs one reader on one file the way the dispatchers do: sample first, then a fresh stream.</summary>
    internal static class FormatHarness
    {
        public static string Fixture(string relative) =>
            Path.Combine(TestPaths.RepoRoot, "tests", "SkillForge.Core.Tests", "Fixtures", relative.Replace('/', Path.DirectorySeparatorChar));

        public static SourceSample Sample(string path) => SourceSample.Read(path);

        public static SourceSample SampleOf(string fileName, string content) => new SourceSample(fileName, content);

        public static (List<MemoryDoc> Docs, List<RecordError> Errors) ReadMemory(IMemoryFormat format, string path)
        {
            using var stream = SourceFiles.OpenRead(path);
            var outcomes = format.Read(stream, path, CancellationToken.None).ToList();
            return (outcomes.Where(o => !o.IsError).Select(o => o.Value!).ToList(), outcomes.Where(o => o.IsError).Select(o => o.Error!).ToList());
        }

        public static (List<MemoryDoc> Docs, List<RecordError> Errors) ReadMemoryText(IMemoryFormat format, string fileName, string content)
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
            var outcomes = format.Read(stream, fileName, CancellationToken.None).ToList();
            return (outcomes.Where(o => !o.IsError).Select(o => o.Value!).ToList(), outcomes.Where(o => o.IsError).Select(o => o.Error!).ToList());
        }

        public static (List<TraceEvent> Events, List<RecordError> Errors) ReadTrace(ITraceFormat format, string path)
        {
            using var stream = SourceFiles.OpenRead(path);
            var outcomes = format.Read(stream, path, CancellationToken.None).ToList();
            return (outcomes.Where(o => !o.IsError).Select(o => o.Value!).ToList(), outcomes.Where(o => o.IsError).Select(o => o.Error!).ToList());
        }

        public static (List<TraceEvent> Events, List<RecordError> Errors) ReadTraceText(ITraceFormat format, string fileName, string content)
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
            var outcomes = format.Read(stream, fileName, CancellationToken.None).ToList();
            return (outcomes.Where(o => !o.IsError).Select(o => o.Value!).ToList(), outcomes.Where(o => o.IsError).Select(o => o.Error!).ToList());
        }

        private static readonly IMemoryFormat[] MemoryReaders =
        {
            new global::SkillForge.Import.Formats.LettaMemoryFormat(), new global::SkillForge.Import.Formats.Mem0MemoryFormat(),
            new global::SkillForge.Import.Formats.SkillRLMemoryFormat(), new global::SkillForge.Import.Formats.ReflexionMemoryFormat(),
        };

        private static readonly ITraceFormat[] TraceReaders = { new global::SkillForge.Traces.Formats.OTelTraceFormat(), new global::SkillForge.Traces.Formats.SweAgentTraceFormat() };

        /// <summary>Which of the foreign-format readers (this area's: Letta, mem0, SkillRL, Reflexion, OTel, SWE-agent) claim a sample.</summary>
        public static List<string> Claims(SourceSample sample) =>
            MemoryReaders.Where(f => f.Recognizes(sample)).Select(f => f.Format.ToString())
                .Concat(TraceReaders.Where(f => f.Recognizes(sample)).Select(f => f.Format.ToString()))
                .ToList();
    }
}

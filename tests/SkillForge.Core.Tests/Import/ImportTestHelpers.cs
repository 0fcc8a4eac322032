using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.Import;

namespace SkillForge.Tests.Import
{
    internal static class ImportTestHelpers
    {
        public static List<Outcome<MemoryDoc>> ReadAll(string path, MemoryFormat format = MemoryFormat.Auto) =>
            MemoryExportReader.Read(path, format).ToList();

        public static List<MemoryDoc> Docs(this IEnumerable<Outcome<MemoryDoc>> outcomes) =>
            outcomes.Where(o => !o.IsError).Select(o => o.Value!).ToList();

        public static List<RecordError> Errors(this IEnumerable<Outcome<MemoryDoc>> outcomes) =>
            outcomes.Where(o => o.IsError).Select(o => o.Error!).ToList();

        public static string WriteBytes(string path, byte[] bytes)
        {
            File.WriteAllBytes(path, bytes);
            return path;
        }

        /// <summary>UTF-8 without BOM, exactly the characters given (no newline translation).</summary>
        public static string WriteUtf8(string path, string text) => WriteBytes(path, new UTF8Encoding(false).GetBytes(text));

        public static string WriteGzip(string path, string text)
        {
            using (var file = File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                gzip.Write(bytes, 0, bytes.Length);
            }
            return path;
        }

        /// <summary>A list of recorded sink calls.</summary>
        public sealed class RecordingSink : IOperationSink
        {
            public List<string> Warnings { get; } = new List<string>();
            public List<OperationProgress> Progress { get; } = new List<OperationProgress>();
            public void Verbose(string message) { }
            public void Warning(string message) => Warnings.Add(message);
            void IOperationSink.Progress(OperationProgress progress) => Progress.Add(progress);
        }
    }
}

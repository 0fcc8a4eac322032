using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Import
{
    /// <summary>Entry point of Import-MemoryExport: picks the format and streams MemoryDocs.</summary>
    public static class MemoryExportReader
    {
        /// <summary>Files at least this large (on disk) report progress.</summary>
        public const long ProgressThresholdBytes = 4L * 1024 * 1024;

        /// <summary>Activity name of the progress reports.</summary>
        public const string ProgressActivity = "Importing memories";

        private const long ProgressIntervalMs = 250;

        /// <summary>
        /// Streams the docs of one file. Throws SkillForgeException for a file that cannot be opened or placed
        /// (ErrorIds.FileNotFound, ErrorIds.ImportUnknownFormat); bad records come back as error outcomes.
        /// </summary>
        public static IEnumerable<Outcome<MemoryDoc>> Read(string path, MemoryFormat format = MemoryFormat.Auto, CancellationToken cancellationToken = default) =>
            Read(path, format, NullSink.Instance, cancellationToken);

        /// <summary>
        /// Streams the docs of one file, reporting progress (by bytes, at most every 250 ms, for files of 4 MiB and
        /// more) and a warning for an empty file through <paramref name="sink"/>. The file is checked and its format
        /// chosen before this returns, so a missing, unreadable or unrecognised file throws SkillForgeException here;
        /// a file that breaks off later (truncated JSON, a syntax error that breaks an array, corrupt gzip data) throws it during
        /// the enumeration, after every doc before the break. Bad records come back as error outcomes.
        /// </summary>
        public static IEnumerable<Outcome<MemoryDoc>> Read(string path, MemoryFormat format, IOperationSink sink, CancellationToken cancellationToken = default)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (sink == null) throw new ArgumentNullException(nameof(sink));
            string fullPath = Path.GetFullPath(path);
            if (Directory.Exists(fullPath))
            {
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.InvalidArgument,
                    $"'{fullPath}' is a folder, not a memory export. Give a file, or pipe the folder's files: Get-ChildItem -File '{fullPath}' | Import-MemoryExport.",
                    fullPath);
            }

            SourceSample sample;
            try
            {
                sample = SourceSample.Read(fullPath);
            }
            catch (InvalidDataException e)
            {
                throw CorruptGzip(fullPath, e);
            }

            if (IsEmpty(sample))
            {
                sink.Warning($"'{fullPath}' is empty: no memories were imported from it.");
                return Array.Empty<Outcome<MemoryDoc>>();
            }
            var reader = Resolve(format, sample, fullPath);
            return ReadFile(fullPath, reader, sink, cancellationToken);
        }

        /// <summary>
        /// Streams the docs of an already opened (and decompressed) stream. With Auto, the first 64 KiB are read
        /// to recognise the format and then read again from memory, so the stream need not be seekable.
        /// </summary>
        public static IEnumerable<Outcome<MemoryDoc>> Read(Stream stream, string sourceFile, MemoryFormat format, CancellationToken cancellationToken = default)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            if (sourceFile == null) throw new ArgumentNullException(nameof(sourceFile));
            var head = new byte[SourceSample.HeadBytes];
            int total = SourceSample.ReadHead(stream, head);
            var sample = SourceSample.FromHead(head, total, Path.GetFileName(sourceFile));
            if (IsEmpty(sample)) return Array.Empty<Outcome<MemoryDoc>>();
            var reader = Resolve(format, sample, sourceFile);
            return reader.Read(new PrefixedStream(head, total, stream), sourceFile, cancellationToken);
        }

        /// <summary>
        /// The reader for a format; for Auto, the first of <see cref="MemoryFormatRegistry.All"/> that recognises the
        /// sample. Throws SkillForgeException (ErrorIds.ImportUnknownFormat) naming the formats tried when none does.
        /// </summary>
        public static IMemoryFormat Resolve(MemoryFormat format, SourceSample sample, string sourceFile)
        {
            if (sample == null) throw new ArgumentNullException(nameof(sample));
            if (format != MemoryFormat.Auto)
            {
                return MemoryFormatRegistry.All.FirstOrDefault(f => f.Format == format)
                    ?? throw new ArgumentOutOfRangeException(nameof(format), format, "No reader is registered for this format.");
            }
            foreach (var candidate in MemoryFormatRegistry.All)
            {
                if (candidate.Recognizes(sample)) return candidate;
            }
            if (SourceKind.TraceGivenToImportMemoryExport(sample, sourceFile) is SkillForgeException trace) throw trace;
            string tried = string.Join(", ", MemoryFormatRegistry.All.Select(f => f.Format.ToString()));
            throw new SkillForgeException(ErrorIds.ImportUnknownFormat, FailureCategory.InvalidData,
                $"'{sourceFile}' is not a memory export SkillForge recognises (tried {tried}){Hint(sample)}. " +
                "If it is one of those formats, name it with -Format; a SkillForge export holds records with an id and a text field.",
                sourceFile);
        }

        private static IEnumerable<Outcome<MemoryDoc>> ReadFile(string path, IMemoryFormat format, IOperationSink sink, CancellationToken cancellationToken)
        {
            using var stream = SourceFiles.OpenRead(path);
            var file = stream is GzipGuardStream gzip ? gzip.BaseStream : stream;
            long total = file.Length;
            bool report = total >= ProgressThresholdBytes;
            bool reported = false;
            var clock = Stopwatch.StartNew();
            long nextReport = 0; // first report after the first record, then every 250 ms
            string status = "Reading " + Path.GetFileName(path) + " (bytes)";

            using var docs = format.Read(stream, path, cancellationToken).GetEnumerator();
            while (true)
            {
                Outcome<MemoryDoc> current;
                try
                {
                    if (!docs.MoveNext()) break;
                    current = docs.Current;
                }
                catch (InvalidDataException e)
                {
                    throw CorruptGzip(path, e);
                }
                catch (IOException e)
                {
                    throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                        $"Reading '{path}' failed: {e.Message} The docs before the failure were imported.", path, e);
                }
                yield return current;

                if (report && clock.ElapsedMilliseconds >= nextReport)
                {
                    nextReport = clock.ElapsedMilliseconds + ProgressIntervalMs;
                    sink.Progress(new OperationProgress(ProgressActivity, status, Math.Min(file.Position, total - 1), total));
                    reported = true;
                }
            }
            if (reported) sink.Progress(new OperationProgress(ProgressActivity, status, total, total));
        }

        private static bool IsEmpty(SourceSample sample) =>
            sample.Head.Length < SourceSample.HeadBytes && string.IsNullOrWhiteSpace(sample.Head);

        private static string Hint(SourceSample sample)
        {
            string head = sample.Head;
            if (head.IndexOf('\0') >= 0)
                return ": it contains NUL bytes, so it is a binary file or UTF-16 text, and SkillForge reads UTF-8 JSON, JSON Lines and gzip";
            string start = head.TrimStart();
            if (start.Length > 0 && start[0] == '"')
                return ": it holds one JSON string, not records (was the export JSON-encoded twice?)";
            if (start.Length > 0 && start[0] != '{' && start[0] != '[')
                return $": it is not JSON (it starts with \"{TextUtil.Truncate(start.Split('\n')[0].Trim(), 24)}\")";
            return "";
        }

        private static SkillForgeException CorruptGzip(string path, Exception e) =>
            new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                $"'{path}' starts like gzip but its compressed data is damaged ({e.Message}). Compress the export again, or import the uncompressed file.",
                path, e);
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Traces
{
    /// <summary>Entry point of Import-Trace: picks the format and streams TraceEvents.</summary>
    public static class TraceReader
    {
        /// <summary>
        /// Streams the events of one file. Throws SkillForgeException for a file that cannot be opened or placed
        /// (ErrorIds.FileNotFound, ErrorIds.TraceUnknownFormat naming the formats tried). The file is opened and
        /// its format settled when this method is called; the events are read as they are enumerated, one at a time.
        /// Every event gets its TraceId (the file name without extensions when the record has none), SourceFile and
        /// a 0-based Sequence within its trace, whatever the format.
        /// </summary>
        public static IEnumerable<Outcome<TraceEvent>> Read(string path, TraceFormat format = TraceFormat.Auto, CancellationToken cancellationToken = default)
        {
            var reader = Resolve(path, format);
            return Read(path, reader, cancellationToken);
        }

        /// <summary>The format reader for a file: the one asked for, or with Auto the first in the registry that recognises it.</summary>
        public static ITraceFormat Resolve(string path, TraceFormat format)
        {
            if (format != TraceFormat.Auto)
            {
                // Open once to fail early on a missing file, as Auto does.
                using (SourceFiles.OpenRead(path)) { }
                return TraceFormatRegistry.All.FirstOrDefault(f => f.Format == format)
                    ?? throw new SkillForgeException(ErrorIds.TraceUnknownFormat, FailureCategory.InvalidArgument,
                        $"No reader is registered for trace format {format}.", path);
            }

            var sample = SourceSample.Read(path);
            var match = Detect(sample);
            // SkillForge's own trace format takes any records with a "kind", and memory exports have one too.
            if ((match == null || match.Format == TraceFormat.SkillForge) && SourceKind.MemoryExportGivenToImportTrace(sample, path) is SkillForgeException memories)
                throw memories;
            if (match != null) return match;
            string tried = string.Join(", ", TraceFormatRegistry.All.Select(f => f.Format.ToString()));
            throw new SkillForgeException(ErrorIds.TraceUnknownFormat, FailureCategory.InvalidData,
                $"'{path}' is not a trace format SkillForge recognises (tried {tried}). " +
                "If it is one of them, name it with -Format; SkillForge's own format is JSON or JSON Lines records with a \"kind\" field.",
                path);
        }

        /// <summary>The first registered format that recognises the sample, or null.</summary>
        public static ITraceFormat? Detect(SourceSample sample)
        {
            foreach (var candidate in TraceFormatRegistry.All)
                if (candidate.Recognizes(sample)) return candidate;
            return null;
        }

        /// <summary>Streams the events of one file with a format reader already chosen (see <see cref="Resolve"/>).</summary>
        public static IEnumerable<Outcome<TraceEvent>> Read(string path, ITraceFormat reader, CancellationToken cancellationToken = default)
        {
            string defaultTraceId = TraceEventConverter.DefaultTraceId(path);
            var sequences = new TraceSequencer();
            using var stream = SourceFiles.OpenRead(path);
            foreach (var outcome in reader.Read(stream, path, cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (outcome.IsError)
                {
                    yield return outcome;
                    continue;
                }
                var ev = outcome.Value!;
                if (string.IsNullOrWhiteSpace(ev.TraceId)) ev.TraceId = defaultTraceId;
                if (string.IsNullOrEmpty(ev.SourceFile)) ev.SourceFile = path;
                ev.Sequence = sequences.Next(ev.TraceId);
                yield return outcome;
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Traces.Formats
{
    /// <summary>Turns the records of one agent transcript into TraceEvents, one JSON Lines record at a time.</summary>
    internal interface ITranscriptRecordReader
    {
        /// <summary>Reads one record; appends whatever events it completes (an action is complete once its result arrives).</summary>
        void ReadRecord(JsonElement root, long line, List<Outcome<TraceEvent>> output);

        /// <summary>End of file: appends what is still pending and can be told.</summary>
        void Finish(List<Outcome<TraceEvent>> output);
    }

    /// <summary>The JSON Lines loop every transcript format shares: a malformed line is an error, the rest is still read.</summary>
    internal static class TranscriptRecordReader
    {
        public static IEnumerable<Outcome<TraceEvent>> Read(Stream stream, string formatName, string sourceFile,
            ITranscriptRecordReader reader, CancellationToken cancellationToken)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            var output = new List<Outcome<TraceEvent>>();
            foreach (var line in JsonLines.Read(stream, cancellationToken))
            {
                using (line)
                {
                    if (line.Document == null)
                        output.Add(Outcome<TraceEvent>.Fail(TranscriptText.MalformedLine(formatName, sourceFile, line.LineNumber, line.Error, line.Snippet)));
                    else
                        reader.ReadRecord(line.Document.RootElement, line.LineNumber, output);
                }
                foreach (var o in output) yield return o;
                output.Clear();
            }
            reader.Finish(output);
            foreach (var o in output) yield return o;
        }
    }
}

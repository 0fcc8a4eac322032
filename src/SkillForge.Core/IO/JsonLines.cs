using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;

namespace SkillForge.IO
{
    /// <summary>One line of a JSON Lines file: a parsed document, or why it could not be parsed.</summary>
    public sealed class JsonLine : IDisposable
    {
        internal JsonLine(long lineNumber, JsonDocument? document, string? error, string? snippet)
        {
            LineNumber = lineNumber;
            Document = document;
            Error = error;
            Snippet = snippet;
        }

        /// <summary>1-based line number in the file.</summary>
        public long LineNumber { get; }
        public JsonDocument? Document { get; }
        public string? Error { get; }
        public string? Snippet { get; }

        public void Dispose() => Document?.Dispose();
    }

    /// <summary>
    /// Reads JSON Lines at the byte level: invalid UTF-8 and malformed JSON are errors for that line only,
    /// a BOM and CRLF are accepted, blank lines are skipped, and a line of many megabytes is just a bigger buffer.
    /// </summary>
    public static class JsonLines
    {
        public const int SnippetLength = 200;

        /// <summary>The longest line (or record) SkillForge reads, in bytes; a longer one ends the file with an error.</summary>
        public const int MaxRecordBytes = 64 * 1024 * 1024;

        /// <summary>The error for a line or record longer than <see cref="MaxRecordBytes"/>.</summary>
        internal static RecordTooLargeException TooLarge(long line) =>
            new RecordTooLargeException($"the record that starts at line {line} is longer than {MaxRecordBytes / (1024 * 1024)} MiB, " +
                "the most SkillForge reads as one record, so reading this file stopped there (no real memory or trace record is that long: " +
                "is the file damaged, or one huge line?)");

        /// <summary>Yields every non-blank line. The caller disposes each JsonLine.</summary>
        public static IEnumerable<JsonLine> Read(Stream stream, CancellationToken cancellationToken = default)
        {
            var options = new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };
            var buffer = new byte[1 << 16];
            int start = 0, end = 0;
            long lineNumber = 0;
            bool first = true, eof = false;

            while (true)
            {
                int newline = end > start ? Array.IndexOf(buffer, (byte)'\n', start, end - start) : -1;
                if (newline < 0 && !eof)
                {
                    // Keep the partial line, grow the buffer only when one line fills it.
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    if (end == buffer.Length)
                    {
                        if (buffer.Length >= MaxRecordBytes) throw TooLarge(lineNumber + 1);
                        Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxRecordBytes));
                    }
                    int n = stream.Read(buffer, end, buffer.Length - end);
                    if (n == 0) eof = true;
                    end += n;
                    continue;
                }
                if (newline < 0 && start == end) yield break;

                int lineEnd = newline < 0 ? end : newline;
                int lineStart = start;
                start = newline < 0 ? end : newline + 1;
                lineNumber++;
                cancellationToken.ThrowIfCancellationRequested();

                if (first)
                {
                    first = false;
                    if (lineEnd - lineStart >= 3 && buffer[lineStart] == 0xEF && buffer[lineStart + 1] == 0xBB && buffer[lineStart + 2] == 0xBF)
                        lineStart += 3;
                }
                if (lineEnd > lineStart && buffer[lineEnd - 1] == (byte)'\r') lineEnd--;
                if (IsBlank(buffer, lineStart, lineEnd)) continue;

                JsonDocument? doc = null;
                string? error = null;
                try
                {
                    // Copy: the document must outlive the buffer, which is reused for the next line.
                    var bytes = new byte[lineEnd - lineStart];
                    Buffer.BlockCopy(buffer, lineStart, bytes, 0, bytes.Length);
                    doc = JsonDocument.Parse(bytes, options);
                }
                catch (JsonException e)
                {
                    error = e.Message;
                }
                yield return new JsonLine(lineNumber, doc, error, error == null ? null : Snippet(buffer, lineStart, lineEnd));
            }
        }

        private static bool IsBlank(byte[] buffer, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                byte b = buffer[i];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r') return false;
            }
            return true;
        }

        private static string Snippet(byte[] buffer, int start, int end)
        {
            int length = Math.Min(end - start, SnippetLength * 4);
            var text = System.Text.Encoding.UTF8.GetString(buffer, start, length);
            return TextUtil.Truncate(text, SnippetLength);
        }
    }

    /// <summary>A line or record over <see cref="JsonLines.MaxRecordBytes"/>: the file cannot be read on (an IOException, so readers report it for the file).</summary>
    public sealed class RecordTooLargeException : IOException
    {
        public RecordTooLargeException(string message) : base(message) { }
    }
}

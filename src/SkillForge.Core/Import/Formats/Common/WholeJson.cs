using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Import.Formats.Common
{
    /// <summary>
    /// Loads a whole JSON document for the formats that are written as one document (Letta .af, SkillRL,
    /// Reflexion, mem0 dumps, SWE-agent .traj, OTel span exports). These files are small in practice; a size cap
    /// turns a runaway file into one clear error instead of an out-of-memory crash.
    /// </summary>
    internal static class WholeJson
    {
        /// <summary>Largest document read at once: 256 MiB.</summary>
        public const long MaxBytes = 256L * 1024 * 1024;

        public static readonly JsonDocumentOptions Options = new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = 256,
        };

        /// <summary>
        /// Reads all bytes of the stream (the returned segment may be backed by a larger buffer), or returns null and an
        /// error when the stream holds more than maxBytes.
        /// </summary>
        public static ArraySegment<byte>? ReadAll(Stream stream, string sourceFile, string formatName, string errorId, long maxBytes,
            CancellationToken cancellationToken, out RecordError? error)
        {
            error = null;
            long expected = 0;
            try
            {
                if (stream.CanSeek) expected = stream.Length - stream.Position;
            }
            catch (NotSupportedException)
            {
                expected = 0;
            }
            var buffer = new byte[(int)Math.Max(4096, Math.Min(expected + 1, maxBytes + 1))];
            int length = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (length == buffer.Length)
                {
                    if (length > maxBytes) break;
                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                }
                int n = stream.Read(buffer, length, buffer.Length - length);
                if (n == 0) break;
                length += n;
            }
            if (length > maxBytes)
            {
                error = new RecordError(errorId,
                    $"File '{sourceFile}' is larger than {FormatSize(maxBytes)}, the most the {formatName} reader loads at once " +
                    "(it reads the whole document). Split the export into smaller files, or convert it to SkillForge JSON Lines.",
                    sourceFile, 0);
                return null;
            }
            return new ArraySegment<byte>(buffer, 0, length);
        }

        private static string FormatSize(long bytes) =>
            bytes >= 1024 * 1024
                ? (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + " MiB"
                : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

        /// <summary>
        /// Parses a whole document. A document that is a JSON string holding JSON (double-encoded, as some
        /// Letta exports are) is decoded once more. Returns null and an error for invalid JSON.
        /// </summary>
        public static JsonDocument? Parse(ArraySegment<byte> segment, string sourceFile, string formatName, string errorId, out RecordError? error)
        {
            error = null;
            var bytes = segment.Array!;
            int start = segment.Offset, end = segment.Offset + segment.Count;
            if (segment.Count >= 3 && bytes[start] == 0xEF && bytes[start + 1] == 0xBB && bytes[start + 2] == 0xBF) start += 3;
            JsonDocument doc;
            try
            {
                // Parses in place: the document keeps a reference to the buffer instead of copying it.
                doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, start, end - start), Options);
            }
            catch (JsonException e)
            {
                error = InvalidJson(bytes, start, end, sourceFile, formatName, errorId, e);
                return null;
            }

            if (doc.RootElement.ValueKind == JsonValueKind.String)
            {
                var inner = doc.RootElement.GetString() ?? "";
                var trimmed = inner.TrimStart();
                if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
                {
                    doc.Dispose();
                    try
                    {
                        return JsonDocument.Parse(inner, Options);
                    }
                    catch (JsonException e)
                    {
                        error = new RecordError(errorId,
                            $"File '{sourceFile}' holds a JSON string that should contain a {formatName} document, but its content is not valid JSON " +
                            $"(inner line {(e.LineNumber ?? 0) + 1}): {e.Message}",
                            sourceFile, 1, TextUtil.Truncate(inner, 200));
                        return null;
                    }
                }
            }
            return doc;
        }

        /// <summary>Loads and parses in one go.</summary>
        public static JsonDocument? Load(Stream stream, string sourceFile, string formatName, string errorId,
            CancellationToken cancellationToken, out RecordError? error)
        {
            var bytes = ReadAll(stream, sourceFile, formatName, errorId, MaxBytes, cancellationToken, out error);
            return bytes == null ? null : Parse(bytes.Value, sourceFile, formatName, errorId, out error);
        }

        public static RecordError InvalidJson(byte[] bytes, int start, int end, string sourceFile, string formatName, string errorId, JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            return new RecordError(errorId,
                $"File '{sourceFile}' is not valid JSON at line {line.ToString(CultureInfo.InvariantCulture)} " +
                $"(position {((e.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}), so it cannot be read as {formatName}: {e.Message} " +
                "Check that the file is complete (not truncated) and that it is a " + formatName + " export.",
                sourceFile, line, LineSnippet(bytes, start, end, line));
        }

        private static string LineSnippet(byte[] bytes, int start, int end, long line)
        {
            long current = 1;
            int i = start;
            while (i < end && current < line)
            {
                if (bytes[i] == (byte)'\n') current++;
                i++;
            }
            int stop = i;
            while (stop < end && bytes[stop] != (byte)'\n' && stop - i < 800) stop++;
            return TextUtil.Truncate(Encoding.UTF8.GetString(bytes, i, stop - i).Trim(), 200);
        }
    }
}

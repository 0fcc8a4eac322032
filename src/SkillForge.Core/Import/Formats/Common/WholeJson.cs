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

        /// <summary>Reads all bytes of the stream, or returns an error when it exceeds maxBytes.</summary>
        public static byte[]? ReadAll(Stream stream, string sourceFile, string formatName, string errorId, long maxBytes,
            CancellationToken cancellationToken, out RecordError? error)
        {
            error = null;
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = stream.Read(chunk, 0, chunk.Length);
                if (n == 0) break;
                if (buffer.Length + n > maxBytes)
                {
                    error = new RecordError(errorId,
                        $"File '{sourceFile}' is larger than {maxBytes / (1024 * 1024)} MiB, the most the {formatName} reader loads at once " +
                        "(it reads the whole document). Split the export into smaller files, or convert it to SkillForge JSON Lines.",
                        sourceFile, 0);
                    return null;
                }
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }

        /// <summary>
        /// Parses a whole document. A document that is a JSON string holding JSON (double-encoded, as some
        /// Letta exports are) is decoded once more. Returns null and an error for invalid JSON.
        /// </summary>
        public static JsonDocument? Parse(byte[] bytes, string sourceFile, string formatName, string errorId, out RecordError? error)
        {
            error = null;
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, start, bytes.Length - start), Options);
            }
            catch (JsonException e)
            {
                error = InvalidJson(bytes, start, sourceFile, formatName, errorId, e);
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
            return bytes == null ? null : Parse(bytes, sourceFile, formatName, errorId, out error);
        }

        public static RecordError InvalidJson(byte[] bytes, int start, string sourceFile, string formatName, string errorId, JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            return new RecordError(errorId,
                $"File '{sourceFile}' is not valid JSON at line {line.ToString(CultureInfo.InvariantCulture)} " +
                $"(position {((e.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.InvariantCulture)}), so it cannot be read as {formatName}: {e.Message} " +
                "Check that the file is complete (not truncated) and that it is a " + formatName + " export.",
                sourceFile, line, LineSnippet(bytes, start, line));
        }

        private static string LineSnippet(byte[] bytes, int start, long line)
        {
            long current = 1;
            int i = start;
            while (i < bytes.Length && current < line)
            {
                if (bytes[i] == (byte)'\n') current++;
                i++;
            }
            int end = i;
            while (end < bytes.Length && bytes[end] != (byte)'\n' && end - i < 800) end++;
            return TextUtil.Truncate(Encoding.UTF8.GetString(bytes, i, end - i).Trim(), 200);
        }
    }
}

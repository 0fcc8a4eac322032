using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Crystallization
{
    /// <summary>What ExportTagger wrote.</summary>
    public sealed class ExportTagResult
    {
        public string InputPath { get; set; } = "";
        public string OutputPath { get; set; } = "";
        /// <summary>Records that got the tag (records that already had it are not counted).</summary>
        public int Tagged { get; set; }
        /// <summary>Requested ids found nowhere in the export.</summary>
        public string[] NotFound { get; set; } = Array.Empty<string>();
    }

    /// <summary>
    /// -UpdateExport: a copy of a memory export with a tag added to some docs. JSONL is rewritten line by line
    /// (lines that change nothing stay byte-identical); a JSON document (array, wrapper object, agent file) is
    /// rewritten through JsonNode, every object whose id is listed and that holds text getting the tag.
    /// The copy is written atomically, and never over the input.
    /// </summary>
    public static class ExportTagger
    {
        public const string CrystallizedTag = "crystallized";

        private static readonly string[] IdKeys = { "id", "doc_id", "docId", "memory_id", "memoryId", "uuid" };
        private static readonly string[] TagKeys = { "tags", "categories", "labels" };
        private static readonly JsonSerializerOptions Relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static ExportTagResult WriteTaggedCopy(string inputPath, string outputPath, IEnumerable<string> docIds, string tag = CrystallizedTag)
        {
            var input = Path.GetFullPath(inputPath);
            var output = Path.GetFullPath(outputPath);
            var comparison = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX)
                ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (string.Equals(input, output, comparison))
            {
                throw new SkillForgeException(ErrorIds.ExportUpdateFailed, FailureCategory.InvalidArgument,
                    $"-UpdateExport '{outputPath}' is the export being read. SkillForge never rewrites its input: give another path " +
                    "(for example memories.crystallized.jsonl) and replace the original yourself once you have checked the copy.",
                    outputPath);
            }

            var ids = new HashSet<string>(docIds, StringComparer.Ordinal);
            var found = new HashSet<string>(StringComparer.Ordinal);
            byte[] source;
            using (var stream = SourceFiles.OpenRead(input))
            using (var buffer = new MemoryStream())
            {
                try
                {
                    stream.CopyTo(buffer);
                    SourceFiles.ThrowIfDamaged(stream);
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException
                                          || (e is SkillForgeException damaged && damaged.ErrorId == ErrorIds.FileUnreadable))
                {
                    // A damaged .gz or a read failure half-way: nothing has been written yet.
                    throw new SkillForgeException(ErrorIds.ExportUpdateFailed, FailureCategory.ReadError,
                        $"Cannot read the export '{input}' to write the updated copy: {e.Message} Nothing was written; the skills and the ledger are saved.",
                        inputPath, e);
                }
                source = buffer.ToArray();
            }

            int tagged = 0;
            byte[] result;
            var whole = TryParseWhole(source);
            if (whole != null)
            {
                tagged = TagTree(whole, ids, found, tag);
                result = tagged == 0 ? source : Encoding.UTF8.GetBytes(whole.ToJsonString(new JsonSerializerOptions
                {
                    WriteIndented = LooksIndented(source),
                    Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                }) + (EndsWithNewline(source) ? "\n" : ""));
            }
            else
            {
                result = RewriteLines(source, ids, found, tag, out tagged);
            }

            WriteAtomically(output, result, output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase));
            return new ExportTagResult
            {
                InputPath = input,
                OutputPath = output,
                Tagged = tagged,
                NotFound = ids.Where(id => !found.Contains(id)).OrderBy(id => id, StringComparer.Ordinal).ToArray(),
            };
        }

        private static JsonNode? TryParseWhole(byte[] bytes)
        {
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                var node = JsonNode.Parse(new ReadOnlyMemory<byte>(bytes, start, bytes.Length - start).ToArray());
                return node is JsonArray || node is JsonObject ? node : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>JSONL: each line on its own; lines without a listed id keep their exact bytes and line ending.</summary>
        private static byte[] RewriteLines(byte[] source, HashSet<string> ids, HashSet<string> found, string tag, out int tagged)
        {
            tagged = 0;
            using var output = new MemoryStream(source.Length + 1024);
            int pos = 0;
            while (pos < source.Length)
            {
                int newline = Array.IndexOf(source, (byte)'\n', pos);
                int end = newline < 0 ? source.Length : newline + 1;
                int contentEnd = newline < 0 ? source.Length : newline;
                if (contentEnd > pos && source[contentEnd - 1] == (byte)'\r') contentEnd--;
                int contentStart = pos == 0 && contentEnd >= 3 && source[0] == 0xEF && source[1] == 0xBB && source[2] == 0xBF ? 3 : pos;

                bool rewritten = false;
                if (contentEnd > contentStart && MayHoldId(source, contentStart, contentEnd, ids))
                {
                    JsonNode? node = null;
                    try
                    {
                        var slice = new byte[contentEnd - contentStart];
                        Buffer.BlockCopy(source, contentStart, slice, 0, slice.Length);
                        node = JsonNode.Parse(slice);
                    }
                    catch (JsonException)
                    {
                        node = null; // a bad line stays as it is; the import reported it already
                    }
                    if (node != null)
                    {
                        int n = TagTree(node, ids, found, tag);
                        if (n > 0)
                        {
                            tagged += n;
                            var text = Encoding.UTF8.GetBytes(node.ToJsonString(Relaxed));
                            output.Write(source, pos, contentStart - pos);
                            output.Write(text, 0, text.Length);
                            output.Write(source, contentEnd, end - contentEnd);
                            rewritten = true;
                        }
                    }
                }
                if (!rewritten) output.Write(source, pos, end - pos);
                pos = end;
            }
            return output.ToArray();
        }

        /// <summary>Cheap pre-check so that only lines that can matter are parsed.</summary>
        private static bool MayHoldId(byte[] source, int start, int end, HashSet<string> ids)
        {
            var line = Encoding.UTF8.GetString(source, start, end - start);
            foreach (var id in ids)
            {
                if (line.IndexOf(id, StringComparison.Ordinal) >= 0) return true;
            }
            // Ids with characters JSON escapes (quotes, backslashes, non-ASCII written as \u) need the full parse.
            return ids.Any(id => id.Any(c => c == '"' || c == '\\' || c > 0x7e || c < 0x20));
        }

        private static int TagTree(JsonNode node, HashSet<string> ids, HashSet<string> found, string tag)
        {
            int count = 0;
            if (node is JsonObject obj)
            {
                var id = IdOf(obj);
                if (id != null && ids.Contains(id) && HoldsText(obj))
                {
                    found.Add(id);
                    if (AddTag(obj, tag)) count++;
                }
                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    if (child != null) count += TagTree(child, ids, found, tag);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array.ToList())
                {
                    if (child != null) count += TagTree(child, ids, found, tag);
                }
            }
            return count;
        }

        private static string? IdOf(JsonObject obj)
        {
            foreach (var key in IdKeys)
            {
                var value = Property(obj, key);
                if (value is JsonValue v)
                {
                    if (v.TryGetValue<string>(out var s)) return s;
                    if (v.TryGetValue<long>(out var l)) return l.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            return null;
        }

        private static bool HoldsText(JsonObject obj) =>
            new[] { "text", "memory", "value", "content", "fact", "reflection" }.Any(k => Property(obj, k) != null);

        /// <summary>Adds the tag to the record's tag list (creating "tags" when it has none). False when it was already there.</summary>
        private static bool AddTag(JsonObject obj, string tag)
        {
            foreach (var key in TagKeys)
            {
                var name = obj.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                if (name == null) continue;
                var value = obj[name];
                if (value is JsonArray list)
                {
                    if (list.Any(t => t is JsonValue tv && tv.TryGetValue<string>(out var s) && string.Equals(s, tag, StringComparison.OrdinalIgnoreCase)))
                        return false;
                    list.Add(tag);
                    return true;
                }
                if (value == null)
                {
                    obj[name] = new JsonArray(tag);
                    return true;
                }
                if (value is JsonValue single && single.TryGetValue<string>(out var text))
                {
                    var parts = text.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
                    if (parts.Any(p => string.Equals(p, tag, StringComparison.OrdinalIgnoreCase))) return false;
                    parts.Add(tag);
                    obj[name] = new JsonArray(parts.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray());
                    return true;
                }
            }
            var casing = obj.Any(p => p.Key.Length > 0 && char.IsUpper(p.Key[0])) ? "Tags" : "tags";
            obj[casing] = new JsonArray(tag);
            return true;
        }

        private static JsonNode? Property(JsonObject obj, string key)
        {
            foreach (var p in obj)
            {
                if (string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)) return p.Value;
            }
            return null;
        }

        private static bool LooksIndented(byte[] source)
        {
            int limit = Math.Min(source.Length, 4096);
            for (int i = 0; i < limit; i++) if (source[i] == (byte)'\n') return i < source.Length - 1;
            return false;
        }

        private static bool EndsWithNewline(byte[] source) => source.Length > 0 && source[source.Length - 1] == (byte)'\n';

        private static void WriteAtomically(string path, byte[] content, bool gzip)
        {
            var dir = Path.GetDirectoryName(path)!;
            var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                Directory.CreateDirectory(dir);
                using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    if (gzip)
                    {
                        using var zip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
                        zip.Write(content, 0, content.Length);
                    }
                    else
                    {
                        file.Write(content, 0, content.Length);
                    }
                    file.Flush(true);
                }
                if (File.Exists(path)) File.Replace(temp, path, null);
                else File.Move(temp, path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                try { if (File.Exists(temp)) File.Delete(temp); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
                throw new SkillForgeException(ErrorIds.ExportUpdateFailed, FailureCategory.WriteError,
                    $"Cannot write the updated export '{path}': {e.Message} The skills and the ledger are saved; run again with a writable -UpdateExport path.",
                    path, e);
            }
        }
    }
}

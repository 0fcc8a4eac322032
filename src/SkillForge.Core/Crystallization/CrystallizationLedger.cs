using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SkillForge.Diagnostics;

namespace SkillForge.Crystallization
{
    /// <summary>One crystallized cluster.</summary>
    public sealed class LedgerEntry
    {
        public string Fingerprint { get; set; } = "";
        public string[] DocIds { get; set; } = Array.Empty<string>();
        /// <summary>The skill's SKILL.md, relative to the skills folder, with forward slashes.</summary>
        public string SkillPath { get; set; } = "";
        public string Model { get; set; } = "";
        public DateTimeOffset Date { get; set; }

        public override string ToString() => $"{SkillPath} ({DocIds.Length} docs)";
    }

    /// <summary>&lt;skills&gt;/.skillforge/ledger.json: which docs already became skills, so nothing is distilled twice.</summary>
    /// <remarks>
    /// Format: <c>{ "version": 1, "entries": [ { "fingerprint", "docIds", "skillPath", "model", "date" } ] }</c>.
    /// Saves are atomic (a temporary file in the same folder, then a rename), and merge in entries another run
    /// saved meanwhile, so two runs over the same folder lose nothing.
    /// </remarks>
    public sealed class CrystallizationLedger
    {
        public const int CurrentVersion = 1;

        private readonly List<LedgerEntry> _entries = new List<LedgerEntry>();
        private readonly HashSet<string> _fingerprints = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _docIds = new HashSet<string>(StringComparer.Ordinal);

        private CrystallizationLedger(string path) => Path = path;

        /// <summary>The folder inside a skills library where SkillForge keeps its own state (not a skill).</summary>
        public const string StateFolderName = ".skillforge";

        public static string DefaultPath(string skillsPath) => System.IO.Path.Combine(skillsPath, StateFolderName, "ledger.json");

        /// <summary>Reads a ledger; a missing file is an empty ledger. Throws SkillForgeException (LedgerInvalid) on a corrupt one.</summary>
        public static CrystallizationLedger Load(string ledgerPath)
        {
            if (string.IsNullOrEmpty(ledgerPath)) throw new ArgumentException("A ledger path is required.", nameof(ledgerPath));
            var ledger = new CrystallizationLedger(System.IO.Path.GetFullPath(ledgerPath));
            foreach (var entry in ReadEntries(ledger.Path)) ledger.AddCore(entry);
            return ledger;
        }

        public string Path { get; }
        public IReadOnlyList<LedgerEntry> Entries => _entries;
        /// <summary>Every doc id any entry covers (a live view).</summary>
        public ISet<string> CrystallizedDocIds => _docIds;
        public bool Contains(string fingerprint) => _fingerprints.Contains(fingerprint);

        /// <summary>Whether any of these doc ids is already covered.</summary>
        public bool ContainsAnyDoc(IEnumerable<string> docIds) => docIds.Any(_docIds.Contains);

        public void Add(LedgerEntry entry)
        {
            if (entry == null) throw new ArgumentNullException(nameof(entry));
            if (string.IsNullOrEmpty(entry.Fingerprint)) throw new ArgumentException("A ledger entry needs a fingerprint.", nameof(entry));
            AddCore(entry);
        }

        /// <summary>Atomic write (temporary file, then rename).</summary>
        public void Save()
        {
            var dir = System.IO.Path.GetDirectoryName(Path)!;
            string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                Directory.CreateDirectory(dir);
                // Another run may have saved since we loaded: keep its entries too.
                if (File.Exists(Path))
                {
                    foreach (var entry in ReadEntries(Path)) AddCore(entry);
                }
                File.WriteAllBytes(temp, Serialize());
                if (File.Exists(Path)) File.Replace(temp, Path, null);
                else File.Move(temp, Path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                TryDelete(temp);
                throw new SkillForgeException(ErrorIds.LedgerWriteFailed, FailureCategory.WriteError,
                    $"Cannot save the crystallization ledger '{Path}': {e.Message} The skills already written are on disk; " +
                    "fix the folder's permissions or free space and run again (skills that are already there are not written twice only if the ledger lists them).",
                    Path, e);
            }
        }

        private void AddCore(LedgerEntry entry)
        {
            if (!_fingerprints.Add(entry.Fingerprint)) return;
            _entries.Add(entry);
            foreach (var id in entry.DocIds) _docIds.Add(id);
        }

        private byte[] Serialize()
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteNumber("version", CurrentVersion);
                w.WriteStartArray("entries");
                foreach (var e in _entries)
                {
                    w.WriteStartObject();
                    w.WriteString("fingerprint", e.Fingerprint);
                    w.WriteStartArray("docIds");
                    foreach (var id in e.DocIds) w.WriteStringValue(id);
                    w.WriteEndArray();
                    w.WriteString("skillPath", e.SkillPath);
                    w.WriteString("model", e.Model);
                    w.WriteString("date", e.Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            var bytes = stream.ToArray();
            var withNewline = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, withNewline, 0, bytes.Length);
            withNewline[bytes.Length] = (byte)'\n';
            return withNewline;
        }

        private static List<LedgerEntry> ReadEntries(string path)
        {
            var entries = new List<LedgerEntry>();
            byte[] bytes;
            try
            {
                if (!File.Exists(path)) return entries;
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SkillForgeException(ErrorIds.LedgerInvalid, FailureCategory.ReadError,
                    $"Cannot read the crystallization ledger '{path}': {e.Message} Check its permissions.", path, e);
            }
            // A UTF-8 BOM (editors add one) is accepted, as every other SkillForge reader accepts it.
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            var json = new ReadOnlyMemory<byte>(bytes, start, bytes.Length - start);
            if (json.Length == 0 || new UTF8Encoding(false).GetString(bytes, start, json.Length).Trim().Length == 0) return entries;
            try
            {
                using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw Corrupt(path, "the top level is not a JSON object");
                if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int v))
                    throw Corrupt(path, "it has no numeric \"version\"");
                if (v != CurrentVersion)
                    throw Corrupt(path, $"its version is {v}, and this SkillForge reads version {CurrentVersion}");
                if (!root.TryGetProperty("entries", out var list) || list.ValueKind != JsonValueKind.Array)
                    throw Corrupt(path, "it has no \"entries\" array");
                int index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    entries.Add(ReadEntry(path, item, index++));
                }
            }
            catch (JsonException e)
            {
                throw Corrupt(path, $"it is not valid JSON (line {e.LineNumber + 1}: {e.Message})", e);
            }
            catch (ArgumentException e)
            {
                throw Corrupt(path, "it is not valid UTF-8 JSON", e);
            }
            return entries;
        }

        private static LedgerEntry ReadEntry(string path, JsonElement item, int index)
        {
            if (item.ValueKind != JsonValueKind.Object) throw Corrupt(path, $"entry {index} is not an object");
            string Str(string name, bool required)
            {
                if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String) return value.GetString() ?? "";
                if (required) throw Corrupt(path, $"entry {index} has no string \"{name}\"");
                return "";
            }
            var entry = new LedgerEntry
            {
                Fingerprint = Str("fingerprint", true),
                SkillPath = Str("skillPath", false),
                Model = Str("model", false),
            };
            if (entry.Fingerprint.Length == 0) throw Corrupt(path, $"entry {index} has an empty \"fingerprint\"");
            if (!item.TryGetProperty("docIds", out var ids) || ids.ValueKind != JsonValueKind.Array)
                throw Corrupt(path, $"entry {index} has no \"docIds\" array");
            var list = new List<string>();
            foreach (var id in ids.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String) throw Corrupt(path, $"entry {index} has a doc id that is not a string");
                list.Add(id.GetString() ?? "");
            }
            entry.DocIds = list.ToArray();
            var date = Str("date", false);
            if (date.Length > 0)
            {
                if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                    throw Corrupt(path, $"entry {index} has a \"date\" that is not a date: '{date}'");
                entry.Date = parsed;
            }
            return entry;
        }

        private static SkillForgeException Corrupt(string path, string why, Exception? inner = null) =>
            new SkillForgeException(ErrorIds.LedgerInvalid, FailureCategory.InvalidData,
                $"The crystallization ledger '{path}' is unusable: {why}. Nothing was distilled. Move the file aside " +
                "(for example rename it to ledger.json.bak) and run again: SkillForge then starts a new ledger, " +
                "and the memories it listed may be distilled again unless the export tags them 'crystallized'.",
                path, inner);

        private static void TryDelete(string path)
        {
            try { if (File.Exists(path)) File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

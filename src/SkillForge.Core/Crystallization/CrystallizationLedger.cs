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
    /// During a run each new entry is appended to ledger.journal beside it (one JSON object a line, flushed to disk
    /// at once), and the run ends by folding the journal into ledger.json: one rewrite per run, however many skills,
    /// and a run killed half way loses no entry (Load replays the journal; a torn last line is ignored). Saves are
    /// atomic (a temporary file in the same folder, flushed, then a rename), and merge in entries another run saved
    /// meanwhile. The state folder and the ledger must be real: a link (which could point outside the library) or a
    /// device is refused.
    /// </remarks>
    public sealed class CrystallizationLedger : IDisposable
    {
        /// <summary>The largest ledger.json or journal read, in bytes (counted as read, not as the file claims).</summary>
        public const long MaxFileBytes = 512L * 1024 * 1024;

        public const string JournalFileName = "ledger.journal";

        private FileStream? _journal;

        /// <summary>How many times this ledger rewrote ledger.json (tests check that a run rewrites it once).</summary>
        internal int Rewrites { get; private set; }

        public const int CurrentVersion = 1;

        private readonly List<LedgerEntry> _entries = new List<LedgerEntry>();
        private readonly HashSet<string> _fingerprints = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _docIds = new HashSet<string>(StringComparer.Ordinal);

        private CrystallizationLedger(string path) => Path = path;

        /// <summary>The folder inside a skills library where SkillForge keeps its own state (not a skill).</summary>
        public const string StateFolderName = ".skillforge";

        public static string DefaultPath(string skillsPath) => System.IO.Path.Combine(skillsPath, StateFolderName, "ledger.json");

        /// <summary>&lt;skills&gt;/.skillforge.</summary>
        public static string StateFolder(string skillsPath) => System.IO.Path.Combine(skillsPath, StateFolderName);

        /// <summary>ledger.journal beside the ledger.</summary>
        public string JournalPath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, JournalFileName);

        /// <summary>Refuses a state folder, ledger or lock that is a symbolic link, as skill folders that are links are refused.</summary>
        internal static void CheckNotLink(string path, string library)
        {
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return;
            }
            if ((attributes & FileAttributes.ReparsePoint) != 0)
                throw new SkillForgeException(ErrorIds.SkillOutsideRoot, FailureCategory.PermissionDenied,
                    $"'{path}' is a symbolic link or junction; SkillForge keeps its ledger only in a real '{StateFolderName}' folder inside '{library}', " +
                    "since a link can point outside it. Replace the link with a real folder (move its files in) and run again.", path);
        }

        /// <summary>Reads a ledger; a missing file is an empty ledger. Throws SkillForgeException (LedgerInvalid) on a corrupt one.</summary>
        public static CrystallizationLedger Load(string ledgerPath)
        {
            if (string.IsNullOrEmpty(ledgerPath)) throw new ArgumentException("A ledger path is required.", nameof(ledgerPath));
            var ledger = new CrystallizationLedger(System.IO.Path.GetFullPath(ledgerPath));
            ledger.Reload();
            return ledger;
        }

        /// <summary>Adds the entries on disk (ledger.json and its journal) that this ledger does not have yet: what other runs recorded.</summary>
        public void Reload()
        {
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            var library = System.IO.Path.GetDirectoryName(folder) ?? folder;
            CheckNotLink(folder, library);
            CheckNotLink(Path, library);
            CheckNotLink(JournalPath, library);
            foreach (var entry in ReadEntries(Path)) AddCore(entry);
            foreach (var entry in ReadJournal(JournalPath)) AddCore(entry);
        }

        /// <summary>
        /// Adds an entry and appends it to the journal, flushed to disk before this returns: the skill it names is
        /// recorded durably at the cost of one line, not of a rewrite of the whole ledger. Throws SkillForgeException (LedgerWriteFailed).
        /// </summary>
        public void Record(LedgerEntry entry)
        {
            Add(entry);
            try
            {
                if (_journal == null)
                {
                    Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                    _journal = new FileStream(JournalPath, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough);
                }
                var line = SerializeEntry(entry);
                _journal.Write(line, 0, line.Length);
                _journal.Flush(true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw WriteFailed(JournalPath, e);
            }
        }

        /// <summary>Folds the journal into ledger.json (one atomic rewrite) and removes it. Throws SkillForgeException (LedgerWriteFailed); the journal then stays and is replayed next time.</summary>
        public void Compact()
        {
            CloseJournal();
            if (!File.Exists(JournalPath)) return;
            Save();
        }

        public void Dispose() => CloseJournal();

        private void CloseJournal()
        {
            var journal = _journal;
            _journal = null;
            journal?.Dispose();
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

        /// <summary>Atomic write (temporary file, flushed to disk, then rename); the journal's entries are in it afterwards, so the journal goes.</summary>
        public void Save()
        {
            var dir = System.IO.Path.GetDirectoryName(Path)!;
            string temp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                Directory.CreateDirectory(dir);
                // Another run may have saved since we loaded: keep its entries too.
                Reload();
                var bytes = Serialize();
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                if (File.Exists(Path)) File.Replace(temp, Path, null);
                else File.Move(temp, Path);
                Rewrites++;
                if (_journal == null && File.Exists(JournalPath)) File.Delete(JournalPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                TryDelete(temp);
                throw WriteFailed(Path, e);
            }
        }

        /// <summary>Removes temporary files a killed save left in the state folder (call only while holding the library's lock).</summary>
        public int CleanTemporaryFiles()
        {
            int removed = 0;
            var dir = System.IO.Path.GetDirectoryName(Path)!;
            try
            {
                if (!Directory.Exists(dir)) return 0;
                foreach (var temp in Directory.EnumerateFiles(dir, "." + System.IO.Path.GetFileName(Path) + ".*.tmp"))
                {
                    File.Delete(temp);
                    removed++;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
            return removed;
        }

        private static SkillForgeException WriteFailed(string path, Exception e) =>
            new SkillForgeException(ErrorIds.LedgerWriteFailed, FailureCategory.WriteError,
                $"Cannot save the crystallization ledger '{path}': {e.Message} The skills already written are on disk; " +
                "fix the folder's permissions or free space and run again (a re-run recognises the skills already there by their fingerprint and does not distill them again).",
                path, e);

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
                foreach (var e in _entries) WriteEntry(w, e);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            var bytes = stream.ToArray();
            var withNewline = new byte[bytes.Length + 1];
            Buffer.BlockCopy(bytes, 0, withNewline, 0, bytes.Length);
            withNewline[bytes.Length] = (byte)'\n';
            return withNewline;
        }

        private static void WriteEntry(Utf8JsonWriter w, LedgerEntry e)
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

        /// <summary>One journal line: the entry as compact JSON and a newline.</summary>
        private static byte[] SerializeEntry(LedgerEntry entry)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                WriteEntry(w, entry);
            stream.WriteByte((byte)'\n');
            return stream.ToArray();
        }

        /// <summary>The journal's entries; a last line without its newline (a write cut by a crash) is ignored, any other bad line is LedgerInvalid.</summary>
        private static List<LedgerEntry> ReadJournal(string path)
        {
            var entries = new List<LedgerEntry>();
            var bytes = ReadBytes(path);
            if (bytes == null) return entries;
            int start = 0, index = 0;
            while (start < bytes.Length)
            {
                int newline = Array.IndexOf(bytes, (byte)'\n', start);
                if (newline < 0) break; // torn last line
                var line = new ReadOnlyMemory<byte>(bytes, start, newline - start);
                bool blank = new UTF8Encoding(false).GetString(bytes, start, newline - start).Trim().Length == 0;
                start = newline + 1;
                if (blank) continue;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    entries.Add(ReadEntry(path, doc.RootElement, index++));
                }
                catch (JsonException e)
                {
                    throw Corrupt(path, $"journal line {index + 1} is not valid JSON ({e.Message})", e);
                }
            }
            return entries;
        }

        /// <summary>The bytes of a ledger file, or null when there is none; a non-regular file or one over MaxFileBytes is LedgerInvalid.</summary>
        private static byte[]? ReadBytes(string path)
        {
            try
            {
                if (!File.Exists(path)) return null;
                using var stream = SkillForge.IO.SourceFiles.OpenRegularFile(path);
                return SkillForge.IO.SourceFiles.ReadAtMost(stream, MaxFileBytes, path);
            }
            catch (SkillForgeException e) when (e.ErrorId != ErrorIds.LedgerInvalid)
            {
                throw new SkillForgeException(ErrorIds.LedgerInvalid, FailureCategory.ReadError,
                    $"Cannot read the crystallization ledger '{path}': {e.Message}", path, e);
            }
        }

        private static List<LedgerEntry> ReadEntries(string path)
        {
            var entries = new List<LedgerEntry>();
            var bytes = ReadBytes(path);
            if (bytes == null) return entries;
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

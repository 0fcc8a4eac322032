using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace SkillForge.Embeddings
{
    /// <summary>
    /// Vectors on disk, keyed by model and the SHA-256 of the embedded text, so a re-run embeds nothing it has seen.
    /// Layout: &lt;root&gt;/&lt;model folder&gt;/&lt;2 hex&gt;/&lt;64 hex&gt;.vec, one small file per text ("SFV1", dimensions,
    /// little-endian floats). Safe under concurrent runs: a file is written under a unique temporary name and renamed
    /// into place, so a reader sees a whole vector or none, and two writers of one key write the same bytes. A file
    /// that does not read back whole is a miss. Size-bounded: after a run that wrote, the least recently used files
    /// go until the cache is at most 90% of <see cref="MaxBytes"/> (a hit marks its file used).
    /// </summary>
    public sealed class EmbeddingCache
    {
        public const string DirectoryVariable = "SKILLFORGE_EMBEDDING_CACHE";
        public const long DefaultMaxBytes = 512L * 1024 * 1024;
        private const uint Magic = 0x31564653; // "SFV1"
        private const string Extension = ".vec";

        public EmbeddingCache(string root, long maxBytes = DefaultMaxBytes)
        {
            if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("The cache folder is empty.", nameof(root));
            if (maxBytes < 0) throw new ArgumentOutOfRangeException(nameof(maxBytes));
            Root = Path.GetFullPath(root);
            MaxBytes = maxBytes;
        }

        public string Root { get; }
        public long MaxBytes { get; }

        /// <summary>
        /// $env:SKILLFORGE_EMBEDDING_CACHE, else %LOCALAPPDATA%\SkillForge\embeddings on Windows and
        /// $XDG_CACHE_HOME/skillforge/embeddings (default ~/.cache/skillforge/embeddings) elsewhere.
        /// </summary>
        public static string DefaultDirectory()
        {
            string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return configured!.Trim();
            if (Path.DirectorySeparatorChar == '\\')
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "SkillForge", "embeddings");
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string baseDir = !string.IsNullOrWhiteSpace(xdg) ? xdg! : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDir, "skillforge", "embeddings");
        }

        /// <summary>The file that holds (or would hold) the vector of this text under this model.</summary>
        public string PathOf(string model, string text)
        {
            string hash = TextUtil.Sha256Hex(text);
            return Path.Combine(Root, ModelFolder(model), hash.Substring(0, 2), hash + Extension);
        }

        /// <summary>The cached vector, or null (never cached, or unreadable: treated as not cached).</summary>
        public float[]? TryGet(string model, string text)
        {
            string path = PathOf(model, text);
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
            var vector = Decode(bytes);
            if (vector == null) return null;
            try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { } // still a hit; it just ages sooner
            return vector;
        }

        /// <summary>Stores a vector. Failures to write (disk full, no permission) lose only the cache entry.</summary>
        public bool TryPut(string model, string text, float[] vector)
        {
            if (vector == null) throw new ArgumentNullException(nameof(vector));
            string path = PathOf(model, text);
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(temp, Encode(vector));
                try
                {
                    File.Move(temp, path);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another run stored the same key first: its bytes are the same vector.
                    File.Delete(temp);
                }
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (Exception inner) when (inner is IOException || inner is UnauthorizedAccessException) { }
                return false;
            }
        }

        /// <summary>Total bytes of cached vectors.</summary>
        public long SizeBytes() => Entries().Sum(f => f.Length);

        /// <summary>
        /// Deletes the least recently used files until the cache holds at most 90% of MaxBytes. Returns the
        /// number of files deleted. Files another run deletes at the same time are skipped.
        /// </summary>
        public int Trim()
        {
            var files = Entries().ToList();
            long total = files.Sum(f => f.Length);
            if (total <= MaxBytes) return 0;
            long target = (long)(MaxBytes * 0.9);
            int deleted = 0;
            foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc))
            {
                if (total <= target) break;
                long length = file.Length; // read before Delete, which forgets it
                try
                {
                    file.Delete();
                    deleted++;
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
                total -= length;
            }
            return deleted;
        }

        private IEnumerable<FileInfo> Entries()
        {
            if (!Directory.Exists(Root)) return Enumerable.Empty<FileInfo>();
            return SafeFiles(new DirectoryInfo(Root));
        }

        private static IEnumerable<FileInfo> SafeFiles(DirectoryInfo root)
        {
            FileInfo[] files;
            try { files = root.GetFiles("*" + Extension, SearchOption.AllDirectories); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { files = Array.Empty<FileInfo>(); }
            // GetFiles("*.vec") also matches "*.vec.<guid>.tmp" on some platforms: only whole entries count.
            return files.Where(f => f.Name.EndsWith(Extension, StringComparison.Ordinal));
        }

        /// <summary>A folder name that is safe on every file system and unique per model name.</summary>
        internal static string ModelFolder(string model)
        {
            var sb = new StringBuilder();
            foreach (char c in model ?? "")
            {
                if (sb.Length >= 48) break;
                sb.Append(char.IsLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' ? c : '_');
            }
            return sb.ToString().Trim('.') + "-" + TextUtil.Sha256Hex(model ?? "").Substring(0, 8);
        }

        internal static byte[] Encode(float[] vector)
        {
            var bytes = new byte[8 + 4 * vector.Length];
            WriteUInt32(bytes, 0, Magic);
            WriteUInt32(bytes, 4, (uint)vector.Length);
            for (int i = 0; i < vector.Length; i++)
                WriteUInt32(bytes, 8 + 4 * i, (uint)BitConverter.ToInt32(BitConverter.GetBytes(vector[i]), 0));
            return bytes;
        }

        internal static float[]? Decode(byte[] bytes)
        {
            if (bytes.Length < 8 || ReadUInt32(bytes, 0) != Magic) return null;
            uint count = ReadUInt32(bytes, 4);
            if (count == 0 || bytes.Length != 8 + 4L * count) return null;
            var vector = new float[count];
            for (int i = 0; i < count; i++)
                vector[i] = BitConverter.ToSingle(BitConverter.GetBytes((int)ReadUInt32(bytes, 8 + 4 * i)), 0);
            return vector;
        }

        private static void WriteUInt32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }

        private static uint ReadUInt32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);
    }
}

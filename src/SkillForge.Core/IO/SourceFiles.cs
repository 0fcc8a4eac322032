using System;
using System.IO;
using SkillForge.Diagnostics;

namespace SkillForge.IO
{
    /// <summary>Opens input files: gzip is recognised by its magic bytes, not its name.</summary>
    public static class SourceFiles
    {
        private const int BufferSize = 1 << 16;

        /// <summary>Opens a file for sequential reading, decompressing gzip transparently. Throws SkillForgeException (FileNotFound, FileUnreadable).</summary>
        public static Stream OpenRead(string path)
        {
            var file = OpenRegularFile(path);
            try
            {
                return IsGzip(file) ? new GzipGuardStream(file, path) : (Stream)file;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                file.Dispose();
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                    $"File '{path}' cannot be read: {e.Message}", path, e);
            }
        }

        /// <summary>
        /// Opens a regular file for reading. A folder, named pipe (FIFO), device or socket is refused before it is opened,
        /// since opening a FIFO waits for a writer and a device such as /dev/zero never ends. Throws SkillForgeException
        /// (FileNotFound, FileUnreadable).
        /// </summary>
        public static FileStream OpenRegularFile(string path)
        {
            var kind = FileKind.Of(path);
            if (kind == FileKindValue.Directory)
            {
                // Opening a folder fails with "Access denied", which sends users after permissions instead.
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.InvalidArgument,
                    $"'{path}' is a folder, not a file. Give a file, or pipe the folder's files: Get-ChildItem -File '{path}'.", path);
            }
            if (kind != FileKindValue.Regular && kind != FileKindValue.Unknown)
            {
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.InvalidArgument,
                    $"'{path}' is {FileKind.Describe(kind)}, not a regular file, so it was not opened (reading it could wait or run for ever). " +
                    "Give a regular file; if it is a link, check where it points.", path);
            }
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            }
            catch (FileNotFoundException e)
            {
                throw new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                    $"File '{path}' does not exist. Check the path, or use -LiteralPath for names with wildcard characters.", path, e);
            }
            catch (DirectoryNotFoundException e)
            {
                throw new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                    $"File '{path}' does not exist: its folder is missing.", path, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                    $"File '{path}' cannot be read: {e.Message}", path, e);
            }
            return file;
        }

        /// <summary>
        /// Reads a whole stream, at most <paramref name="maxBytes"/> bytes counted as they are read (a file's reported
        /// length can lie). Throws SkillForgeException (FileUnreadable) past the cap.
        /// </summary>
        public static byte[] ReadAtMost(Stream stream, long maxBytes, string path)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[BufferSize];
            long total = 0;
            try
            {
                int n;
                while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    total += n;
                    if (total > maxBytes)
                        throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.LimitsExceeded,
                            $"'{path}' is larger than {Describe(maxBytes)}, the most SkillForge reads of such a file; it was not read. Is this the right file?", path);
                    buffer.Write(chunk, 0, n);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError, $"File '{path}' cannot be read: {e.Message}", path, e);
            }
            return buffer.ToArray();
        }

        /// <summary>"16 MiB" for a byte count.</summary>
        public static string Describe(long bytes) =>
            bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB"
            : bytes >= 1L << 20 ? (bytes >> 20) + " MiB"
            : bytes + " bytes";

        private static bool IsGzip(FileStream file)
        {
            var magic = new byte[2];
            int read = file.Read(magic, 0, 2);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        }
    }
}

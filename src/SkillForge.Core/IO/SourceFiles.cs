using System;
using System.IO;
using System.IO.Compression;
using SkillForge.Diagnostics;

namespace SkillForge.IO
{
    /// <summary>Opens input files: gzip is recognised by its magic bytes, not its name.</summary>
    public static class SourceFiles
    {
        private const int BufferSize = 1 << 16;

        /// <summary>Opens a file for sequential reading, decompressing gzip transparently.</summary>
        public static Stream OpenRead(string path)
        {
            if (Directory.Exists(path))
            {
                // Opening a folder fails with "Access denied", which sends users after permissions instead.
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.InvalidArgument,
                    $"'{path}' is a folder, not a file. Give a file, or pipe the folder's files: Get-ChildItem -File '{path}'.", path);
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

            try
            {
                return IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                file.Dispose();
                throw new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                    $"File '{path}' cannot be read: {e.Message}", path, e);
            }
        }

        private static bool IsGzip(FileStream file)
        {
            var magic = new byte[2];
            int read = file.Read(magic, 0, 2);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        }
    }
}

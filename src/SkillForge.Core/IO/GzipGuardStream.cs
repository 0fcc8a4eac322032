using System;
using System.IO;
using System.IO.Compression;
using SkillForge.Diagnostics;

namespace SkillForge.IO
{
    /// <summary>
    /// Decompresses a gzip file and checks what GZipStream lets pass: at the end, the gzip trailer (CRC-32 and size of
    /// the data) must match what came out, so a file cut short (even at a flush point, where the data up to the cut
    /// still decompresses) or followed by other bytes is an error; so is a file that changed while it was read, and
    /// one that decompresses to more than <see cref="MaxRatio"/> times its size once past <see cref="RatioFloorBytes"/>
    /// (a gzip bomb). Files of several gzip members (cat a.gz b.gz) are checked member by member by their sizes.
    /// Every failure is SkillForgeException (FileUnreadable), thrown after the data before it was handed out.
    /// </summary>
    public sealed class GzipGuardStream : Stream
    {
        /// <summary>Decompressed size past which the ratio is checked.</summary>
        public const long RatioFloorBytes = 256L * 1024 * 1024;

        /// <summary>The most bytes of data one byte of a .gz may decompress to (past <see cref="RatioFloorBytes"/>).</summary>
        public const int MaxRatio = 250;

        private const int TrailerBytes = 8;
        private const long MaxChainScanBytes = 256L * 1024 * 1024;
        private readonly FileStream _file;
        private readonly GZipStream _inner;
        private readonly string _path;
        private readonly long _length;
        private readonly DateTime _written;
        private uint _crc = Crc32.Initial;
        private long _total;
        private bool _checked;

        public GzipGuardStream(FileStream file, string path)
        {
            _file = file ?? throw new ArgumentNullException(nameof(file));
            _path = path;
            _length = file.Length;
            _written = File.GetLastWriteTimeUtc(path);
            _inner = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        }

        /// <summary>The compressed file (its Position shows how far reading got).</summary>
        public Stream BaseStream => _file;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            if (n > 0)
            {
                _crc = Crc32.Update(_crc, buffer, offset, n);
                _total += n;
                if (_total > RatioFloorBytes && _total > (long)MaxRatio * Math.Max(1, _length))
                    throw Unreadable($"it decompresses to more than {MaxRatio} times its size ({SourceFiles.Describe(_total)} from {SourceFiles.Describe(_length)}), " +
                                     "which real exports never do: it looks like a gzip bomb, so reading stopped. Decompress it yourself if you trust it");
                return n;
            }
            if (!_checked && count > 0)
            {
                _checked = true;
                CheckEnd();
            }
            return 0;
        }

        private void CheckEnd()
        {
            if (_file.Length != _length || File.GetLastWriteTimeUtc(_path) != _written)
                throw Unreadable("it changed while it was being read (another program is writing it). Read it again once it is complete");
            if (_length < 18)
                throw Unreadable("it is truncated: it is too short to hold a gzip trailer. The records before the cut were read; the rest is missing. Copy or download the file again");
            var tail = ReadAt(_length - TrailerBytes, TrailerBytes);
            uint crc = Crc32.Final(_crc);
            if (ReadUInt32(tail, 0) == crc && ReadUInt32(tail, 4) == unchecked((uint)_total)) return;
            if (IsChainOfMembers()) return;
            long extra = FindTrailer(crc);
            if (extra > 0)
                throw Unreadable($"it has {extra} bytes of other data after the end of its gzip data. All its records were read; remove the extra bytes (gzip -dc file | gzip) to silence this");
            throw Unreadable("it is truncated or damaged: its gzip data ends without a matching gzip trailer (gzip -t reports 'unexpected end of file'). " +
                             "The records before the cut were read; the rest of the file is missing. Copy or download it again");
        }

        /// <summary>Several members back to back: every member start (1f 8b 08 after a trailer) and the sizes in the trailers add up to what came out.</summary>
        private bool IsChainOfMembers()
        {
            if (_length > MaxChainScanBytes) return false;
            var bytes = ReadAt(0, (int)_length);
            long sum = 0;
            int members = 0;
            for (int i = TrailerBytes + 10; i + 3 <= bytes.Length; i++)
            {
                if (bytes[i] != 0x1f || bytes[i + 1] != 0x8b || bytes[i + 2] != 0x08) continue;
                sum += ReadUInt32(bytes, i - 4);
                members++;
            }
            if (members == 0) return false;
            sum += ReadUInt32(bytes, bytes.Length - 4);
            return unchecked((uint)sum) == unchecked((uint)_total);
        }

        /// <summary>How many bytes follow a trailer that matches the data (searched in the last 1 MiB), or 0 when there is none.</summary>
        private long FindTrailer(uint crc)
        {
            int window = (int)Math.Min(_length, 1 << 20);
            var bytes = ReadAt(_length - window, window);
            for (int i = bytes.Length - TrailerBytes - 1; i >= 0; i--)
            {
                if (ReadUInt32(bytes, i) == crc && ReadUInt32(bytes, i + 4) == unchecked((uint)_total))
                    return bytes.Length - (i + TrailerBytes);
            }
            return 0;
        }

        private byte[] ReadAt(long position, int count)
        {
            var bytes = new byte[count];
            _file.Position = position;
            int done = 0;
            while (done < count)
            {
                int n = _file.Read(bytes, done, count - done);
                if (n == 0) break;
                done += n;
            }
            return bytes;
        }

        private static uint ReadUInt32(byte[] b, int i) => (uint)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 | b[i + 3] << 24);

        private SkillForgeException Unreadable(string why) =>
            new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.InvalidData, $"'{_path}' is a gzip file, but {why}.", _path);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _total; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _file.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>CRC-32 (IEEE 802.3, as gzip uses), table-driven.</summary>
    internal static class Crc32
    {
        public const uint Initial = 0xFFFFFFFFu;
        private static readonly uint[] Table = Build();

        private static uint[] Build()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[i] = c;
            }
            return table;
        }

        public static uint Update(uint crc, byte[] buffer, int offset, int count)
        {
            var table = Table;
            for (int i = offset, end = offset + count; i < end; i++) crc = table[(crc ^ buffer[i]) & 0xFF] ^ (crc >> 8);
            return crc;
        }

        public static uint Final(uint crc) => crc ^ 0xFFFFFFFFu;
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.IO;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.IO
{
    /// <summary>Special files, cut or padded gzip, and endless lines are errors, never hangs or crashes.</summary>
    public class HostileInputTests
    {
        private static byte[] Gzip(string text, bool flushOnly = false)
        {
            using var memory = new MemoryStream();
            var zip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true);
            var bytes = Encoding.UTF8.GetBytes(text);
            zip.Write(bytes, 0, bytes.Length);
            zip.Flush();
            if (flushOnly) return memory.ToArray();
            zip.Dispose();
            return memory.ToArray();
        }

        private static SkillForgeException? ReadToEnd(string path)
        {
            using var stream = SourceFiles.OpenRead(path);
            stream.CopyTo(Stream.Null);
            return (stream as GzipGuardStream)?.Damage;
        }

        [Fact]
        public void Complete_gzip_passes_and_a_cut_at_a_flush_point_is_truncated()
        {
            using var temp = new TempDir();
            var whole = temp.Write("whole.gz", "");
            File.WriteAllBytes(whole, Gzip("line one\nline two\n"));
            Assert.Null(ReadToEnd(whole));
            var cut = temp.Write("cut.gz", "");
            File.WriteAllBytes(cut, Gzip("line one\n", flushOnly: true));
            var damage = ReadToEnd(cut);
            Assert.NotNull(damage);
            Assert.Equal(ErrorIds.FileUnreadable, damage!.ErrorId);
            Assert.Contains("truncated", damage.Message);
        }

        [Fact]
        public void Bytes_after_the_trailer_are_counted_and_joined_members_pass()
        {
            using var temp = new TempDir();
            var padded = temp.Write("padded.gz", "");
            File.WriteAllBytes(padded, Gzip("a\n").Concat(Encoding.ASCII.GetBytes("xyz")).ToArray());
            Assert.Contains("3 bytes of other data", ReadToEnd(padded)!.Message);
            var joined = temp.Write("joined.gz", "");
            File.WriteAllBytes(joined, Gzip("a\n").Concat(Gzip("b\n")).ToArray());
            Assert.Null(ReadToEnd(joined));
        }

        [Fact]
        public void A_line_over_the_cap_ends_the_file_with_RecordTooLarge()
        {
            var line = new byte[JsonLines.MaxRecordBytes + 10];
            line.AsSpan().Fill((byte)'a');
            using var stream = new MemoryStream(line);
            var e = Assert.Throws<RecordTooLargeException>(() => JsonLines.Read(stream).ToList());
            Assert.Contains("line 1", e.Message);
        }

        [Fact]
        public void Fifos_and_devices_are_refused_before_opening()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            using var temp = new TempDir();
            var fifo = Path.Combine(temp.Path, "pipe");
            using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!) mkfifo.WaitForExit();
            Assert.Equal(FileKindValue.Fifo, FileKind.Of(fifo));
            Assert.Equal(FileKindValue.Device, FileKind.Of("/dev/zero"));
            Assert.Equal(FileKindValue.Regular, FileKind.Of(temp.Write("f.txt", "x")));
            Assert.Equal(FileKindValue.Directory, FileKind.Of(temp.Path));
            var e = Assert.Throws<SkillForgeException>(() => SourceFiles.OpenRead(fifo));
            Assert.Equal(ErrorIds.FileUnreadable, e.ErrorId);
            Assert.Contains("named pipe", e.Message);
        }
    }
}

using System.IO;
using System.Text;

namespace SkillForge.IO
{
    /// <summary>The start of an input file, decoded, so format readers can recognise their records.</summary>
    public sealed class SourceSample
    {
        public const int HeadBytes = 64 * 1024;

        public SourceSample(string fileName, string head)
        {
            FileName = fileName;
            Head = head;
        }

        /// <summary>File name only (no folder), e.g. "transcript.jsonl" or "agent.af".</summary>
        public string FileName { get; }

        /// <summary>Up to the first 64 KiB of the (decompressed) file as text, BOM removed. May end mid-record.</summary>
        public string Head { get; }

        public static SourceSample Read(string path)
        {
            using var stream = SourceFiles.OpenRead(path);
            return Read(stream, Path.GetFileName(path));
        }

        public static SourceSample Read(Stream stream, string fileName)
        {
            var buffer = new byte[HeadBytes];
            return FromHead(buffer, ReadHead(stream, buffer), fileName);
        }

        /// <summary>Fills <paramref name="buffer"/> from the stream (gzip hands out small pieces); returns how many bytes it holds.</summary>
        internal static int ReadHead(Stream stream, byte[] buffer)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = stream.Read(buffer, total, buffer.Length - total);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        /// <summary>The sample of the first <paramref name="count"/> bytes of <paramref name="head"/>, BOM removed.</summary>
        internal static SourceSample FromHead(byte[] head, int count, string fileName)
        {
            int start = count >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
            return new SourceSample(fileName, Encoding.UTF8.GetString(head, start, count - start));
        }
    }
}

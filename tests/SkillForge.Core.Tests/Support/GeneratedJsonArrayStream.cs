using System;
using System.IO;
using System.Text;

namespace SkillForge.Tests.Support
{
    /// <summary>
    /// A forward-only stream that writes a JSON array on the fly, one element a line ("[" on line 1), so that
    /// readers can be fed far more data than a test should hold in memory.
    /// </summary>
    internal sealed class GeneratedJsonArrayStream : Stream
    {
        private readonly int _count;
        private readonly Func<int, string> _element;
        private int _next;
        private byte[] _pending = Encoding.ASCII.GetBytes("[\n");
        private int _offset;

        public GeneratedJsonArrayStream(int count, Func<int, string> element)
        {
            _count = count;
            _element = element;
        }

        /// <summary>How many bytes the readers have taken so far.</summary>
        public long Produced { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_next > _count) return 0;
                _pending = Encoding.UTF8.GetBytes(_next == _count ? "]\n" : _element(_next) + (_next == _count - 1 ? "" : ",") + "\n");
                _next++;
                _offset = 0;
            }
            int n = Math.Min(count, _pending.Length - _offset);
            Buffer.BlockCopy(_pending, _offset, buffer, offset, n);
            _offset += n;
            Produced += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

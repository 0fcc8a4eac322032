using System;
using System.IO;

namespace SkillForge.IO
{
    /// <summary>
    /// A read-only, forward-only stream that hands out bytes already read from a source (for example the sample
    /// taken to recognise a format) and then the rest of that source, so the source need not be seekable.
    /// Disposing it does not dispose the source.
    /// </summary>
    public sealed class PrefixedStream : Stream
    {
        private readonly byte[] _prefix;
        private readonly int _prefixEnd;
        private readonly Stream _rest;
        private int _offset;

        /// <param name="prefix">The bytes to hand out first.</param>
        /// <param name="count">How many bytes of <paramref name="prefix"/>, from its start, to hand out.</param>
        /// <param name="rest">Where the bytes come from after the prefix.</param>
        public PrefixedStream(byte[] prefix, int count, Stream rest)
        {
            _prefix = prefix ?? throw new ArgumentNullException(nameof(prefix));
            if (count < 0 || count > prefix.Length) throw new ArgumentOutOfRangeException(nameof(count));
            _prefixEnd = count;
            _rest = rest ?? throw new ArgumentNullException(nameof(rest));
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset < _prefixEnd)
            {
                int n = Math.Min(count, _prefixEnd - _offset);
                Buffer.BlockCopy(_prefix, _offset, buffer, offset, n);
                _offset += n;
                return n;
            }
            return _rest.Read(buffer, offset, count);
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

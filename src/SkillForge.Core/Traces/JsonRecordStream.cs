using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using SkillForge.IO;

namespace SkillForge.Traces
{
    /// <summary>How a JSON input file holds its records.</summary>
    public enum JsonRecordLayout
    {
        /// <summary>One JSON value per line.</summary>
        JsonLines,
        /// <summary>A top-level JSON array of records.</summary>
        Array,
        /// <summary>A top-level object with an array property (e.g. "events") holding the records.</summary>
        Container,
        /// <summary>JSON values one after another, spread over several lines each (e.g. ConvertTo-Json output per object).</summary>
        Concatenated,
    }

    /// <summary>One record read from a JSON input: a parsed document, or why it could not be parsed.</summary>
    public sealed class JsonRecord : IDisposable
    {
        internal JsonRecord(long lineNumber, JsonDocument? document, string? error, string? snippet)
        {
            LineNumber = lineNumber;
            Document = document;
            Error = error;
            Snippet = snippet;
        }

        /// <summary>1-based line where the record starts.</summary>
        public long LineNumber { get; }
        public JsonDocument? Document { get; }
        public string? Error { get; }
        public string? Snippet { get; }

        public void Dispose() => Document?.Dispose();
    }

    /// <summary>
    /// Streams the records of a JSON array, of an object holding one array property, or of a JSON Lines file,
    /// without loading the file: only one record is in memory at a time. Each array element is cut out by a
    /// byte scanner that knows strings and comments, then parsed on its own, so a malformed element is an error
    /// for that element only and the elements after it are still read.
    /// </summary>
    public sealed class JsonRecordStream
    {
        private static readonly JsonDocumentOptions ParseOptions = new JsonDocumentOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = 256,
        };

        private readonly string[] _containerProperties;

        /// <param name="containerProperties">
        /// Property names (compared after <see cref="TraceFieldNames.Normalize"/>) that hold the records when the
        /// file is one JSON object, e.g. "events".
        /// </param>
        public JsonRecordStream(params string[] containerProperties)
        {
            _containerProperties = containerProperties;
        }

        /// <summary>The layout found, once <see cref="Read"/> has started.</summary>
        public JsonRecordLayout Layout { get; private set; } = JsonRecordLayout.JsonLines;

        /// <summary>String and number properties of the container object that come before its record array.</summary>
        public IReadOnlyDictionary<string, string> ContainerProperties => _containerValues;

        private readonly Dictionary<string, string> _containerValues = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Yields every record. The caller disposes each one.</summary>
        public IEnumerable<JsonRecord> Read(Stream stream, CancellationToken cancellationToken = default)
        {
            var source = new ByteSource(stream);
            // Record from the very start, so that JSON Lines input is handed on whole (BOM and blank lines
            // included) and its line numbers stay right.
            source.StartRecording();
            source.SkipBom();
            source.SkipWhitespace();
            int first = source.Peek();
            if (first < 0) yield break;

            if (first == '[')
            {
                source.StopRecording();
                Layout = JsonRecordLayout.Array;
                source.Next();
                foreach (var record in ReadElements(source, cancellationToken, topLevel: true)) yield return record;
                yield break;
            }

            if (first == '{')
            {
                long firstLine = source.Line;
                var look = FindContainerArray(source);
                if (look == LookAhead.Container)
                {
                    source.StopRecording();
                    Layout = JsonRecordLayout.Container;
                    foreach (var record in ReadElements(source, cancellationToken, topLevel: false)) yield return record;
                    yield break;
                }
                if (look == LookAhead.Closed && source.Line > firstLine)
                {
                    // The first object spans lines: read whole values, not lines, from the start again.
                    var recorded = source.StopRecording();
                    var all = new PrefixedStream(recorded, source.RemainingBuffer(), stream);
                    Layout = JsonRecordLayout.Concatenated;
                    foreach (var record in ReadValues(new ByteSource(all), cancellationToken)) yield return record;
                    yield break;
                }
            }

            var prefix = source.StopRecording();
            stream = new PrefixedStream(prefix, source.RemainingBuffer(), stream);
            Layout = JsonRecordLayout.JsonLines;
            foreach (var line in JsonLines.Read(stream, cancellationToken))
                yield return new JsonRecord(line.LineNumber, line.Document, line.Error, line.Snippet);
        }

        private enum LookAhead { Container, Closed, Unknown }

        /// <summary>
        /// Scans the top-level object for a container property whose value is an array. Leaves the source just
        /// after that array's '[' (Container); otherwise stops where the object closes (Closed, just after its '}')
        /// or where the data stops making sense or ends (Unknown).
        /// </summary>
        private LookAhead FindContainerArray(ByteSource source)
        {
            source.Next(); // '{'
            while (true)
            {
                source.SkipWhitespaceAndComments();
                int c = source.Peek();
                if (c == ',') { source.Next(); continue; }
                if (c == '}')
                {
                    source.Next();
                    return LookAhead.Closed;
                }
                if (c != '"') return LookAhead.Unknown;
                string? name = source.ReadString();
                if (name == null) return LookAhead.Unknown;
                source.SkipWhitespaceAndComments();
                if (source.Next() != ':') return LookAhead.Unknown;
                source.SkipWhitespaceAndComments();
                c = source.Peek();
                string normalized = TraceFieldNames.Normalize(name);
                if (c == '[' && Array.IndexOf(_containerProperties, normalized) >= 0)
                {
                    source.Next();
                    return LookAhead.Container;
                }
                if (c == '"')
                {
                    string? value = source.ReadString();
                    if (value == null) return LookAhead.Unknown;
                    _containerValues[normalized] = value;
                    continue;
                }
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    var sb = new StringBuilder();
                    while (true)
                    {
                        int d = source.Peek();
                        if (d < 0 || d == ',' || d == '}' || d == ' ' || d == '\t' || d == '\r' || d == '\n' || d == '/') break;
                        sb.Append((char)source.Next());
                    }
                    _containerValues[normalized] = sb.ToString();
                    continue;
                }
                if (!source.SkipValue()) return LookAhead.Unknown;
            }
        }

        /// <summary>Top-level JSON values one after another, each parsed on its own.</summary>
        private static IEnumerable<JsonRecord> ReadValues(ByteSource source, CancellationToken cancellationToken)
        {
            var value = new MemoryStream();
            source.SkipBom();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                source.SkipWhitespaceAndComments();
                if (source.Peek() < 0) yield break;
                long line = source.Line;
                value.SetLength(0);
                bool complete = source.CopyTopLevelValue(value);
                var bytes = value.GetBuffer();
                int length = (int)value.Length;
                JsonDocument? doc = null;
                string? error = null;
                try
                {
                    doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, 0, length), ParseOptions);
                }
                catch (JsonException e)
                {
                    error = e.Message;
                }
                catch (ArgumentException e)
                {
                    error = e.Message;
                }
                if (error != null && !complete)
                    error = "The file ends inside this record; it is probably truncated. " + error;
                yield return new JsonRecord(line, doc, error, error == null ? null : Snippet(bytes, length));
                if (!complete) yield break;
            }
        }

        private IEnumerable<JsonRecord> ReadElements(ByteSource source, CancellationToken cancellationToken, bool topLevel)
        {
            var element = new MemoryStream();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                source.SkipWhitespaceAndComments();
                int c = source.Peek();
                if (c < 0)
                {
                    yield return new JsonRecord(source.Line, null,
                        "The file ends before its JSON array is closed; it is probably truncated. The records before this point were read.", null);
                    yield break;
                }
                if (c == ']')
                {
                    source.Next();
                    break;
                }
                if (c == ',')
                {
                    source.Next();
                    continue;
                }

                long line = source.Line;
                element.SetLength(0);
                bool closed = source.CopyElement(element);
                var bytes = element.GetBuffer();
                int length = (int)element.Length;
                JsonDocument? doc = null;
                string? error = null;
                try
                {
                    doc = JsonDocument.Parse(new ReadOnlyMemory<byte>(bytes, 0, length), ParseOptions);
                }
                catch (JsonException e)
                {
                    error = e.Message;
                }
                catch (ArgumentException e)
                {
                    error = e.Message; // invalid UTF-8
                }
                if (error != null && !closed)
                    error = "The file ends inside this record; it is probably truncated. " + error;
                yield return new JsonRecord(line, doc, error, error == null ? null : Snippet(bytes, length));
                if (!closed) yield break;
            }

            if (topLevel)
            {
                source.SkipWhitespaceAndComments();
                if (source.Peek() >= 0)
                {
                    long line = source.Line;
                    element.SetLength(0);
                    source.CopyElement(element);
                    yield return new JsonRecord(line, null,
                        "Unexpected content after the closing ']' of the JSON array; it was not read.", Snippet(element.GetBuffer(), (int)element.Length));
                }
            }
        }

        private static string Snippet(byte[] bytes, int length)
        {
            int n = Math.Min(length, JsonLines.SnippetLength * 4);
            string text = Encoding.UTF8.GetString(bytes, 0, n);
            return TextUtil.Truncate(text, JsonLines.SnippetLength);
        }

        /// <summary>A forward-only byte reader with one byte of look-ahead, line counting and optional recording.</summary>
        private sealed class ByteSource
        {
            private readonly Stream _stream;
            private readonly byte[] _buffer = new byte[1 << 16];
            private int _pos, _end;
            private bool _eof;
            private MemoryStream? _recording;

            public ByteSource(Stream stream) => _stream = stream;

            public long Line { get; private set; } = 1;

            public int Peek()
            {
                if (_pos < _end) return _buffer[_pos];
                if (_eof) return -1;
                if (_recording != null) _recording.Write(_buffer, 0, _end);
                _pos = 0;
                _end = _stream.Read(_buffer, 0, _buffer.Length);
                if (_end <= 0)
                {
                    _end = 0;
                    _eof = true;
                    return -1;
                }
                return _buffer[0];
            }

            public int Next()
            {
                int c = Peek();
                if (c < 0) return -1;
                _pos++;
                if (c == '\n') Line++;
                return c;
            }

            public void StartRecording()
            {
                // Record from the current position: drop what was consumed before it.
                _recording = new MemoryStream();
                Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
                _end -= _pos;
                _pos = 0;
            }

            /// <summary>Stops recording and returns the bytes recorded before the current buffer.</summary>
            public byte[] StopRecording()
            {
                var recorded = _recording?.ToArray() ?? Array.Empty<byte>();
                _recording = null;
                return recorded;
            }

            /// <summary>The buffered bytes not yet consumed, from the start of the current buffer when recording stopped.</summary>
            public byte[] RemainingBuffer()
            {
                // After StopRecording following a look-ahead, the whole current buffer belongs to the output
                // (the recording holds only earlier buffers), so hand back all of it.
                var rest = new byte[_end];
                Buffer.BlockCopy(_buffer, 0, rest, 0, _end);
                return rest;
            }

            public void SkipBom()
            {
                if (Peek() != 0xEF) return;
                // A BOM is three bytes at the very start; a stream may hand them over one read at a time.
                while (_end - _pos < 3)
                {
                    int before = _end;
                    Compact();
                    if (_end == before) break;
                }
                if (_end - _pos >= 3 && _buffer[_pos + 1] == 0xBB && _buffer[_pos + 2] == 0xBF) _pos += 3;
            }

            public void SkipWhitespace()
            {
                while (true)
                {
                    int c = Peek();
                    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') Next();
                    else return;
                }
            }

            public void SkipWhitespaceAndComments()
            {
                while (true)
                {
                    SkipWhitespace();
                    if (Peek() != '/') return;
                    if (!SkipComment(null)) return;
                }
            }

            /// <summary>At a '/': skips a // or /* */ comment (copying it when copy is given). False if it is not one.</summary>
            private bool SkipComment(MemoryStream? copy)
            {
                if (_pos + 1 >= _end)
                {
                    // Make sure the byte after '/' is buffered.
                    Compact();
                }
                if (_pos + 1 >= _end) return false;
                byte second = _buffer[_pos + 1];
                if (second != '/' && second != '*') return false;
                Put(copy, Next());
                Put(copy, Next());
                if (second == '/')
                {
                    while (true)
                    {
                        int c = Peek();
                        if (c < 0 || c == '\n') return true;
                        Put(copy, Next());
                    }
                }
                int prev = -1;
                while (true)
                {
                    int c = Next();
                    if (c < 0) return true;
                    Put(copy, c);
                    if (prev == '*' && c == '/') return true;
                    prev = c;
                }
            }

            private void Compact()
            {
                if (_eof) return;
                if (_recording != null) _recording.Write(_buffer, 0, _pos);
                Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
                _end -= _pos;
                _pos = 0;
                int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (n <= 0) _eof = _end == 0;
                else _end += n;
            }

            private static void Put(MemoryStream? copy, int c)
            {
                if (copy != null && c >= 0) copy.WriteByte((byte)c);
            }

            /// <summary>At a '"': reads a JSON string. Null when the data ends inside it or it is malformed.</summary>
            public string? ReadString()
            {
                var bytes = new MemoryStream();
                bytes.WriteByte((byte)Next());
                while (true)
                {
                    int c = Next();
                    if (c < 0) return null;
                    bytes.WriteByte((byte)c);
                    if (c == '\\')
                    {
                        int e = Next();
                        if (e < 0) return null;
                        bytes.WriteByte((byte)e);
                    }
                    else if (c == '"') break;
                }
                try
                {
                    var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(bytes.GetBuffer(), 0, (int)bytes.Length));
                    return reader.Read() ? reader.GetString() : null;
                }
                catch (Exception e) when (e is JsonException || e is InvalidOperationException)
                {
                    return null;
                }
            }

            /// <summary>
            /// Copies one top-level value: an object or array up to its closing bracket, anything else up to the
            /// next blank. False when the data ends inside it.
            /// </summary>
            public bool CopyTopLevelValue(MemoryStream target)
            {
                int first = Peek();
                if (first == '{' || first == '[') return Scan(target, topLevel: true);
                while (true)
                {
                    int c = Peek();
                    if (c < 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n') return true;
                    Put(target, Next());
                }
            }

            /// <summary>Skips one JSON value of any kind. False when the data ends inside it.</summary>
            public bool SkipValue() => Scan(null, topLevel: false);

            /// <summary>Copies one array element up to (not including) the ',' or ']' that ends it. False when the data ends first.</summary>
            public bool CopyElement(MemoryStream target) => Scan(target, topLevel: false);

            /// <summary>
            /// Walks one value over the buffer in bulk, copying it to target (when given). Inside an array or object
            /// (topLevel false) the value ends before a ',', ']' or '}' at its own level; a top-level value ends just
            /// after the bracket that closes it. Strings and comments are skipped over, so brackets in them do not count.
            /// </summary>
            private bool Scan(MemoryStream? target, bool topLevel)
            {
                int depth = 0;
                bool inString = false, escape = false;
                while (true)
                {
                    if (_pos >= _end && Peek() < 0)
                    {
                        TrimTrailingWhitespace(target);
                        return !inString && depth == 0;
                    }
                    int start = _pos, i = _pos;
                    bool stop = false, comment = false;
                    for (; i < _end; i++)
                    {
                        byte c = _buffer[i];
                        if (c == (byte)'\n') Line++;
                        if (inString)
                        {
                            if (escape) escape = false;
                            else if (c == (byte)'\\') escape = true;
                            else if (c == (byte)'"') inString = false;
                            continue;
                        }
                        if (c == (byte)'"') inString = true;
                        else if (c == (byte)'{' || c == (byte)'[') depth++;
                        else if (c == (byte)'}' || c == (byte)']')
                        {
                            if (depth == 0 && !topLevel) { stop = true; break; }
                            depth--;
                            if (depth == 0 && topLevel) { i++; stop = true; break; }
                        }
                        else if (c == (byte)',' && depth == 0 && !topLevel) { stop = true; break; }
                        else if (c == (byte)'/') { comment = true; break; }
                    }
                    target?.Write(_buffer, start, i - start);
                    _pos = i;
                    if (stop)
                    {
                        TrimTrailingWhitespace(target);
                        return true;
                    }
                    if (comment && !SkipComment(target)) Put(target, Next());
                }
            }

            private static void TrimTrailingWhitespace(MemoryStream? target)
            {
                if (target == null) return;
                var buffer = target.GetBuffer();
                long n = target.Length;
                while (n > 0 && (buffer[n - 1] == ' ' || buffer[n - 1] == '\t' || buffer[n - 1] == '\r' || buffer[n - 1] == '\n')) n--;
                target.SetLength(n);
            }
        }

        /// <summary>Bytes already read, then the rest of the underlying stream.</summary>
        private sealed class PrefixedStream : Stream
        {
            private readonly byte[] _first, _second;
            private readonly Stream _rest;
            private int _firstPos, _secondPos;

            public PrefixedStream(byte[] first, byte[] second, Stream rest)
            {
                _first = first;
                _second = second;
                _rest = rest;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_firstPos < _first.Length)
                {
                    int n = Math.Min(count, _first.Length - _firstPos);
                    Buffer.BlockCopy(_first, _firstPos, buffer, offset, n);
                    _firstPos += n;
                    return n;
                }
                if (_secondPos < _second.Length)
                {
                    int n = Math.Min(count, _second.Length - _secondPos);
                    Buffer.BlockCopy(_second, _secondPos, buffer, offset, n);
                    _secondPos += n;
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
}

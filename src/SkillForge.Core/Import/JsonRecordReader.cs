using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Import
{
    /// <summary>How the records of a JSON export are laid out.</summary>
    public enum JsonRecordLayout
    {
        /// <summary>Not decided yet (before the first MoveNext).</summary>
        Unknown,
        /// <summary>Nothing but whitespace (or a BOM).</summary>
        Empty,
        /// <summary>One JSON object per line.</summary>
        JsonLines,
        /// <summary>A JSON array of records, an object holding one (<c>memories</c>, <c>docs</c>, <c>items</c>), or pretty-printed objects one after another.</summary>
        Document,
    }

    /// <summary>
    /// Splits a JSON or JSON Lines stream into its records without ever holding more than one record (plus a read
    /// buffer) in memory. Recognises JSON Lines, a JSON array, a wrapper object holding the array under
    /// <c>memories</c>, <c>docs</c> or <c>items</c>, and pretty-printed objects one after another. Each record comes
    /// with the 1-based line where it starts. A malformed JSON Lines line or an array element that is not an object
    /// is a <see cref="RecordError"/> and reading goes on; a syntax error inside an array cannot be skipped safely,
    /// so it ends the file with a <see cref="SkillForgeException"/> (ErrorIds.ImportInvalidJson) after every record
    /// before it has been returned.
    /// </summary>
    public sealed class JsonRecordReader
    {
        /// <summary>Property names of a wrapper object that hold the array of records (compared after normalising).</summary>
        public static readonly IReadOnlyList<string> WrapperNames = new[] { "memories", "docs", "items" };

        private static readonly byte[][] WrapperNamesUtf8 = { Encoding.ASCII.GetBytes("memories"), Encoding.ASCII.GetBytes("docs"), Encoding.ASCII.GetBytes("items") };
        private static readonly byte[][] TextNamesUtf8 = { Encoding.ASCII.GetBytes("text"), Encoding.ASCII.GetBytes("content"), Encoding.ASCII.GetBytes("memory"), Encoding.ASCII.GetBytes("value") };

        internal const string MoreThanOneValue = "holds more than one JSON value (JSON Lines needs exactly one object per line).";

        internal static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = 256,
            AllowMultipleValues = true,
        };

        private enum Context { Records, Wrapper }

        private enum Step { Continue, NeedMore, Produced, End }

        private enum Peek { NeedMore, Wrapper, Record, Invalid }

        private readonly Stream _stream;
        private readonly string _sourceFile;
        private readonly CancellationToken _cancellationToken;
        private readonly List<Context> _contexts = new List<Context>();
        private byte[] _buffer;
        private int _pos, _end;
        private bool _eof;
        private int _lineMark;
        private long _line = 1;
        private long _documentStartLine = 1;
        private JsonReaderState _state = new JsonReaderState(ReaderOptions);
        private int _recordStart, _recordLength;

        public JsonRecordReader(Stream stream, string sourceFile, CancellationToken cancellationToken = default, int bufferSize = 1 << 16)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            _sourceFile = sourceFile ?? throw new ArgumentNullException(nameof(sourceFile));
            _cancellationToken = cancellationToken;
            _buffer = new byte[Math.Max(16, bufferSize)];
        }

        public JsonRecordLayout Layout { get; private set; }

        /// <summary>The raw UTF-8 bytes of the current record: one complete JSON object. Valid until the next MoveNext.</summary>
        public ReadOnlySpan<byte> Record => new ReadOnlySpan<byte>(_buffer, _recordStart, _recordLength);

        /// <summary>The 1-based line where the current record starts.</summary>
        public long Line { get; private set; }

        /// <summary>Set instead of <see cref="Record"/> when the current item could not be read as a record.</summary>
        public RecordError? Error { get; private set; }

        /// <summary>
        /// When false, a JSON Lines line is handed over without being parsed here: <see cref="Record"/> may then be
        /// malformed or not an object, and the caller, which parses every record anyway, must report that (this
        /// saves one parse per line). Comment lines are still skipped, and arrays and wrappers are always checked.
        /// Default true.
        /// </summary>
        public bool CheckLines { get; set; } = true;

        /// <summary>Size of the read buffer now: it grows only to hold the largest single record.</summary>
        internal int BufferCapacity => _buffer.Length;

        /// <summary>Moves to the next record or bad record. False at the end of the stream.</summary>
        public bool MoveNext()
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Error = null;
            _recordLength = 0;
            if (Layout == JsonRecordLayout.Unknown) Layout = DetectLayout();
            switch (Layout)
            {
                case JsonRecordLayout.JsonLines: return MoveNextLine();
                case JsonRecordLayout.Document: return MoveNextInDocument();
                default: return false;
            }
        }

        /// <summary>The start of the given bytes as text (at most 200 characters), for error messages.</summary>
        public static string Snippet(ReadOnlySpan<byte> bytes)
        {
            int length = Math.Min(bytes.Length, SnippetBytes);
            var text = Encoding.UTF8.GetString(bytes.Slice(0, length).ToArray());
            return TextUtil.Truncate(text.Trim(), IO.JsonLines.SnippetLength);
        }

        private const int SnippetBytes = IO.JsonLines.SnippetLength * 4;

        // ---------------------------------------------------------------- layout

        private JsonRecordLayout DetectLayout()
        {
            Fill();
            if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF) _pos = _lineMark = 3;
            while (true)
            {
                while (_pos < _end && IsWhitespace(_buffer[_pos])) _pos++;
                if (_pos < _end) break;
                if (_eof) return JsonRecordLayout.Empty;
                Refill();
            }

            _documentStartLine = LineAt(_pos);
            byte first = _buffer[_pos];
            if (first == (byte)'[') return JsonRecordLayout.Document;
            if (first != (byte)'{') throw NotJson();

            while (true)
            {
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _pos, _end - _pos), _eof, new JsonReaderState(ReaderOptions));
                var peek = PeekObject(ref reader, out int length);
                switch (peek)
                {
                    case Peek.NeedMore:
                        if (_eof) return JsonRecordLayout.JsonLines;
                        Refill();
                        continue;
                    case Peek.Wrapper:
                        return JsonRecordLayout.Document;
                    case Peek.Record:
                        // One object on one line is JSON Lines; an object spread over lines is a document.
                        return Array.IndexOf(_buffer, (byte)'\n', _pos, length) < 0 ? JsonRecordLayout.JsonLines : JsonRecordLayout.Document;
                    default:
                        return JsonRecordLayout.JsonLines;
                }
            }
        }

        /// <summary>Looks at an object from its start: is it a wrapper (holds a records array) or a record?</summary>
        private static Peek PeekObject(ref Utf8JsonReader reader, out int length)
        {
            length = 0;
            bool sawText = false;
            try
            {
                if (!reader.Read()) return Peek.NeedMore;
                if (reader.TokenType != JsonTokenType.StartObject) return Peek.Invalid;
                while (true)
                {
                    if (!reader.Read()) return Peek.NeedMore;
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        length = (int)reader.BytesConsumed;
                        return Peek.Record;
                    }
                    bool wrapperName = !sawText && NameIsOneOf(ref reader, WrapperNamesUtf8);
                    sawText |= NameIsOneOf(ref reader, TextNamesUtf8);
                    if (!reader.Read()) return Peek.NeedMore;
                    if (wrapperName && reader.TokenType == JsonTokenType.StartArray) return Peek.Wrapper;
                    if (!reader.TrySkip()) return Peek.NeedMore;
                }
            }
            catch (JsonException)
            {
                return Peek.Invalid;
            }
        }

        // ---------------------------------------------------------------- JSON Lines

        private bool MoveNextLine()
        {
            while (true)
            {
                int newline = _end > _pos ? Array.IndexOf(_buffer, (byte)'\n', _pos, _end - _pos) : -1;
                if (newline < 0 && !_eof)
                {
                    Refill();
                    continue;
                }
                if (newline < 0 && _pos == _end) return false;

                int start = _pos, end = newline < 0 ? _end : newline;
                _pos = newline < 0 ? _end : newline + 1;
                while (end > start && (_buffer[end - 1] == (byte)'\r' || _buffer[end - 1] == (byte)' ' || _buffer[end - 1] == (byte)'\t')) end--;
                while (start < end && (_buffer[start] == (byte)' ' || _buffer[start] == (byte)'\t')) start++;
                if (start == end) continue;

                var line = new ReadOnlySpan<byte>(_buffer, start, end - start);
                if (!CheckLines && line[0] != (byte)'/')
                {
                    Line = LineAt(start);
                    _recordStart = start;
                    _recordLength = end - start;
                    return true;
                }
                if (!ValidateLine(line, out string? problem)) continue;
                Line = LineAt(start);
                if (problem == null)
                {
                    _recordStart = start;
                    _recordLength = end - start;
                }
                else
                {
                    Error = new RecordError(ErrorIds.ImportInvalidRecord,
                        $"Line {Line} of '{_sourceFile}' {problem} Fix or remove that line; the other lines were imported.",
                        _sourceFile, Line, Snippet(line));
                }
                return true;
            }
        }

        /// <summary>
        /// False for a line holding only a comment (skipped like a blank line). Otherwise problem is null when the
        /// line is exactly one JSON object, else what is wrong with it.
        /// </summary>
        private static bool ValidateLine(ReadOnlySpan<byte> line, out string? problem)
        {
            problem = null;
            var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(ReaderOptions));
            try
            {
                if (!reader.Read()) return false;
                var kind = reader.TokenType;
                reader.Skip();
                if (reader.Read()) problem = MoreThanOneValue;
                else if (kind != JsonTokenType.StartObject) problem = $"is {Describe(kind)}, not a JSON object.";
            }
            catch (JsonException e)
            {
                problem = $"is not valid JSON: {TrimJsonMessage(e)}";
            }
            return true;
        }

        // ---------------------------------------------------------------- JSON document (array, wrapper, pretty objects)

        private bool MoveNextInDocument()
        {
            while (true)
            {
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _pos, _end - _pos), _eof, _state);
                Step step;
                try
                {
                    step = StepOnce(ref reader);
                }
                catch (JsonException e)
                {
                    throw SyntaxError(e);
                }
                switch (step)
                {
                    case Step.NeedMore:
                        if (_eof) throw Truncated();
                        Refill();
                        break;
                    case Step.Produced:
                        return true;
                    case Step.End:
                        return false;
                }
            }
        }

        /// <summary>
        /// Reads one structural step from the committed position. Either commits (state and position move on) or
        /// returns NeedMore without committing, so the step is retried whole after the buffer is refilled.
        /// </summary>
        private Step StepOnce(ref Utf8JsonReader reader)
        {
            if (!reader.Read())
            {
                if (_eof && _contexts.Count == 0) return Step.End;
                if (_eof) throw Truncated();
                return Step.NeedMore;
            }
            int tokenStart = (int)reader.TokenStartIndex;
            var token = reader.TokenType;

            if (_contexts.Count == 0)
            {
                if (token == JsonTokenType.StartArray)
                {
                    _contexts.Add(Context.Records);
                    Commit(ref reader);
                    return Step.Continue;
                }
                if (token == JsonTokenType.StartObject)
                {
                    var peekReader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _pos + tokenStart, _end - _pos - tokenStart), _eof, new JsonReaderState(ReaderOptions));
                    var peek = PeekObject(ref peekReader, out _);
                    if (peek == Peek.NeedMore) return Step.NeedMore;
                    if (peek == Peek.Wrapper)
                    {
                        _contexts.Add(Context.Wrapper);
                        Commit(ref reader);
                        return Step.Continue;
                    }
                }
                return Element(ref reader, token, tokenStart, "top-level value");
            }

            if (_contexts[_contexts.Count - 1] == Context.Records)
            {
                if (token == JsonTokenType.EndArray)
                {
                    _contexts.RemoveAt(_contexts.Count - 1);
                    Commit(ref reader);
                    return Step.Continue;
                }
                return Element(ref reader, token, tokenStart, "array element");
            }

            // Inside a wrapper object: find the records array, skip everything else.
            if (token == JsonTokenType.EndObject)
            {
                _contexts.RemoveAt(_contexts.Count - 1);
                Commit(ref reader);
                return Step.Continue;
            }
            bool isRecords = NameIsOneOf(ref reader, WrapperNamesUtf8);
            if (!reader.Read()) return Step.NeedMore;
            if (isRecords && reader.TokenType == JsonTokenType.StartArray)
            {
                _contexts.Add(Context.Records);
                Commit(ref reader);
                return Step.Continue;
            }
            if (!reader.TrySkip()) return Step.NeedMore;
            Commit(ref reader);
            return Step.Continue;
        }

        /// <summary>A value where a record belongs: an object is a record, anything else a record error.</summary>
        private Step Element(ref Utf8JsonReader reader, JsonTokenType token, int tokenStart, string where)
        {
            if (!reader.TrySkip()) return Step.NeedMore;
            int length = (int)reader.BytesConsumed - tokenStart;
            Line = LineAt(_pos + tokenStart);
            if (token == JsonTokenType.StartObject)
            {
                _recordStart = _pos + tokenStart;
                _recordLength = length;
            }
            else
            {
                Error = new RecordError(ErrorIds.ImportInvalidRecord,
                    $"The {where} at line {Line} of '{_sourceFile}' is {Describe(token)}, not a JSON object. Each record must be an object such as {{\"id\": \"...\", \"text\": \"...\"}}; the other records were imported.",
                    _sourceFile, Line, Snippet(new ReadOnlySpan<byte>(_buffer, _pos + tokenStart, length)));
            }
            Commit(ref reader);
            return Step.Produced;
        }

        private void Commit(ref Utf8JsonReader reader)
        {
            _state = reader.CurrentState;
            _pos += (int)reader.BytesConsumed;
        }

        // ---------------------------------------------------------------- buffer

        /// <summary>
        /// Reads until the buffer is full or the stream ends. Filling it whole (gzip hands out small pieces) keeps
        /// the rescans of a record that spans refills linear: each refill then doubles what is buffered.
        /// </summary>
        private void Fill()
        {
            while (_end < _buffer.Length && !_eof)
            {
                int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (n == 0) _eof = true;
                _end += n;
            }
        }

        /// <summary>Drops the bytes before the committed position, grows the buffer if one record fills it, reads more.</summary>
        private void Refill()
        {
            if (_eof) return;
            _cancellationToken.ThrowIfCancellationRequested(); // a record of many megabytes takes many refills
            LineAt(_pos);
            if (_pos > 0)
            {
                Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
                _end -= _pos;
                _lineMark -= _pos;
                _pos = 0;
            }
            if (_end == _buffer.Length) Array.Resize(ref _buffer, checked(_buffer.Length * 2));
            Fill();
        }

        /// <summary>The 1-based line of a buffer index at or after every index asked before.</summary>
        private long LineAt(int index)
        {
            var span = new ReadOnlySpan<byte>(_buffer, _lineMark, index - _lineMark);
            int at;
            while ((at = span.IndexOf((byte)'\n')) >= 0)
            {
                _line++;
                span = span.Slice(at + 1);
            }
            _lineMark = index;
            return _line;
        }

        // ---------------------------------------------------------------- helpers

        private static bool NameIsOneOf(ref Utf8JsonReader reader, byte[][] names)
        {
            Span<byte> normalized = stackalloc byte[32];
            int length;
            if (reader.ValueIsEscaped)
            {
                string name = reader.GetString() ?? "";
                length = JsonFields.NormalizeUtf8(Encoding.UTF8.GetBytes(name), normalized);
            }
            else
            {
                length = JsonFields.NormalizeUtf8(reader.ValueSpan, normalized);
            }
            if (length < 0) return false;
            var candidate = normalized.Slice(0, length);
            foreach (var name in names)
            {
                if (candidate.SequenceEqual(name)) return true;
            }
            return false;
        }

        private static bool IsWhitespace(byte b) => b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == (byte)'\n';

        internal static string Describe(JsonTokenType token) => token switch
        {
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => "null",
            _ => "not a value",
        };

        internal static string TrimJsonMessage(JsonException e)
        {
            // System.Text.Json appends its own (0-based) position; SkillForge names the line itself.
            string message = e.Message;
            int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return at > 0 ? message.Substring(0, at) : message;
        }

        private SkillForgeException SyntaxError(JsonException e)
        {
            // The reader counts lines (0-based) from where the document starts.
            long line = _documentStartLine + (e.LineNumber ?? 0);
            return new SkillForgeException(ErrorIds.ImportInvalidJson, FailureCategory.InvalidData,
                $"'{_sourceFile}' has a JSON syntax error at line {line}: {TrimJsonMessage(e)} " +
                "The records before it were imported; the rest of the file was not. Fix the file and import it again.",
                _sourceFile, e);
        }

        private SkillForgeException Truncated() =>
            new SkillForgeException(ErrorIds.ImportInvalidJson, FailureCategory.InvalidData,
                $"'{_sourceFile}' ends in the middle of a JSON value (the file is truncated). " +
                "The records before the end were imported; export the memories again to get the rest.",
                _sourceFile);

        private SkillForgeException NotJson()
        {
            int length = Math.Min(_end - _pos, 16);
            var head = new ReadOnlySpan<byte>(_buffer, _pos, length);
            string why;
            if (length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
                why = "it is UTF-16 text. Save it as UTF-8 (for example: Get-Content <file> | Set-Content -Encoding utf8 <new file>)";
            else if (LooksBinary(new ReadOnlySpan<byte>(_buffer, _pos, Math.Min(_end - _pos, 4096))))
                why = "it looks like a binary file, not text";
            else
                why = $"it does not start with '[' or '{{' (it starts with \"{TextUtil.Truncate(Encoding.UTF8.GetString(head.ToArray()), 16)}\")";
            return new SkillForgeException(ErrorIds.ImportInvalidJson, FailureCategory.InvalidData,
                $"'{_sourceFile}' is not a JSON or JSON Lines memory export: {why}. " +
                "Give a .json, .jsonl or gzip-compressed export.", _sourceFile);
        }

        internal static bool LooksBinary(ReadOnlySpan<byte> head)
        {
            int control = 0;
            foreach (byte b in head)
            {
                if (b == 0) return true;
                if (b < 0x20 && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t' && b != 0x0C) control++;
            }
            return control * 20 > head.Length;
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace SkillForge.IO
{
    /// <summary>How the records of a JSON input are laid out (decided by how the input starts).</summary>
    public enum JsonRecordLayout
    {
        /// <summary>Not decided yet (before the first MoveNext), or the input is not JSON.</summary>
        Unknown,
        /// <summary>Nothing but whitespace (or a BOM).</summary>
        Empty,
        /// <summary>One JSON object per line.</summary>
        JsonLines,
        /// <summary>A top-level JSON array of records.</summary>
        Array,
        /// <summary>A top-level object holding the records in an array under one of the wrapper names.</summary>
        Wrapper,
        /// <summary>Objects one after another, spread over several lines each (e.g. ConvertTo-Json output per object).</summary>
        Objects,
    }

    /// <summary>What went wrong with an item of a JSON input.</summary>
    public enum JsonRecordErrorKind
    {
        /// <summary>A line or value that is not valid JSON; reading goes on after it.</summary>
        Malformed,
        /// <summary>Valid JSON where a record belongs, but not an object; reading goes on after it.</summary>
        NotAnObject,
        /// <summary>The input ends inside a value or before its array or wrapper closes. Ends the input.</summary>
        Truncated,
        /// <summary>A syntax error the reader cannot step over safely. Ends the input.</summary>
        SyntaxError,
        /// <summary>The input is not JSON text at all (binary, UTF-16, another format). Ends the input.</summary>
        NotJson,
    }

    /// <summary>Where a bad item stands in the input.</summary>
    public enum JsonRecordPlace
    {
        /// <summary>A line of a JSON Lines input.</summary>
        Line,
        /// <summary>An element of a records array.</summary>
        ArrayElement,
        /// <summary>A value at the top level of the input (objects one after another).</summary>
        TopLevelValue,
        /// <summary>The input as a whole (the kinds that end the input).</summary>
        Input,
    }

    /// <summary>Why an item of a JSON input could not be handed over as a record.</summary>
    public sealed class JsonRecordError
    {
        internal JsonRecordError(JsonRecordErrorKind kind, JsonRecordPlace place, long line, string problem, string? snippet)
        {
            Kind = kind;
            Place = place;
            Line = line;
            Problem = problem;
            Snippet = snippet;
        }

        public JsonRecordErrorKind Kind { get; }

        public JsonRecordPlace Place { get; }

        /// <summary>The 1-based line where the bad item starts (for the kinds that end the input: where reading stopped).</summary>
        public long Line { get; }

        /// <summary>
        /// What is wrong, as the rest of a sentence whose subject is <see cref="Subject"/> (or, for the kinds that
        /// end the input, the file): "is a string, not a JSON object.", "is not valid JSON: ...",
        /// "ends in the middle of a JSON value (the file is truncated).". For <see cref="JsonRecordErrorKind.NotJson"/>
        /// it is the reason only: "it looks like a binary file, not text".
        /// </summary>
        public string Problem { get; }

        /// <summary>The start of the bad item as text (at most 200 characters); null when there is none.</summary>
        public string? Snippet { get; }

        /// <summary>True when nothing after this error can be read: MoveNext returns false next.</summary>
        public bool EndsInput => Kind >= JsonRecordErrorKind.Truncated;

        /// <summary>The subject of <see cref="Problem"/>: "Line 4", "The array element at line 4", "The top-level value at line 4".</summary>
        public string Subject => Place switch
        {
            JsonRecordPlace.Line => "Line " + Line,
            JsonRecordPlace.ArrayElement => "The array element at line " + Line,
            JsonRecordPlace.TopLevelValue => "The top-level value at line " + Line,
            _ => "The input",
        };
    }

    /// <summary>
    /// Splits a JSON or JSON Lines stream into its records without ever holding more than one record (plus a read
    /// buffer) in memory, and without copying a record: <see cref="Record"/> points into the read buffer.
    /// Recognises JSON Lines, a JSON array, a wrapper object holding the array under one of the names the caller
    /// gives, and pretty-printed objects one after another. Each record comes with the exact 1-based line where it
    /// starts. A bad line or element is a <see cref="JsonRecordError"/> and reading goes on: a malformed array
    /// element or top-level object is stepped over when its end can be found safely (strings, comments and nesting
    /// stay balanced); when it cannot, or the input is truncated or not JSON text, the error ends the input.
    /// </summary>
    public sealed class JsonRecordReader
    {
        internal const string MoreThanOneValue = "holds more than one JSON value (JSON Lines needs exactly one object per line).";

        internal static readonly JsonReaderOptions ReaderOptions = new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = 256,
            AllowMultipleValues = true,
        };

        private enum Step { Continue, NeedMore, Produced, End }

        private enum Peek { NeedMore, Wrapper, Record, Invalid }

        private enum Trivia { At, NeedMore, End }

        private enum Scan { Found, NeedMore, Unsafe, Truncated }

        private readonly Stream _stream;
        private readonly CancellationToken _cancellationToken;
        private readonly byte[][] _wrapperNames;
        private readonly byte[][] _recordNames;
        private readonly Dictionary<string, string> _wrapperValues = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly byte[] _brackets = new byte[ReaderOptions.MaxDepth];
        private byte[] _buffer;
        private int _pos, _end;
        private bool _eof, _done, _inWrapper, _inArray;
        private int _lineMark;
        private long _line = 1;
        private int _recordStart, _recordLength;

        /// <param name="stream">The input (already decompressed).</param>
        /// <param name="wrapperNames">
        /// Property names of a wrapper object whose array holds the records, compared after normalising
        /// (lower case, no '_', '-' or space), e.g. "memories" or "events".
        /// </param>
        /// <param name="recordNames">
        /// Property names that only a record has: an object showing one of them before a wrapper name is a record
        /// whose array property is one of its fields, not a wrapper. May be empty.
        /// </param>
        /// <param name="cancellationToken">Checked for every record and every refill of the buffer.</param>
        /// <param name="bufferSize">Initial read buffer size; it grows only to hold the largest single record.</param>
        public JsonRecordReader(Stream stream, IEnumerable<string> wrapperNames, IEnumerable<string>? recordNames = null,
            CancellationToken cancellationToken = default, int bufferSize = 1 << 16)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (wrapperNames == null) throw new ArgumentNullException(nameof(wrapperNames));
            _wrapperNames = NormalizedUtf8(wrapperNames);
            _recordNames = NormalizedUtf8(recordNames ?? Enumerable.Empty<string>());
            _cancellationToken = cancellationToken;
            _buffer = new byte[Math.Max(16, bufferSize)];
        }

        public JsonRecordLayout Layout { get; private set; }

        /// <summary>The raw UTF-8 bytes of the current record: one complete JSON object. Valid until the next MoveNext.</summary>
        public ReadOnlySpan<byte> Record => new ReadOnlySpan<byte>(_buffer, _recordStart, _recordLength);

        /// <summary>The current record as memory (for JsonDocument.Parse, which keeps no copy). Valid until the next MoveNext.</summary>
        public ReadOnlyMemory<byte> RecordMemory => new ReadOnlyMemory<byte>(_buffer, _recordStart, _recordLength);

        /// <summary>The 1-based line where the current record (or bad item) starts.</summary>
        public long Line { get; private set; }

        /// <summary>Set instead of <see cref="Record"/> when the current item could not be read as a record.</summary>
        public JsonRecordError? Error { get; private set; }

        /// <summary>
        /// String and number properties of the current wrapper object read so far (those before its records array),
        /// keyed by normalised name; emptied when another wrapper starts.
        /// </summary>
        public IReadOnlyDictionary<string, string> WrapperValues => _wrapperValues;

        /// <summary>
        /// When false, a JSON Lines line is handed over without being parsed here: <see cref="Record"/> may then be
        /// malformed or not an object, and the caller, which parses every record anyway, must report that (this
        /// saves one parse per line). Comment lines are still skipped, and arrays and wrappers are always checked.
        /// Default true.
        /// </summary>
        public bool CheckLines { get; set; } = true;

        /// <summary>Size of the read buffer now: it grows only to hold the largest single record.</summary>
        internal int BufferCapacity => _buffer.Length;

        /// <summary>
        /// Moves to the next record or bad item. False at the end of the input, and after an error that ends it.
        /// </summary>
        public bool MoveNext()
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Error = null;
            _recordLength = 0;
            if (_done) return false;
            if (Layout == JsonRecordLayout.Unknown)
            {
                Layout = DetectLayout();
                if (_done) return true; // not JSON
            }
            switch (Layout)
            {
                case JsonRecordLayout.JsonLines: return MoveNextLine();
                case JsonRecordLayout.Empty: return false;
                default: return MoveNextInDocument();
            }
        }

        /// <summary>The start of the given bytes as text (at most 200 characters), for error messages.</summary>
        public static string Snippet(ReadOnlySpan<byte> bytes)
        {
            int length = Math.Min(bytes.Length, JsonLines.SnippetLength * 4);
            var text = Encoding.UTF8.GetString(bytes.Slice(0, length).ToArray());
            return TextUtil.Truncate(text.Trim(), JsonLines.SnippetLength);
        }

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

            byte first = _buffer[_pos];
            if ((first == (byte)'[' || first == (byte)'{') && _pos + 1 < _end && _buffer[_pos + 1] == 0)
            {
                NotJson("it is UTF-16 text. Save it as UTF-8 (for example: Get-Content <file> | Set-Content -Encoding utf8 <new file>)");
                return JsonRecordLayout.Unknown;
            }
            if (first == (byte)'[') return JsonRecordLayout.Array;
            if (first != (byte)'{')
            {
                string? why = NotJsonReason();
                if (why == null) return JsonRecordLayout.JsonLines; // a bad first line, then JSON Lines
                NotJson(why);
                return JsonRecordLayout.Unknown;
            }

            while (true)
            {
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _pos, _end - _pos), _eof, new JsonReaderState(ReaderOptions));
                switch (PeekObject(ref reader, out int length))
                {
                    case Peek.NeedMore:
                        if (_eof) return JsonRecordLayout.JsonLines;
                        Refill();
                        continue;
                    case Peek.Wrapper:
                        return JsonRecordLayout.Wrapper;
                    case Peek.Record:
                        // One object on one line is JSON Lines; an object spread over lines is a document.
                        return System.Array.IndexOf(_buffer, (byte)'\n', _pos, length) < 0 ? JsonRecordLayout.JsonLines : JsonRecordLayout.Objects;
                    default:
                        return JsonRecordLayout.JsonLines;
                }
            }
        }

        /// <summary>Looks at an object from its start: is it a wrapper (holds a records array) or a record?</summary>
        private Peek PeekObject(ref Utf8JsonReader reader, out int length)
        {
            length = 0;
            bool sawRecordName = false;
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
                    bool wrapperName = !sawRecordName && NameIsOneOf(ref reader, _wrapperNames);
                    sawRecordName |= _recordNames.Length > 0 && NameIsOneOf(ref reader, _recordNames);
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
                int newline = _end > _pos ? System.Array.IndexOf(_buffer, (byte)'\n', _pos, _end - _pos) : -1;
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
                    SetRecord(start, end - start);
                    return true;
                }
                var kind = ValidateLine(line, out string? problem);
                if (kind == null) continue; // a comment line
                Line = LineAt(start);
                if (problem == null) SetRecord(start, end - start);
                else Error = new JsonRecordError(kind.Value, JsonRecordPlace.Line, Line, problem, Snippet(line));
                return true;
            }
        }

        /// <summary>
        /// Null for a line holding only a comment (skipped like a blank line). Otherwise problem is null when the
        /// line is exactly one JSON object, else what is wrong with it (and the kind of error).
        /// </summary>
        private static JsonRecordErrorKind? ValidateLine(ReadOnlySpan<byte> line, out string? problem)
        {
            problem = null;
            var reader = new Utf8JsonReader(line, isFinalBlock: true, new JsonReaderState(ReaderOptions));
            try
            {
                if (!reader.Read()) return null;
                var token = reader.TokenType;
                reader.Skip();
                if (reader.Read())
                {
                    problem = MoreThanOneValue;
                    return JsonRecordErrorKind.Malformed;
                }
                if (token != JsonTokenType.StartObject)
                {
                    problem = $"is {Describe(token)}, not a JSON object.";
                    return JsonRecordErrorKind.NotAnObject;
                }
            }
            catch (JsonException e)
            {
                problem = $"is not valid JSON: {TrimJsonMessage(e)}";
            }
            return JsonRecordErrorKind.Malformed;
        }

        // ---------------------------------------------------------------- JSON document (array, wrapper, objects)

        private bool MoveNextInDocument()
        {
            while (true)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var step = _inArray ? StepInArray() : _inWrapper ? StepInWrapper() : StepAtTop();
                switch (step)
                {
                    case Step.NeedMore:
                        if (_eof)
                        {
                            Truncated(_pos);
                            return true;
                        }
                        Refill();
                        break;
                    case Step.Produced:
                        return true;
                    case Step.End:
                        return false;
                }
            }
        }

        /// <summary>Outside any array or wrapper: a records array, a wrapper, or a record of its own.</summary>
        private Step StepAtTop()
        {
            var trivia = SkipTrivia();
            if (trivia == Trivia.NeedMore) return Step.NeedMore;
            if (trivia == Trivia.End) return Step.End;

            byte b = _buffer[_pos];
            if (b == (byte)'[')
            {
                _pos++;
                _inArray = true;
                return Step.Continue;
            }
            if (b == (byte)'{')
            {
                var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _pos, _end - _pos), _eof, new JsonReaderState(ReaderOptions));
                var peek = PeekObject(ref reader, out int length);
                if (peek == Peek.NeedMore && !_eof) return Step.NeedMore;
                if (peek == Peek.Wrapper)
                {
                    _pos++;
                    _inWrapper = true;
                    _wrapperValues.Clear();
                    return Step.Continue;
                }
                if (peek == Peek.Record)
                {
                    Line = LineAt(_pos);
                    SetRecord(_pos, length);
                    _pos += length;
                    return Step.Produced;
                }
            }
            return Element(JsonRecordPlace.TopLevelValue);
        }

        /// <summary>Inside a records array: commas, its end, or an element.</summary>
        private Step StepInArray() =>
            Punctuation((byte)']', "ends before its JSON array is closed (the file is truncated).") ?? Element(JsonRecordPlace.ArrayElement);

        /// <summary>Inside a wrapper object: finds its records array, keeps its scalar properties, skips the rest.</summary>
        private Step StepInWrapper() =>
            Punctuation((byte)'}', "ends before its wrapper object is closed (the file is truncated).") ?? Property();

        /// <summary>
        /// Inside an array or wrapper: steps over whitespace, comments, a comma or the closing bracket (leaving the
        /// array or wrapper). Null when a value or property starts at the committed position.
        /// </summary>
        private Step? Punctuation(byte close, string truncated)
        {
            var trivia = SkipTrivia();
            if (trivia == Trivia.NeedMore) return Step.NeedMore;
            if (trivia == Trivia.End) return Truncated(_pos, truncated);
            byte b = _buffer[_pos];
            if (b != (byte)',' && b != close) return null;
            _pos++;
            if (b == (byte)']') _inArray = false;
            else if (b == (byte)'}') _inWrapper = false;
            return Step.Continue;
        }

        /// <summary>A property of a wrapper object: the records array, a scalar to keep, or anything to skip.</summary>
        private Step Property()
        {
            int i = _pos;
            if (_buffer[i] != (byte)'"') return SyntaxError(i, 0, "a property name was expected.");

            var nameReader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, i, _end - i), _eof, new JsonReaderState(ReaderOptions));
            bool isRecords;
            string? name = null;
            try
            {
                if (!nameReader.Read()) return Step.NeedMore;
                isRecords = NameIsOneOf(ref nameReader, _wrapperNames);
                if (!isRecords) name = JsonFields.Normalize(nameReader.GetString() ?? "");
            }
            catch (JsonException e)
            {
                return SyntaxError(i, e.LineNumber ?? 0, TrimJsonMessage(e));
            }
            catch (InvalidOperationException)
            {
                return SyntaxError(i, 0, "a property name is not valid UTF-8.");
            }
            int j = i + (int)nameReader.BytesConsumed;
            if (SkipTrivia(ref j) != Trivia.At) return Step.NeedMore;
            if (_buffer[j] != (byte)':') return SyntaxError(j, 0, "':' was expected after a property name.");
            j++;
            if (SkipTrivia(ref j) != Trivia.At) return Step.NeedMore;
            if (isRecords && _buffer[j] == (byte)'[')
            {
                _pos = j + 1;
                _inArray = true;
                return Step.Continue;
            }

            var valueReader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, j, _end - j), _eof, new JsonReaderState(ReaderOptions));
            try
            {
                if (!valueReader.Read() || !valueReader.TrySkip()) return Step.NeedMore;
                if (name != null && valueReader.TokenType == JsonTokenType.String) _wrapperValues[name] = valueReader.GetString() ?? "";
                else if (name != null && valueReader.TokenType == JsonTokenType.Number) _wrapperValues[name] = Encoding.UTF8.GetString(valueReader.ValueSpan.ToArray());
            }
            catch (JsonException e)
            {
                return SyntaxError(j, e.LineNumber ?? 0, TrimJsonMessage(e));
            }
            catch (InvalidOperationException)
            {
                // A string that is not valid UTF-8: not kept, the records are what matter.
            }
            _pos = j + (int)valueReader.BytesConsumed;
            return Step.Continue;
        }

        /// <summary>A value where a record belongs: an object is a record, anything else an error for that value.</summary>
        private Step Element(JsonRecordPlace place)
        {
            var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(_buffer, _pos, _end - _pos), _eof, new JsonReaderState(ReaderOptions));
            JsonTokenType token;
            try
            {
                if (!reader.Read()) return Step.NeedMore;
                token = reader.TokenType;
                if (!reader.TrySkip()) return Step.NeedMore;
            }
            catch (JsonException e)
            {
                return Recover(place, e);
            }
            int length = (int)reader.BytesConsumed;
            Line = LineAt(_pos);
            if (token == JsonTokenType.StartObject)
            {
                SetRecord(_pos, length);
            }
            else
            {
                Error = new JsonRecordError(JsonRecordErrorKind.NotAnObject, place, Line,
                    $"is {Describe(token)}, not a JSON object.", Snippet(new ReadOnlySpan<byte>(_buffer, _pos, length)));
            }
            _pos += length;
            return Step.Produced;
        }

        /// <summary>
        /// After a malformed value: finds where it ends and reports it, so that reading goes on after it; ends the
        /// input when that end cannot be found safely or the input ends first.
        /// </summary>
        private Step Recover(JsonRecordPlace place, JsonException e)
        {
            switch (ScanBadValue(place == JsonRecordPlace.ArrayElement, out int end))
            {
                case Scan.NeedMore:
                    return Step.NeedMore;
                case Scan.Truncated:
                    return Truncated(_pos);
                case Scan.Unsafe:
                    return SyntaxError(_pos, e.LineNumber ?? 0, TrimJsonMessage(e));
            }
            Line = LineAt(_pos);
            long at = Line + (e.LineNumber ?? 0);
            string where = at == Line ? "" : $" (at line {at})";
            Error = new JsonRecordError(JsonRecordErrorKind.Malformed, place, Line,
                $"is not valid JSON{where}: {TrimJsonMessage(e)}", Snippet(new ReadOnlySpan<byte>(_buffer, _pos, end - _pos)));
            _pos = end;
            return Step.Produced;
        }

        /// <summary>
        /// Walks a malformed value from the committed position over strings, comments and nested brackets. In an
        /// array it ends before the ',' or ']' at its own level; at the top level after the bracket that closes it
        /// (or, for a bare word, at the end of its line). Unsafe when the structure itself is broken: a line break
        /// inside a string (so a quote is missing), a bracket closed by the other kind, a stray closing bracket.
        /// </summary>
        private Scan ScanBadValue(bool inArray, out int end)
        {
            end = 0;
            int depth = 0;
            bool inString = false, escape = false;
            int i = _pos;
            while (i < _end)
            {
                byte c = _buffer[i];
                if (inString)
                {
                    if (escape) escape = false;
                    else if (c == (byte)'\\') escape = true;
                    else if (c == (byte)'"') inString = false;
                    else if (c == (byte)'\n' || c == (byte)'\r') return Scan.Unsafe;
                    i++;
                    continue;
                }
                switch (c)
                {
                    case (byte)'"':
                        inString = true;
                        break;
                    case (byte)'{':
                    case (byte)'[':
                        if (depth == _brackets.Length) return Scan.Unsafe;
                        _brackets[depth++] = c;
                        break;
                    case (byte)'}':
                    case (byte)']':
                        if (depth == 0)
                        {
                            if (inArray && c == (byte)']')
                            {
                                end = i;
                                return Scan.Found;
                            }
                            return Scan.Unsafe;
                        }
                        if (_brackets[--depth] != (c == (byte)'}' ? (byte)'{' : (byte)'[')) return Scan.Unsafe;
                        if (depth == 0 && !inArray)
                        {
                            end = i + 1;
                            return Scan.Found;
                        }
                        break;
                    case (byte)',':
                        if (depth == 0 && inArray)
                        {
                            end = i;
                            return Scan.Found;
                        }
                        break;
                    case (byte)'\n':
                        if (depth == 0 && !inArray)
                        {
                            end = i;
                            return Scan.Found;
                        }
                        break;
                    case (byte)'/':
                        int after = i;
                        var comment = SkipComment(ref after);
                        if (comment == Trivia.NeedMore) return _eof ? Scan.Truncated : Scan.NeedMore;
                        if (comment == Trivia.At)
                        {
                            i = after;
                            continue;
                        }
                        break;
                }
                i++;
            }
            if (!_eof) return Scan.NeedMore;
            if (!inArray && depth == 0 && !inString)
            {
                end = _end;
                return Scan.Found;
            }
            return Scan.Truncated;
        }

        /// <summary>Moves the committed position over whitespace and comments.</summary>
        private Trivia SkipTrivia()
        {
            int i = _pos;
            var trivia = SkipTrivia(ref i);
            _pos = i;
            return trivia;
        }

        /// <summary>
        /// Moves index over whitespace and comments. At: index is at a byte of a value; End: the input ends here;
        /// NeedMore: the buffer ends here (or inside a comment) and the input goes on.
        /// </summary>
        private Trivia SkipTrivia(ref int index)
        {
            while (true)
            {
                while (index < _end && IsWhitespace(_buffer[index])) index++;
                if (index == _end) return _eof ? Trivia.End : Trivia.NeedMore;
                if (_buffer[index] != (byte)'/') return Trivia.At;
                int after = index;
                var comment = SkipComment(ref after);
                if (comment == Trivia.NeedMore) return Trivia.NeedMore;
                if (comment == Trivia.End) return Trivia.At; // a '/' that starts no comment: the value's reader reports it
                index = after;
            }
        }

        /// <summary>
        /// At a '/': At with index after a // or /* */ comment; End when it starts no comment; NeedMore when the
        /// buffer ends first (at the end of the input an unclosed /* comment runs to the end).
        /// </summary>
        private Trivia SkipComment(ref int index)
        {
            if (index + 1 >= _end) return _eof ? Trivia.End : Trivia.NeedMore;
            byte second = _buffer[index + 1];
            if (second == (byte)'/')
            {
                int newline = System.Array.IndexOf(_buffer, (byte)'\n', index + 2, _end - index - 2);
                if (newline < 0 && !_eof) return Trivia.NeedMore;
                index = newline < 0 ? _end : newline;
                return Trivia.At;
            }
            if (second != (byte)'*') return Trivia.End;
            for (int i = index + 2; i + 1 < _end; i++)
            {
                if (_buffer[i] == (byte)'*' && _buffer[i + 1] == (byte)'/')
                {
                    index = i + 2;
                    return Trivia.At;
                }
            }
            if (!_eof) return Trivia.NeedMore;
            index = _end;
            return Trivia.At;
        }

        private void SetRecord(int start, int length)
        {
            _recordStart = start;
            _recordLength = length;
        }

        // ---------------------------------------------------------------- errors that end the input

        private Step Truncated(int index, string problem = "ends in the middle of a JSON value (the file is truncated).")
        {
            Line = LineAt(Math.Max(index, _lineMark));
            Error = new JsonRecordError(JsonRecordErrorKind.Truncated, JsonRecordPlace.Input, Line, problem,
                index < _end ? Snippet(new ReadOnlySpan<byte>(_buffer, index, _end - index)) : null);
            _done = true;
            return Step.Produced;
        }

        private Step SyntaxError(int index, long linesIn, string message)
        {
            Line = LineAt(index) + linesIn;
            Error = new JsonRecordError(JsonRecordErrorKind.SyntaxError, JsonRecordPlace.Input, Line,
                $"has a JSON syntax error at line {Line}: {message}", Snippet(new ReadOnlySpan<byte>(_buffer, index, Math.Min(_end - index, JsonLines.SnippetLength * 4))));
            _done = true;
            return Step.Produced;
        }

        private void NotJson(string why)
        {
            Line = LineAt(_pos);
            Error = new JsonRecordError(JsonRecordErrorKind.NotJson, JsonRecordPlace.Input, Line, why, null);
            _done = true;
        }

        /// <summary>Null when the input that does not start with '[' or '{' is still JSON Lines (a line does).</summary>
        private string? NotJsonReason()
        {
            int length = Math.Min(_end - _pos, 16);
            var head = new ReadOnlySpan<byte>(_buffer, _pos, length);
            if (length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
                return "it is UTF-16 text. Save it as UTF-8 (for example: Get-Content <file> | Set-Content -Encoding utf8 <new file>)";
            if (LooksBinary(new ReadOnlySpan<byte>(_buffer, _pos, Math.Min(_end - _pos, 4096))))
                return "it looks like a binary file, not text";
            for (int i = _pos; i < _end; i++)
            {
                if (_buffer[i] != (byte)'\n') continue;
                int start = i + 1;
                while (start < _end && (_buffer[start] == (byte)' ' || _buffer[start] == (byte)'\t')) start++;
                if (start < _end && _buffer[start] == (byte)'{') return null;
            }
            return $"it does not start with '[' or '{{' (it starts with \"{TextUtil.Truncate(Encoding.UTF8.GetString(head.ToArray()), 16)}\")";
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
            long line = LineAt(_pos);
            if (_pos > 0)
            {
                Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
                _end -= _pos;
                _lineMark -= _pos;
                _pos = 0;
            }
            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= JsonLines.MaxRecordBytes) throw JsonLines.TooLarge(line);
                System.Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, JsonLines.MaxRecordBytes));
            }
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

        private static byte[][] NormalizedUtf8(IEnumerable<string> names) =>
            names.Select(n => Encoding.UTF8.GetBytes(JsonFields.Normalize(n))).ToArray();

        private static bool NameIsOneOf(ref Utf8JsonReader reader, byte[][] names)
        {
            if (names.Length == 0) return false;
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
            JsonTokenType.StartObject => "an object",
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
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.IO;

namespace SkillForge.Import.Formats
{
    /// <summary>
    /// SkillForge's own memory export: records with id, text, tier, scope, tags, kind, access_count, embedding and
    /// created_at (snake_case is canonical; camelCase, PascalCase and the aliases listed in the help are accepted),
    /// as JSON Lines, a JSON array, or an object holding the array under memories, docs or items.
    /// </summary>
    public sealed class SkillForgeMemoryFormat : IMemoryFormat
    {
        private const int MaxLinesToInspect = 20;

        public MemoryFormat Format => MemoryFormat.SkillForge;

        /// <summary>
        /// Yes when the first record the sample shows (skipping unreadable JSON Lines) carries a text field holding a string, or when
        /// the export is an empty array or wrapper.
        /// </summary>
        public bool Recognizes(SourceSample sample)
        {
            if (sample == null) throw new ArgumentNullException(nameof(sample));
            var head = Encoding.UTF8.GetBytes(sample.Head);
            int start = 0;
            while (start < head.Length && IsWhitespace(head[start])) start++;
            if (start == head.Length) return false;
            if (head[start] == (byte)'[' || (head[start] == (byte)'{' && !IsSingleLineStart(head, start))) return FirstRecordHasText(new ReadOnlySpan<byte>(head, start, head.Length - start));

            // JSON Lines (or a minified wrapper on one line): the first line that parses decides.
            int lines = 0;
            while (start < head.Length && lines++ < MaxLinesToInspect)
            {
                int newline = Array.IndexOf(head, (byte)'\n', start);
                int end = newline < 0 ? head.Length : newline;
                var line = new ReadOnlySpan<byte>(head, start, end - start);
                if (!IsBlank(line))
                {
                    var verdict = Inspect(line, isFinal: newline >= 0);
                    if (verdict.HasValue) return verdict.Value;
                }
                if (newline < 0) break;
                start = newline + 1;
            }
            return false;
        }

        public IEnumerable<Outcome<MemoryDoc>> Read(Stream stream, string sourceFile, CancellationToken cancellationToken)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            if (sourceFile == null) throw new ArgumentNullException(nameof(sourceFile));
            return ReadIterator(stream, sourceFile, cancellationToken);
        }

        private static IEnumerable<Outcome<MemoryDoc>> ReadIterator(Stream stream, string sourceFile, CancellationToken cancellationToken)
        {
            var records = new JsonRecordReader(stream, WrapperNames, TextNames, cancellationToken) { CheckLines = false };
            var mapper = new SkillForgeRecordMapper();
            while (records.MoveNext())
            {
                var error = records.Error;
                if (error == null) yield return mapper.Map(records.Record, sourceFile, records.Line);
                else if (error.EndsInput) throw InputError(error, sourceFile);
                else yield return Outcome<MemoryDoc>.Fail(RecordError(error, sourceFile));
            }
        }

        /// <summary>Property names of a wrapper object that hold the array of records (compared after normalising).</summary>
        internal static readonly string[] WrapperNames = { "memories", "docs", "items" };

        /// <summary>The text field's names: an object showing one before a wrapper name is a record, not a wrapper.</summary>
        private static readonly string[] TextNames = { "text", "content", "memory", "value" };

        private static RecordError RecordError(JsonRecordError error, string sourceFile)
        {
            string advice = error.Kind == JsonRecordErrorKind.NotAnObject && error.Place != JsonRecordPlace.Line
                ? "Each record must be an object such as {\"id\": \"...\", \"text\": \"...\"}; the other records were imported."
                : error.Place == JsonRecordPlace.Line
                    ? "Fix or remove that line; the other lines were imported."
                    : "Fix or remove that record; the other records were imported.";
            return new RecordError(ErrorIds.ImportInvalidRecord, $"{error.Subject} of '{sourceFile}' {error.Problem} {advice}",
                sourceFile, error.Line, error.Snippet);
        }

        private static SkillForgeException InputError(JsonRecordError error, string sourceFile)
        {
            string message = error.Kind switch
            {
                JsonRecordErrorKind.NotJson =>
                    $"'{sourceFile}' is not a JSON or JSON Lines memory export: {error.Problem}. Give a .json, .jsonl or gzip-compressed export.",
                JsonRecordErrorKind.Truncated =>
                    $"'{sourceFile}' {error.Problem} The records before the end were imported; export the memories again to get the rest.",
                _ =>
                    $"'{sourceFile}' {error.Problem} The records before it were imported; the rest of the file was not. Fix the file and import it again.",
            };
            return new SkillForgeException(ErrorIds.ImportInvalidJson, FailureCategory.InvalidData, message, sourceFile);
        }

        /// <summary>Does the first line look like a whole object (JSON Lines), rather than the start of a pretty-printed document?</summary>
        private static bool IsSingleLineStart(byte[] head, int start)
        {
            int newline = Array.IndexOf(head, (byte)'\n', start);
            var line = new ReadOnlySpan<byte>(head, start, (newline < 0 ? head.Length : newline) - start);
            var reader = new Utf8JsonReader(line, isFinalBlock: false, new JsonReaderState(JsonRecordReader.ReaderOptions));
            try
            {
                return reader.Read() && reader.TrySkip() && reader.BytesConsumed > 0 && reader.TokenType == JsonTokenType.EndObject;
            }
            catch (JsonException)
            {
                return true; // a broken first line: treat the file as JSON Lines and inspect the next lines
            }
        }

        /// <summary>True/false when the line shows a record (or wrapper) with/without text; null when it cannot tell.</summary>
        private static bool? Inspect(ReadOnlySpan<byte> line, bool isFinal)
        {
            try
            {
                var reader = new Utf8JsonReader(line, isFinal, new JsonReaderState(JsonRecordReader.ReaderOptions));
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
                return FirstRecordHasText(line);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>Walks to the first record (in an array, a wrapper, or the object itself) and looks for a text field.</summary>
        private static bool FirstRecordHasText(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: false, new JsonReaderState(JsonRecordReader.ReaderOptions));
            try
            {
                if (!reader.Read()) return false;
                if (reader.TokenType == JsonTokenType.StartArray) return ArrayStartsWithTextRecord(ref reader);
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = JsonFields.Normalize(reader.GetString() ?? "");
                    bool wrapper = Array.IndexOf(WrapperNames, name) >= 0;
                    if (!reader.Read()) return IsTextName(name); // the sample ends inside the value
                    if (IsTextName(name) && reader.TokenType == JsonTokenType.String) return true;
                    if (wrapper && reader.TokenType == JsonTokenType.StartArray) return ArrayStartsWithTextRecord(ref reader);
                    if (!reader.TrySkip()) return false;
                }
                return false;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>After a StartArray: an empty array, or a first element that is an object with a text field.</summary>
        private static bool ArrayStartsWithTextRecord(ref Utf8JsonReader reader)
        {
            if (!reader.Read()) return false;
            if (reader.TokenType == JsonTokenType.EndArray) return true;
            if (reader.TokenType != JsonTokenType.StartObject) return false;
            int depth = reader.CurrentDepth;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth) return false;
                if (reader.TokenType != JsonTokenType.PropertyName) return false;
                bool text = IsTextName(JsonFields.Normalize(reader.GetString() ?? ""));
                if (!reader.Read()) return text;
                if (text && reader.TokenType == JsonTokenType.String) return true;
                if (!reader.TrySkip()) return false;
            }
            return false;
        }

        private static bool IsTextName(string normalized) => Array.IndexOf(TextNames, normalized) >= 0;

        private static bool IsBlank(ReadOnlySpan<byte> line)
        {
            foreach (byte b in line)
            {
                if (!IsWhitespace(b)) return false;
            }
            return true;
        }

        private static bool IsWhitespace(byte b) => b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == (byte)'\n';
    }
}

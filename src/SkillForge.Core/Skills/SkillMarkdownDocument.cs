using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SkillForge.Skills
{
    internal enum FrontmatterNodeKind { Scalar, Mapping, Sequence, Alias }

    /// <summary>One YAML node of the frontmatter, as written (scalars keep their source text; aliases are never expanded).</summary>
    internal sealed class FrontmatterNode
    {
        public FrontmatterNodeKind Kind { get; set; }
        public string Value { get; set; } = "";
        public ScalarStyle Style { get; set; }
        /// <summary>1-based line in the file.</summary>
        public int Line { get; set; }
        /// <summary>Index of the node's first event in <see cref="SkillMarkdownDocument.Events"/>.</summary>
        public int FirstEvent { get; set; }
        /// <summary>Index of the node's last event in <see cref="SkillMarkdownDocument.Events"/>.</summary>
        public int LastEvent { get; set; }
        public bool IsFlow { get; set; }
        /// <summary>Entries of a mapping (filled for the top level and the level below it).</summary>
        public List<FrontmatterEntry> Entries { get; } = new List<FrontmatterEntry>();

        /// <summary>A plain empty, "~" or "null" scalar: YAML's null, which SkillForge treats as a missing value.</summary>
        public bool IsNull =>
            Kind == FrontmatterNodeKind.Scalar && Style == ScalarStyle.Plain &&
            (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

        /// <summary>The scalar as text (null for null, maps, lists and aliases).</summary>
        public string? Text => Kind == FrontmatterNodeKind.Scalar && !IsNull ? Value : null;
    }

    internal sealed class FrontmatterEntry
    {
        public FrontmatterEntry(FrontmatterNode key, FrontmatterNode value)
        {
            Key = key;
            Value = value;
        }

        public FrontmatterNode Key { get; }
        public FrontmatterNode Value { get; }
    }

    /// <summary>
    /// A SKILL.md split into fences, frontmatter and body, with the frontmatter read as YAML events.
    /// Structural problems are collected as diagnostics, never thrown.
    /// </summary>
    internal sealed class SkillMarkdownDocument
    {
        private const int MaxReportedPerKind = 5;
        private static readonly Regex YamlMessagePrefix = new Regex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);

        private SkillMarkdownDocument(string text)
        {
            Text = text;
        }

        /// <summary>The text without a leading BOM.</summary>
        public string Text { get; }
        public string[] Lines { get; private set; } = Array.Empty<string>();
        /// <summary>"\r\n" when the text uses CRLF line ends, else "\n".</summary>
        public string NewLine { get; private set; } = "\n";
        /// <summary>0-based index of the opening fence line, -1 when there is none.</summary>
        public int OpeningLine { get; private set; } = -1;
        /// <summary>0-based index of the closing fence line, -1 when there is none.</summary>
        public int ClosingLine { get; private set; } = -1;
        /// <summary>The top-level node, null when the frontmatter is missing, empty or not YAML.</summary>
        public FrontmatterNode? Root { get; private set; }
        /// <summary>Whether the frontmatter parsed as one YAML document (possibly empty).</summary>
        public bool YamlParsed { get; private set; }
        public List<ParsingEvent> Events { get; } = new List<ParsingEvent>();
        public List<SkillDiagnostic> Diagnostics { get; } = new List<SkillDiagnostic>();
        /// <summary>Anchors, aliases or tags were found (the document is invalid, and never rewritten).</summary>
        public bool HasAnchorsAliasesOrTags { get; private set; }

        /// <summary>Index of the first body line (after the closing fence), or Lines.Length.</summary>
        public int BodyStartLine => ClosingLine < 0 ? Lines.Length : ClosingLine + 1;

        public static SkillMarkdownDocument Parse(string content)
        {
            var text = content.Length > 0 && content[0] == '\uFEFF' ? content.Substring(1) : content;
            var doc = new SkillMarkdownDocument(text);
            doc.SplitLines();
            doc.FindFences();
            if (doc.OpeningLine >= 0 && doc.ClosingLine >= 0) doc.ParseFrontmatter();
            doc.AddOverflowSummary();
            return doc;
        }

        /// <summary>Lines of the body, in order.</summary>
        public IEnumerable<string> BodyLines()
        {
            for (int i = BodyStartLine; i < Lines.Length; i++) yield return Lines[i];
        }

        /// <summary>The body exactly as written (from the character after the closing fence's line end).</summary>
        public string RawBody()
        {
            if (ClosingLine < 0) return Text;
            int line = 0, i = 0;
            while (i < Text.Length && line <= ClosingLine)
            {
                char c = Text[i++];
                if (c == '\r')
                {
                    if (i < Text.Length && Text[i] == '\n') i++;
                    line++;
                }
                else if (c == '\n') line++;
            }
            return line > ClosingLine ? Text.Substring(i) : "";
        }

        /// <summary>The 1-based file line of a 1-based frontmatter line.</summary>
        public int FileLine(long frontmatterLine) => OpeningLine + 1 + (int)Math.Max(1, frontmatterLine);

        private void Add(string code, DiagnosticSeverity severity, int line, string message) =>
            Diagnostics.Add(new SkillDiagnostic { Code = code, Severity = severity, Line = line, Message = message });

        private void SplitLines()
        {
            var lines = new List<string>();
            bool sawCrLf = false, sawLf = false;
            int start = 0;
            for (int i = 0; i < Text.Length; i++)
            {
                char c = Text[i];
                if (c != '\r' && c != '\n') continue;
                lines.Add(Text.Substring(start, i - start));
                if (c == '\r' && i + 1 < Text.Length && Text[i + 1] == '\n')
                {
                    sawCrLf = true;
                    i++;
                }
                else if (c == '\n') sawLf = true;
                start = i + 1;
            }
            if (start < Text.Length) lines.Add(Text.Substring(start));
            Lines = lines.ToArray();
            NewLine = sawCrLf && !sawLf ? "\r\n" : "\n";
        }

        private static bool IsFence(string line) => line.TrimEnd(' ', '\t') == "---";

        private void FindFences()
        {
            int first = 0;
            while (first < Lines.Length && Lines[first].Trim().Length == 0) first++;
            if (first >= Lines.Length || !IsFence(Lines[first]))
            {
                Add(SkillDiagnosticCodes.MissingOpeningFence, DiagnosticSeverity.Error, 1,
                    "The file must start with a '---' line that opens the YAML frontmatter (name, description), closed by another '---' line.");
                return;
            }
            if (first > 0)
            {
                Add(SkillDiagnosticCodes.BlankLinesBeforeFence, DiagnosticSeverity.Error, 1,
                    $"The opening '---' is on line {first + 1}; it must be on line 1. Remove the blank lines before it.");
            }
            OpeningLine = first;
            for (int i = first + 1; i < Lines.Length; i++)
            {
                if (IsFence(Lines[i]))
                {
                    ClosingLine = i;
                    return;
                }
            }
            Add(SkillDiagnosticCodes.MissingClosingFence, DiagnosticSeverity.Error, first + 1,
                "The frontmatter opened here is never closed: add a line holding only '---' after the last frontmatter key.");
        }

        private void ParseFrontmatter()
        {
            var yaml = string.Join("\n", Lines, OpeningLine + 1, ClosingLine - OpeningLine - 1);
            var parser = new Parser(new StringReader(yaml));
            try
            {
                Next(parser, out _); // StreamStart
                if (Peek(parser) is StreamEnd)
                {
                    YamlParsed = true;
                    return;
                }
                Next(parser, out _); // DocumentStart
                Root = ReadNode(parser, 0);
                Next(parser, out _); // DocumentEnd
                var after = Peek(parser);
                if (after is DocumentStart)
                {
                    Add(SkillDiagnosticCodes.MultipleDocuments, DiagnosticSeverity.Error, FileLine(after.Start.Line),
                        "The frontmatter holds more than one YAML document ('...' or '---' inside it). Keep a single mapping of keys.");
                    return;
                }
                YamlParsed = true;
            }
            catch (YamlException e)
            {
                Root = null;
                var message = YamlMessagePrefix.Replace(e.Message, "");
                Add(SkillDiagnosticCodes.InvalidYaml, DiagnosticSeverity.Error, FileLine((int)e.Start.Line),
                    $"The frontmatter is not valid YAML: {message}. Quote values that contain ': ', '#', or start with a quote, '-', '*', '&' or '!'.");
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                // The YAML library throws other exception types on some malformed input: still a diagnostic, never a crash.
                Root = null;
                int line = Events.Count > 0 ? FileLine(Events[Events.Count - 1].End.Line) : OpeningLine + 2;
                Add(SkillDiagnosticCodes.InvalidYaml, DiagnosticSeverity.Error, line,
                    "The frontmatter is not valid YAML (the parser stopped near this line). Write plain 'key: value' lines and quote values that contain special characters.");
            }
        }

        // The parser's Current is the next event to read (look-ahead); Next consumes it.
        private ParsingEvent Next(IParser parser, out int index)
        {
            if (parser.Current == null && !parser.MoveNext())
                throw new YamlException("unexpected end of the frontmatter");
            var e = parser.Current ?? throw new YamlException("unexpected end of the frontmatter");
            Events.Add(e);
            index = Events.Count - 1;
            parser.MoveNext();
            return e;
        }

        private static ParsingEvent? Peek(IParser parser)
        {
            if (parser.Current == null) parser.MoveNext();
            return parser.Current;
        }

        private int _anchors, _aliases, _tags;

        private void NoteNodeEvent(ParsingEvent e)
        {
            if (e is AnchorAlias alias)
            {
                HasAnchorsAliasesOrTags = true;
                if (++_aliases <= MaxReportedPerKind)
                    Add(SkillDiagnosticCodes.AnchorOrAlias, DiagnosticSeverity.Error, FileLine(e.Start.Line),
                        $"The alias '*{alias.Value}' is not allowed in SKILL.md frontmatter (aliases are not expanded). Write the value out in full.");
                return;
            }
            if (e is NodeEvent node)
            {
                if (!node.Anchor.IsEmpty)
                {
                    HasAnchorsAliasesOrTags = true;
                    if (++_anchors <= MaxReportedPerKind)
                        Add(SkillDiagnosticCodes.AnchorOrAlias, DiagnosticSeverity.Error, FileLine(e.Start.Line),
                            $"The anchor '&{node.Anchor}' is not allowed in SKILL.md frontmatter. Remove it and write values out in full.");
                }
                if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific)
                {
                    HasAnchorsAliasesOrTags = true;
                    if (++_tags <= MaxReportedPerKind)
                        Add(SkillDiagnosticCodes.Tag, DiagnosticSeverity.Error, FileLine(e.Start.Line),
                            $"The YAML tag '{node.Tag}' is not allowed in SKILL.md frontmatter. Remove it; every value is read as text.");
                }
            }
        }

        private FrontmatterNode ReadNode(IParser parser, int depth)
        {
            var e = Next(parser, out int index);
            NoteNodeEvent(e);
            var node = new FrontmatterNode { Line = FileLine(e.Start.Line), FirstEvent = index, LastEvent = index };
            switch (e)
            {
                case Scalar scalar:
                    node.Kind = FrontmatterNodeKind.Scalar;
                    node.Value = scalar.Value;
                    node.Style = scalar.Style;
                    return node;
                case AnchorAlias _:
                    node.Kind = FrontmatterNodeKind.Alias;
                    return node;
                case MappingStart map:
                    node.Kind = FrontmatterNodeKind.Mapping;
                    node.IsFlow = map.Style == MappingStyle.Flow;
                    if (depth >= 2)
                    {
                        node.LastEvent = SkipChildren(parser);
                        return node;
                    }
                    while (!(Peek(parser) is MappingEnd))
                    {
                        var key = ReadNode(parser, depth + 1);
                        var value = ReadNode(parser, depth + 1);
                        node.Entries.Add(new FrontmatterEntry(key, value));
                    }
                    Next(parser, out int end);
                    node.LastEvent = end;
                    return node;
                case SequenceStart seq:
                    node.Kind = FrontmatterNodeKind.Sequence;
                    node.IsFlow = seq.Style == SequenceStyle.Flow;
                    node.LastEvent = SkipChildren(parser);
                    return node;
                default:
                    throw new YamlException(e.Start, e.End, $"unexpected {e.GetType().Name}");
            }
        }

        /// <summary>Consumes the events up to the end of the collection just opened, without recursion.</summary>
        private int SkipChildren(IParser parser)
        {
            int open = 1, index = -1;
            while (open > 0)
            {
                var e = Next(parser, out index);
                NoteNodeEvent(e);
                if (e is MappingStart || e is SequenceStart) open++;
                else if (e is MappingEnd || e is SequenceEnd) open--;
            }
            return index;
        }

        /// <summary>Adds one summary when many anchors, aliases or tags were found (an alias bomb reports a handful, not millions).</summary>
        private void AddOverflowSummary()
        {
            int hidden = Math.Max(0, _anchors - MaxReportedPerKind) + Math.Max(0, _aliases - MaxReportedPerKind) + Math.Max(0, _tags - MaxReportedPerKind);
            if (hidden > 0)
                Add(SkillDiagnosticCodes.AnchorOrAlias, DiagnosticSeverity.Error, OpeningLine + 1,
                    $"{hidden} more anchors, aliases or tags are not listed. SKILL.md frontmatter must use none of them.");
        }
    }
}

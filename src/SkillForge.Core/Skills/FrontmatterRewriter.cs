using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace SkillForge.Skills
{
    /// <summary>
    /// Changes the name and metadata of a valid SKILL.md while keeping everything else as the author wrote it:
    /// other keys (with their comments and layout) and the body, byte for byte.
    /// </summary>
    internal static class FrontmatterRewriter
    {
        /// <summary>The metadata map of a parsed document, as text values in file order (empty when there is none).</summary>
        public static List<KeyValuePair<string, string>> ReadMetadata(SkillMarkdownDocument doc)
        {
            var result = new List<KeyValuePair<string, string>>();
            var entry = Find(doc, "metadata");
            if (entry == null || entry.Value.Kind != FrontmatterNodeKind.Mapping) return result;
            foreach (var e in entry.Value.Entries)
            {
                if (e.Key.Kind != FrontmatterNodeKind.Scalar) continue;
                result.Add(new KeyValuePair<string, string>(e.Key.Value, e.Value.Text ?? ""));
            }
            return result;
        }

        /// <summary>
        /// The text with 'name' set to newName (unchanged when null) and the given metadata keys set (others kept).
        /// The document must be valid (no anchors, aliases or tags).
        /// </summary>
        public static string Rewrite(SkillMarkdownDocument doc, string? newName, IReadOnlyList<KeyValuePair<string, string>> metadataUpdates)
        {
            var root = doc.Root ?? throw new InvalidOperationException("The document has no frontmatter.");
            var metadata = ReadMetadata(doc);
            foreach (var update in metadataUpdates)
            {
                int i = metadata.FindIndex(m => m.Key == update.Key);
                if (i >= 0) metadata[i] = update;
                else metadata.Add(update);
            }

            var currentName = Find(doc, "name")?.Value.Text?.Trim();
            bool renaming = newName != null && newName != currentName;
            bool metadataChanges = metadataUpdates.Count > 0;
            if (!renaming && !metadataChanges) return doc.Text;

            var newFrontmatter = IsLineEditable(doc, root)
                ? EditLines(doc, root, renaming ? newName : null, metadataChanges ? metadata : null)
                : Reemit(doc, root, renaming ? newName : null, metadata);

            var nl = doc.NewLine;
            var sb = new StringBuilder();
            sb.Append("---").Append(nl);
            foreach (var line in newFrontmatter) sb.Append(line).Append(nl);
            sb.Append("---").Append(nl);
            sb.Append(doc.RawBody());
            return sb.ToString();
        }

        private static FrontmatterEntry? Find(SkillMarkdownDocument doc, string key) =>
            doc.Root?.Entries.FirstOrDefault(e => e.Key.Kind == FrontmatterNodeKind.Scalar && e.Key.Value == key);

        /// <summary>A block mapping whose keys start at column 1, each on its own line: safe to edit line by line.</summary>
        private static bool IsLineEditable(SkillMarkdownDocument doc, FrontmatterNode root)
        {
            if (root.IsFlow || root.Entries.Count == 0) return false;
            int previous = 0;
            foreach (var entry in root.Entries)
            {
                var start = doc.Events[entry.Key.FirstEvent].Start;
                if (start.Column != 1 || start.Line <= previous) return false;
                previous = (int)start.Line;
            }
            return true;
        }

        private static List<string> EditLines(SkillMarkdownDocument doc, FrontmatterNode root, string? newName, List<KeyValuePair<string, string>>? metadata)
        {
            int first = doc.OpeningLine + 1;
            var lines = new List<string>();
            for (int i = first; i < doc.ClosingLine; i++) lines.Add(doc.Lines[i]);

            // Each entry spans from its key's line to the last line before the next key that is not a top-level
            // comment or blank line (those stay where they are).
            var spans = new List<(FrontmatterEntry Entry, int Start, int End)>();
            for (int k = 0; k < root.Entries.Count; k++)
            {
                int start = (int)doc.Events[root.Entries[k].Key.FirstEvent].Start.Line - 1;
                int next = k + 1 < root.Entries.Count ? (int)doc.Events[root.Entries[k + 1].Key.FirstEvent].Start.Line - 1 : lines.Count;
                int end = next - 1;
                while (end > start && IsTopLevelFiller(lines[end])) end--;
                spans.Add((root.Entries[k], start, end));
            }

            string? metadataBlock = metadata == null ? null : SerializeMetadata(metadata);
            bool metadataWritten = false;
            // Replace from the bottom up so earlier line numbers stay right.
            foreach (var span in spans.OrderByDescending(s => s.Start))
            {
                var key = span.Entry.Key.Kind == FrontmatterNodeKind.Scalar ? span.Entry.Key.Value : null;
                if (key == "name" && newName != null)
                {
                    Replace(lines, span.Start, span.End, new[] { "name: " + newName });
                }
                else if (key == "metadata" && metadataBlock != null)
                {
                    Replace(lines, span.Start, span.End, SplitLines(metadataBlock));
                    metadataWritten = true;
                }
            }
            if (metadataBlock != null && !metadataWritten) lines.AddRange(SplitLines(metadataBlock));
            return lines;
        }

        private static bool IsTopLevelFiller(string line)
        {
            if (line.Trim().Length == 0) return true;
            return line.Length > 0 && line[0] == '#';
        }

        private static void Replace(List<string> lines, int start, int end, IEnumerable<string> replacement)
        {
            lines.RemoveRange(start, end - start + 1);
            lines.InsertRange(start, replacement);
        }

        private static string SerializeMetadata(List<KeyValuePair<string, string>> metadata)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var m in metadata) map[m.Key] = m.Value;
            return SkillMarkdownWriter.SerializeYaml(new Dictionary<string, object> { ["metadata"] = map });
        }

        private static string[] SplitLines(string text) =>
            text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

        /// <summary>Flow-style or unusual layouts: replay the YAML events through an emitter with the changes applied.</summary>
        private static List<string> Reemit(SkillMarkdownDocument doc, FrontmatterNode root, string? newName, List<KeyValuePair<string, string>> metadata)
        {
            var writer = new StringWriter();
            var emitter = new Emitter(writer);
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart(null, null, true));
            emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
            bool metadataWritten = false;
            foreach (var entry in root.Entries)
            {
                var key = entry.Key.Kind == FrontmatterNodeKind.Scalar ? entry.Key.Value : null;
                if (key == "name" && newName != null)
                {
                    emitter.Emit(new Scalar("name"));
                    emitter.Emit(new Scalar(newName));
                    continue;
                }
                if (key == "metadata")
                {
                    EmitMetadata(emitter, metadata);
                    metadataWritten = true;
                    continue;
                }
                for (int i = entry.Key.FirstEvent; i <= entry.Value.LastEvent; i++) emitter.Emit(doc.Events[i]);
            }
            if (!metadataWritten && metadata.Count > 0) EmitMetadata(emitter, metadata);
            emitter.Emit(new MappingEnd());
            emitter.Emit(new DocumentEnd(true));
            emitter.Emit(new StreamEnd());
            return SplitLines(writer.ToString()).ToList();
        }

        private static void EmitMetadata(IEmitter emitter, List<KeyValuePair<string, string>> metadata)
        {
            // The same quoting rules as everywhere else: serialise the map, then replay its events.
            var yaml = SerializeMetadata(metadata);
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            parser.Consume<MappingStart>();
            emitter.Emit(parser.Consume<Scalar>()); // the key "metadata"
            int depth = 0;
            do
            {
                var e = parser.Current ?? throw new InvalidOperationException("The metadata YAML ended early.");
                if (e is MappingStart || e is SequenceStart) depth++;
                else if (e is MappingEnd || e is SequenceEnd) depth--;
                emitter.Emit(e);
                parser.MoveNext();
            }
            while (depth > 0);
        }
    }
}

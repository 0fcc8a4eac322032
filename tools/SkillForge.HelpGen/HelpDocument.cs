using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace SkillForge.HelpGen
{
    public sealed class HelpExample
    {
        public string Title { get; set; } = "";
        public string Code { get; set; } = "";
        public List<string> Remarks { get; } = new List<string>();
    }

    public sealed class HelpTypeEntry
    {
        public string TypeName { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
    }

    /// <summary>One docs/help/&lt;Verb-Noun&gt;.md, parsed (format: docs/help/README.md).</summary>
    public sealed class HelpDocument
    {
        public string Name { get; set; } = "";
        public string Synopsis { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
        public Dictionary<string, List<string>> Parameters { get; } = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        public List<HelpExample> Examples { get; } = new List<HelpExample>();
        public List<HelpTypeEntry> Inputs { get; } = new List<HelpTypeEntry>();
        public List<HelpTypeEntry> Outputs { get; } = new List<HelpTypeEntry>();
        public List<string> Notes { get; } = new List<string>();
        public List<string> RelatedLinks { get; } = new List<string>();

        public static HelpDocument Parse(string markdown)
        {
            var doc = new HelpDocument();
            string section = "";
            string? subsection = null;
            HelpExample? example = null;
            HelpTypeEntry? typeEntry = null;
            var paragraph = new StringBuilder();
            bool inCode = false;
            var code = new StringBuilder();

            void Flush()
            {
                if (paragraph.Length == 0) return;
                string text = paragraph.ToString().Trim();
                paragraph.Clear();
                if (text.Length == 0) return;
                switch (section)
                {
                    case "SYNOPSIS": doc.Synopsis = doc.Synopsis.Length == 0 ? text : doc.Synopsis + " " + text; break;
                    case "DESCRIPTION": doc.Description.Add(text); break;
                    case "PARAMETERS":
                        if (subsection != null) doc.Parameters[subsection].Add(text);
                        break;
                    case "EXAMPLES": example?.Remarks.Add(text); break;
                    case "INPUTS":
                    case "OUTPUTS": typeEntry?.Description.Add(text); break;
                    case "NOTES": doc.Notes.Add(text); break;
                }
            }

            foreach (var rawLine in markdown.Replace("\r\n", "\n").Split('\n'))
            {
                string line = rawLine.TrimEnd();
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    if (!inCode) { Flush(); inCode = true; code.Clear(); }
                    else
                    {
                        inCode = false;
                        string block = code.ToString().TrimEnd('\n');
                        if (section == "EXAMPLES" && example != null && example.Code.Length == 0) example.Code = block;
                        else paragraph.Append(block).Append('\n');
                    }
                    continue;
                }
                if (inCode) { code.Append(rawLine).Append('\n'); continue; }

                if (line.StartsWith("# ", StringComparison.Ordinal)) { Flush(); doc.Name = line.Substring(2).Trim(); continue; }
                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    Flush();
                    section = line.Substring(3).Trim().ToUpperInvariant();
                    subsection = null;
                    example = null;
                    typeEntry = null;
                    continue;
                }
                if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    Flush();
                    subsection = line.Substring(4).Trim();
                    switch (section)
                    {
                        case "PARAMETERS":
                            subsection = subsection.TrimStart('-');
                            doc.Parameters[subsection] = new List<string>();
                            break;
                        case "EXAMPLES":
                            example = new HelpExample { Title = subsection };
                            doc.Examples.Add(example);
                            break;
                        case "INPUTS":
                            typeEntry = new HelpTypeEntry { TypeName = subsection };
                            doc.Inputs.Add(typeEntry);
                            break;
                        case "OUTPUTS":
                            typeEntry = new HelpTypeEntry { TypeName = subsection };
                            doc.Outputs.Add(typeEntry);
                            break;
                    }
                    continue;
                }
                if (section == "RELATED LINKS")
                {
                    string link = line.Trim().TrimStart('-', '*').Trim();
                    if (link.Length > 0) doc.RelatedLinks.Add(link);
                    continue;
                }
                if (line.Trim().Length == 0) { Flush(); continue; }
                // Each item of a Markdown list is a paragraph of its own, so Get-Help shows it on its own line.
                if (IsListItem(line)) Flush();
                paragraph.Append(line.Trim()).Append(' ');
            }
            Flush();
            return doc;
        }

        private static bool IsListItem(string line)
        {
            string t = line.TrimStart();
            if (t.StartsWith("- ", StringComparison.Ordinal) || t.StartsWith("* ", StringComparison.Ordinal)) return true;
            int digits = 0;
            while (digits < t.Length && char.IsDigit(t[digits])) digits++;
            return digits > 0 && t.Length > digits + 1 && t[digits] == '.' && t[digits + 1] == ' ';
        }

        /// <summary>
        /// What a parameter's help says its default is: the text after "Default:" (or "Default", "; default") up
        /// to the end of that sentence, e.g. "Default 0." gives "0"; null when the help states none.
        /// </summary>
        public static string? StatedDefault(IEnumerable<string> paragraphs)
        {
            foreach (var paragraph in paragraphs)
            {
                var match = System.Text.RegularExpressions.Regex.Match(paragraph,
                    @"(?:\bDefault|[;,]\s*default)(?: value)?(?::| is)?\s+(?<value>.+?)(?:\.(?=\s|$)|$)");
                if (match.Success) return MarkdownText.Plain(match.Groups["value"].Value.Trim());
            }
            return null;
        }

        public static List<HelpDocument> LoadFolder(string folder) =>
            Directory.GetFiles(folder, "*-*.md")
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => Parse(File.ReadAllText(f)))
                .ToList();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace SkillForge.HelpGen
{
    /// <summary>Writes the MAML that Get-Help reads for binary cmdlets.</summary>
    public static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        public static XDocument Write(IEnumerable<HelpDocument> docs, IReadOnlyDictionary<string, CmdletMetadata> cmdlets)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev));
            foreach (var doc in docs)
            {
                cmdlets.TryGetValue(doc.Name, out var cmdlet);
                root.Add(CommandElement(doc, cmdlet));
            }
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        private static XElement CommandElement(HelpDocument doc, CmdletMetadata? cmdlet)
        {
            string[] parts = doc.Name.Split('-');
            var element = new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", doc.Name),
                    new XElement(Command + "verb", parts[0]),
                    new XElement(Command + "noun", parts.Length > 1 ? parts[1] : ""),
                    Description(new[] { doc.Synopsis })),
                Description(doc.Description));

            if (cmdlet != null)
            {
                element.Add(new XElement(Command + "syntax",
                    cmdlet.SetNames.Select(set => SyntaxItem(doc, cmdlet, set))));
                element.Add(new XElement(Command + "parameters",
                    cmdlet.Parameters.Select(p => ParameterElement(doc, p, p.Sets.FirstOrDefault() ?? new ParameterSetUse(), includeDefault: true))
                        .Concat(ShouldProcessParameters(cmdlet))));
            }

            element.Add(new XElement(Command + "inputTypes", doc.Inputs.Select(i =>
                new XElement(Command + "inputType", TypeElement(i.TypeName), Description(i.Description)))));
            element.Add(new XElement(Command + "returnValues", doc.Outputs.Select(o =>
                new XElement(Command + "returnValue", TypeElement(o.TypeName), Description(o.Description)))));
            element.Add(new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(doc.Notes))));
            element.Add(new XElement(Command + "examples", doc.Examples.Select(e =>
                new XElement(Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paragraphs(e.Remarks))))));
            element.Add(new XElement(Maml + "relatedLinks", doc.RelatedLinks.Select(l =>
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l), new XElement(Maml + "uri", "")))));
            return element;
        }

        private static XElement SyntaxItem(HelpDocument doc, CmdletMetadata cmdlet, string set)
        {
            var parameters = cmdlet.InSet(set)
                .OrderBy(x => x.Use.Position ?? int.MaxValue)
                .ThenBy(x => x.Use.Mandatory ? 0 : 1)
                .Select(x => ParameterElement(doc, x.Parameter, x.Use, includeDefault: false));
            return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", doc.Name),
                parameters,
                ShouldProcessParameters(cmdlet));
        }

        private static IEnumerable<XElement> ShouldProcessParameters(CmdletMetadata cmdlet)
        {
            if (!cmdlet.SupportsShouldProcess) yield break;
            yield return SwitchElement("WhatIf", "wi", "Shows what would happen if the command runs. Nothing is written and no token is spent.");
            yield return SwitchElement("Confirm", "cf", "Asks for confirmation before each item is written or sent.");
        }

        private static XElement SwitchElement(string name, string alias, string description) =>
            new XElement(Command + "parameter",
                new XAttribute("required", "false"), new XAttribute("variableLength", "false"), new XAttribute("globbing", "false"),
                new XAttribute("pipelineInput", "False"), new XAttribute("position", "named"), new XAttribute("aliases", alias),
                new XElement(Maml + "name", name),
                Description(new[] { description }),
                new XElement(Dev + "type", new XElement(Maml + "name", "SwitchParameter")),
                new XElement(Dev + "defaultValue", "False"));

        private static XElement ParameterElement(HelpDocument doc, ParameterMetadata p, ParameterSetUse use, bool includeDefault)
        {
            string pipeline = use.FromPipeline && use.FromPipelineByPropertyName ? "True (ByValue, ByPropertyName)"
                : use.FromPipeline ? "True (ByValue)"
                : use.FromPipelineByPropertyName ? "True (ByPropertyName)" : "False";
            doc.Parameters.TryGetValue(p.Name, out var description);
            var element = new XElement(Command + "parameter",
                new XAttribute("required", use.Mandatory ? "true" : "false"),
                new XAttribute("variableLength", p.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
                new XAttribute("globbing", p.SupportsWildcards ? "true" : "false"),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", use.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
                new XAttribute("aliases", p.Aliases.Length == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                Description(description ?? new List<string>()));
            if (!p.IsSwitch)
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.TypeName));
            element.Add(new XElement(Dev + "type", new XElement(Maml + "name", p.TypeName)));
            if (includeDefault)
                element.Add(new XElement(Dev + "defaultValue", HelpDocument.StatedDefault(description ?? new List<string>()) ?? (p.IsSwitch ? "False" : "None")));
            return element;
        }

        private static XElement TypeElement(string name) => new XElement(Dev + "type", new XElement(Maml + "name", name));

        private static XElement Description(IEnumerable<string> paragraphs) => new XElement(Maml + "description", Paragraphs(paragraphs));

        private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
            paragraphs.Select(p => new XElement(Maml + "para", MarkdownText.Plain(p)));
    }
}

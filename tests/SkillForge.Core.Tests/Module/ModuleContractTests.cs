using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using SkillForge.HelpGen;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Module
{
    /// <summary>
    /// What PowerShell checks when it imports the module, checked without PowerShell: the built module in
    /// out/SkillForge is read as metadata only. A failure here is an Import-Module or Get-Help failure for users.
    /// </summary>
    public sealed class ModuleContractTests
    {
        private static readonly string[] DependencyAssemblyPrefixes =
            { "YamlDotNet", "OpenAI", "System.ClientModel", "Microsoft.Extensions.AI", "System.Text.Json" };

        private static readonly Lazy<List<CmdletMetadata>> Cmdlets = new Lazy<List<CmdletMetadata>>(() =>
            CmdletMetadataReader.Read(Path.Combine(TestPaths.ModuleOutput, "SkillForge.dll"), new[] { AutomationAssembly }));

        private static string AutomationAssembly => Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll");

        private static ModuleManifest Manifest => ModuleManifest.Load(Path.Combine(TestPaths.RepoRoot, "SkillForge.psd1"));

        [Fact]
        public void Every_file_the_manifest_and_the_layout_name_is_in_the_built_module()
        {
            var manifest = Manifest;
            var expected = new List<string> { manifest.Value("RootModule") };
            expected.AddRange(manifest.List("FormatsToProcess"));
            expected.AddRange(File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "build", "ModuleLayout.txt")).Where(l => l.Trim().Length > 0));
            var missing = expected.Where(f => !File.Exists(Path.Combine(TestPaths.ModuleOutput, f))).ToList();
            Assert.True(missing.Count == 0, "Missing from out/SkillForge: " + string.Join(", ", missing));
        }

        [Fact]
        public void Manifest_exports_explicitly_and_matches_the_cmdlets()
        {
            var manifest = Manifest;
            Assert.Equal("SkillForge.dll", manifest.Value("RootModule"));
            foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
                Assert.True(manifest.Has(key) && manifest.List(key).Count == 0, key + " must be an explicit empty list");
            var exported = manifest.List("CmdletsToExport");
            Assert.DoesNotContain(exported, n => n.Contains('*'));
            Assert.True(manifest.Has("PowerShellVersion") && manifest.Has("CompatiblePSEditions") && manifest.Has("Tags"), "manifest lacks PowerShellVersion, CompatiblePSEditions or PSData");

            var names = Cmdlets.Value.Select(c => c.Name).ToList();
            Assert.Empty(names.Except(exported, StringComparer.OrdinalIgnoreCase));
            Assert.Empty(exported.Except(names, StringComparer.OrdinalIgnoreCase));
        }

        [Fact]
        public void Every_cmdlet_has_an_approved_verb_an_output_type_and_is_sealed()
        {
            var approved = ApprovedVerbs();
            Assert.NotEmpty(Cmdlets.Value);
            foreach (var c in Cmdlets.Value)
            {
                Assert.True(c.HasCmdletAttribute, $"{c.ClassName} has no [Cmdlet]");
                Assert.True(approved.Contains(c.Verb), $"{c.Name}: '{c.Verb}' is not an approved verb");
                Assert.True(c.IsPublic && c.IsSealed, $"{c.ClassName} must be public sealed");
                Assert.True(c.OutputTypes.Length > 0, $"{c.Name} has no [OutputType]");
                Assert.True(c.ClassName == "SkillForge.Commands." + c.Verb + c.Noun + "Command", $"{c.ClassName} should be SkillForge.Commands.{c.Verb}{c.Noun}Command");
            }
        }

        [Fact]
        public void Parameter_sets_are_consistent()
        {
            foreach (var c in Cmdlets.Value)
            {
                // A default set that no parameter names is legal: it is how "none of the optional sets" is spelled.
                foreach (var set in c.SetNames)
                {
                    var inSet = c.InSet(set).ToList();
                    var positions = inSet.Where(x => x.Use.Position != null).GroupBy(x => x.Use.Position).Where(g => g.Count() > 1).ToList();
                    Assert.True(positions.Count == 0, $"{c.Name} set '{set}': two parameters at position {positions.FirstOrDefault()?.Key}");
                    var byValue = inSet.Where(x => x.Use.FromPipeline).GroupBy(x => x.Parameter.FullTypeName).Where(g => g.Count() > 1).ToList();
                    Assert.True(byValue.Count == 0, $"{c.Name} set '{set}': several ValueFromPipeline parameters of type {byValue.FirstOrDefault()?.Key}");
                }
                var duplicateNames = c.Parameters.SelectMany(p => new[] { p.Name }.Concat(p.Aliases))
                    .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                Assert.True(duplicateNames.Count == 0, $"{c.Name}: parameter name or alias used twice: {string.Join(", ", duplicateNames)}");
            }
        }

        [Fact]
        public void No_dependency_type_appears_in_a_cmdlet_signature()
        {
            foreach (var c in Cmdlets.Value)
            {
                foreach (var p in c.Parameters)
                    Assert.False(IsDependencyType(p.FullTypeName), $"{c.Name} -{p.Name} is typed {p.FullTypeName}, a dependency type");
                foreach (var t in c.OutputTypes)
                    Assert.False(IsDependencyType(t), $"{c.Name} [OutputType] names {t}, a dependency type");
            }
        }

        [Fact]
        public void Commands_that_write_or_spend_tokens_support_WhatIf()
        {
            foreach (var c in Cmdlets.Value.Where(c => c.Verb == "Export" || c.Verb == "Invoke"))
                Assert.True(c.SupportsShouldProcess, $"{c.Name} writes files or spends tokens: it needs SupportsShouldProcess");
        }

        [Fact]
        public void Every_SkillForge_output_type_has_a_view()
        {
            var format = XDocument.Load(Path.Combine(TestPaths.RepoRoot, "SkillForge.format.ps1xml"));
            var viewed = new HashSet<string>(format.Descendants("TypeName").Select(e => e.Value.Trim()), StringComparer.Ordinal);
            foreach (var c in Cmdlets.Value)
                foreach (var t in c.OutputTypes.Where(t => t.StartsWith("SkillForge.", StringComparison.Ordinal)))
                    Assert.True(viewed.Contains(t), $"{c.Name} outputs {t}, which has no view in SkillForge.format.ps1xml");
        }

        [Fact]
        public void Every_cmdlet_has_help_with_a_synopsis_examples_and_every_parameter()
        {
            var docs = HelpDocument.LoadFolder(Path.Combine(TestPaths.RepoRoot, "docs", "help"))
                .ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
            var maml = XDocument.Load(Path.Combine(TestPaths.ModuleOutput, "en-US", "SkillForge.dll-Help.xml"));
            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            var mamlNames = new HashSet<string>(maml.Descendants(command + "details").Select(d => d.Element(command + "name")!.Value), StringComparer.OrdinalIgnoreCase);

            var problems = new List<string>();
            foreach (var c in Cmdlets.Value)
            {
                if (!docs.TryGetValue(c.Name, out var doc)) { problems.Add($"{c.Name}: no docs/help/{c.Name}.md"); continue; }
                if (doc.Synopsis.Trim().Length == 0) problems.Add($"{c.Name}: no synopsis");
                if (doc.Description.Count == 0) problems.Add($"{c.Name}: no description");
                if (!doc.Examples.Any(e => e.Code.Trim().Length > 0)) problems.Add($"{c.Name}: no example with code");
                if (doc.Outputs.Count == 0) problems.Add($"{c.Name}: no OUTPUTS");
                foreach (var p in c.Parameters)
                    if (!doc.Parameters.TryGetValue(p.Name, out var text) || text.Count == 0)
                        problems.Add($"{c.Name}: parameter -{p.Name} has no help");
                if (!mamlNames.Contains(c.Name)) problems.Add($"{c.Name}: not in the built MAML help");
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        private static bool IsDependencyType(string fullName) =>
            DependencyAssemblyPrefixes.Any(prefix => fullName.StartsWith(prefix, StringComparison.Ordinal)) ||
            fullName.StartsWith("System.Text.Json", StringComparison.Ordinal);

        /// <summary>The approved verbs are the constants of System.Management.Automation's Verbs* classes.</summary>
        private static HashSet<string> ApprovedVerbs()
        {
            var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Append(AutomationAssembly);
            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Runtime");
            var sma = context.LoadFromAssemblyPath(AutomationAssembly);
            var verbs = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in sma.GetTypes().Where(t => t.IsPublic && t.Name.StartsWith("Verbs", StringComparison.Ordinal)))
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
                    verbs.Add((string)field.GetRawConstantValue()!);
            return verbs;
        }
    }
}

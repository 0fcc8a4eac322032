using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SkillForge.HelpGen
{
    /// <summary>How one parameter takes part in one parameter set.</summary>
    public sealed class ParameterSetUse
    {
        public string SetName { get; set; } = ParameterMetadata.AllSets;
        public bool Mandatory { get; set; }
        /// <summary>null when named.</summary>
        public int? Position { get; set; }
        public bool FromPipeline { get; set; }
        public bool FromPipelineByPropertyName { get; set; }
    }

    public sealed class ParameterMetadata
    {
        public const string AllSets = "__AllParameterSets";

        public string Name { get; set; } = "";
        /// <summary>PowerShell-style type name, e.g. String[] or SwitchParameter.</summary>
        public string TypeName { get; set; } = "";
        public string FullTypeName { get; set; } = "";
        public bool IsSwitch { get; set; }
        public string[] Aliases { get; set; } = Array.Empty<string>();
        public bool SupportsWildcards { get; set; }
        public List<ParameterSetUse> Sets { get; } = new List<ParameterSetUse>();
    }

    public sealed class CmdletMetadata
    {
        public string ClassName { get; set; } = "";
        public string Verb { get; set; } = "";
        public string Noun { get; set; } = "";
        public string Name => Verb + "-" + Noun;
        public string? DefaultParameterSetName { get; set; }
        public bool SupportsShouldProcess { get; set; }
        public bool IsPublic { get; set; }
        public bool IsSealed { get; set; }
        public bool HasCmdletAttribute { get; set; }
        public string[] OutputTypes { get; set; } = Array.Empty<string>();
        public List<ParameterMetadata> Parameters { get; } = new List<ParameterMetadata>();

        /// <summary>Every parameter-set name used, the default first; "__AllParameterSets" alone when none is named.</summary>
        public IReadOnlyList<string> SetNames
        {
            get
            {
                var names = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(n => n != ParameterMetadata.AllSets).Distinct().ToList();
                if (names.Count == 0) return new[] { DefaultParameterSetName ?? ParameterMetadata.AllSets };
                // The default set comes first, even when no parameter names it (then it holds the shared parameters only).
                if (DefaultParameterSetName != null)
                {
                    names.Remove(DefaultParameterSetName);
                    names.Insert(0, DefaultParameterSetName);
                }
                return names;
            }
        }

        /// <summary>The parameters in one set, with their use in it.</summary>
        public IEnumerable<(ParameterMetadata Parameter, ParameterSetUse Use)> InSet(string setName)
        {
            foreach (var p in Parameters)
            {
                var use = p.Sets.FirstOrDefault(s => s.SetName == setName) ?? p.Sets.FirstOrDefault(s => s.SetName == ParameterMetadata.AllSets);
                if (use != null) yield return (p, use);
            }
        }
    }

    /// <summary>
    /// Reads the cmdlets of a built module assembly without loading it for execution
    /// (System.Reflection.MetadataLoadContext), so no PowerShell is needed.
    /// </summary>
    public static class CmdletMetadataReader
    {
        public static List<CmdletMetadata> Read(string assemblyPath, IEnumerable<string> extraAssemblyPaths)
        {
            var paths = new List<string>();
            string moduleDir = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
            paths.AddRange(Directory.GetFiles(moduleDir, "*.dll"));
            string deps = Path.Combine(moduleDir, "dependencies");
            if (Directory.Exists(deps)) paths.AddRange(Directory.GetFiles(deps, "*.dll"));
            paths.AddRange(extraAssemblyPaths);
            paths.AddRange(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
            var unique = paths.GroupBy(p => Path.GetFileName(p), StringComparer.OrdinalIgnoreCase).Select(g => g.First());

            using var context = new MetadataLoadContext(new PathAssemblyResolver(unique), "System.Runtime");
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
            var result = new List<CmdletMetadata>();
            foreach (var type in assembly.GetTypes())
            {
                if (type.IsAbstract || !IsCmdlet(type)) continue;
                result.Add(ReadCmdlet(type));
            }
            return result.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }

        /// <summary>The System.Management.Automation reference assembly next to this tool (from PowerShellStandard.Library).</summary>
        public static string AutomationAssemblyBeside(Type anchor) =>
            Path.Combine(Path.GetDirectoryName(anchor.Assembly.Location)!, "System.Management.Automation.dll");

        private static bool IsCmdlet(Type type)
        {
            for (var t = type.BaseType; t != null; t = t.BaseType)
                if (t.FullName == "System.Management.Automation.Cmdlet") return true;
            return false;
        }

        private static CmdletMetadata ReadCmdlet(Type type)
        {
            var cmdlet = new CmdletMetadata { ClassName = type.FullName ?? type.Name, IsPublic = type.IsPublic, IsSealed = type.IsSealed };
            foreach (var attr in type.GetCustomAttributesData())
            {
                switch (attr.AttributeType.FullName)
                {
                    case "System.Management.Automation.CmdletAttribute":
                        cmdlet.HasCmdletAttribute = true;
                        cmdlet.Verb = (string)attr.ConstructorArguments[0].Value!;
                        cmdlet.Noun = (string)attr.ConstructorArguments[1].Value!;
                        foreach (var named in attr.NamedArguments)
                        {
                            if (named.MemberName == "DefaultParameterSetName") cmdlet.DefaultParameterSetName = (string?)named.TypedValue.Value;
                            if (named.MemberName == "SupportsShouldProcess") cmdlet.SupportsShouldProcess = (bool)named.TypedValue.Value!;
                        }
                        break;
                    case "System.Management.Automation.OutputTypeAttribute":
                        cmdlet.OutputTypes = cmdlet.OutputTypes.Concat(OutputTypeNames(attr)).ToArray();
                        break;
                }
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var parameterAttributes = property.GetCustomAttributesData()
                    .Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList();
                if (parameterAttributes.Count == 0) continue;

                var parameter = new ParameterMetadata
                {
                    Name = property.Name,
                    FullTypeName = property.PropertyType.FullName ?? property.PropertyType.Name,
                    TypeName = FriendlyTypeName(property.PropertyType),
                    IsSwitch = property.PropertyType.FullName == "System.Management.Automation.SwitchParameter",
                };
                foreach (var attr in property.GetCustomAttributesData())
                {
                    if (attr.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
                        parameter.Aliases = StringArgs(attr).ToArray();
                    if (attr.AttributeType.FullName == "System.Management.Automation.SupportsWildcardsAttribute")
                        parameter.SupportsWildcards = true;
                }
                foreach (var attr in parameterAttributes)
                {
                    var use = new ParameterSetUse();
                    foreach (var named in attr.NamedArguments)
                    {
                        switch (named.MemberName)
                        {
                            case "ParameterSetName": use.SetName = (string)named.TypedValue.Value!; break;
                            case "Mandatory": use.Mandatory = (bool)named.TypedValue.Value!; break;
                            case "Position": use.Position = (int)named.TypedValue.Value!; break;
                            case "ValueFromPipeline": use.FromPipeline = (bool)named.TypedValue.Value!; break;
                            case "ValueFromPipelineByPropertyName": use.FromPipelineByPropertyName = (bool)named.TypedValue.Value!; break;
                        }
                    }
                    if (use.Position == int.MinValue) use.Position = null;
                    parameter.Sets.Add(use);
                }
                cmdlet.Parameters.Add(parameter);
            }
            return cmdlet;
        }

        private static IEnumerable<string> OutputTypeNames(CustomAttributeData attr)
        {
            foreach (var arg in attr.ConstructorArguments)
            {
                if (arg.Value is IEnumerable<CustomAttributeTypedArgument> items)
                {
                    foreach (var item in items)
                        yield return item.Value is Type t ? t.FullName ?? t.Name : item.Value?.ToString() ?? "";
                }
                else if (arg.Value is Type t) yield return t.FullName ?? t.Name;
                else if (arg.Value is string s) yield return s;
            }
        }

        private static IEnumerable<string> StringArgs(CustomAttributeData attr)
        {
            foreach (var arg in attr.ConstructorArguments)
            {
                if (arg.Value is IEnumerable<CustomAttributeTypedArgument> items)
                    foreach (var item in items) yield return (string)item.Value!;
                else if (arg.Value is string s) yield return s;
            }
        }

        private static string FriendlyTypeName(Type type)
        {
            if (type.IsArray) return FriendlyTypeName(type.GetElementType()!) + "[]";
            if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
                return FriendlyTypeName(type.GetGenericArguments()[0]);
            return type.Name;
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// The private load context for the assemblies in dependencies/. An assembly that the platform (the .NET
    /// runtime PowerShell runs on, or PowerShell itself) already provides at the requested version or later is
    /// left to the default context, so that SkillForge.Core (default context) and the dependencies (this
    /// context) share one copy of it: on .NET 10 System.Text.Json, System.IO.Pipelines and
    /// System.Net.ServerSentEvents are part of the runtime, and a second copy would make their types
    /// (JsonElement, ...) two different types. On .NET 8 the runtime's System.Text.Json 8 is too old for
    /// Core, so the default context cannot bind it and the copy in dependencies/ serves everyone.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string _directory;
        private readonly Lazy<Dictionary<string, Version>> _platform = new Lazy<Dictionary<string, Version>>(ReadPlatformAssemblies);

        public DependencyLoadContext(string directory) : base("SkillForge.Dependencies", isCollectible: false) => _directory = directory;

        /// <summary>Whether dependencies/ ships this assembly and the platform cannot provide it, so this context must.</summary>
        public bool Owns(AssemblyName name) =>
            name.Name != null && File.Exists(PathOf(name.Name)) && !PlatformProvides(name);

        protected override Assembly? Load(AssemblyName name)
        {
            // Not ours, or the platform's copy will do: fall back to the default context.
            return Owns(name) ? LoadFromAssemblyPath(PathOf(name.Name!)) : null;
        }

        private string PathOf(string simpleName) => Path.Combine(_directory, simpleName + ".dll");

        private bool PlatformProvides(AssemblyName name)
        {
            var wanted = name.Version ?? new Version(0, 0);
            foreach (var loaded in Default.Assemblies)
            {
                var n = loaded.GetName();
                if (string.Equals(n.Name, name.Name, StringComparison.OrdinalIgnoreCase) && n.Version != null && n.Version >= wanted) return true;
            }
            return _platform.Value.TryGetValue(name.Name!, out var version) && version >= wanted;
        }

        /// <summary>The runtime's and PowerShell's own assemblies (the trusted platform list) and their versions.</summary>
        private static Dictionary<string, Version> ReadPlatformAssemblies()
        {
            var versions = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
            if (!(AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)) return versions;
            foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                try
                {
                    var name = AssemblyName.GetAssemblyName(path);
                    if (name.Name != null && name.Version != null) versions[name.Name] = name.Version;
                }
                catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                    // Not a managed assembly, or unreadable: it cannot be the platform's copy of a dependency.
                }
            }
            return versions;
        }
    }
}

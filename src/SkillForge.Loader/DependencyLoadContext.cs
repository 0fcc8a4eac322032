using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace SkillForge.Loader
{
    /// <summary>
    /// The private load context for the assemblies in dependencies/ (SkillForge.Core among them). For each
    /// assembly name it decides once who serves every request for that name, whatever version is asked for, so
    /// that the cmdlets (default context), SkillForge.Core and the dependencies always share one copy:
    /// <list type="bullet">
    /// <item>the platform (the .NET runtime PowerShell runs on and PowerShell itself: the trusted platform
    /// assemblies) when it has the name at the version of the copy in dependencies/ or later: on .NET 10 System.Text.Json,
    /// System.IO.Pipelines and System.Net.ServerSentEvents are part of the runtime, and a second copy would make
    /// their types (JsonElement, ...) two different types;</item>
    /// <item>this context otherwise: on .NET 8 the runtime's System.Text.Json 8 is older than Core needs, so the
    /// copy in dependencies/ serves Core and every dependency alike.</item>
    /// </list>
    /// What other modules loaded never counts: a YamlDotNet 99 that another module brought is not SkillForge's.
    /// </summary>
    internal sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private readonly string _directory;
        private readonly ConcurrentDictionary<string, bool> _owned = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        private readonly Lazy<Dictionary<string, string>> _platform = new Lazy<Dictionary<string, string>>(ReadPlatformAssemblies);

        public DependencyLoadContext(string directory) : base("SkillForge.Dependencies", isCollectible: false) => _directory = directory;

        /// <summary>Whether this context serves requests for this assembly name (decided once per name).</summary>
        public bool Owns(AssemblyName name) => name.Name != null && _owned.GetOrAdd(name.Name, Decide);

        protected override Assembly? Load(AssemblyName name)
        {
            // Not ours, or the platform's copy serves it: fall back to the default context.
            return Owns(name) ? LoadFromAssemblyPath(PathOf(name.Name!)) : null;
        }

        private string PathOf(string simpleName) => Path.Combine(_directory, simpleName + ".dll");

        private bool Decide(string simpleName)
        {
            string path = PathOf(simpleName);
            if (!File.Exists(path)) return false;
            Version ours;
            try
            {
                ours = AssemblyName.GetAssemblyName(path).Version ?? new Version(0, 0);
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException)
            {
                return false;
            }
            return !PlatformHas(simpleName, ours);
        }

        private bool PlatformHas(string simpleName, Version version)
        {
            if (!_platform.Value.TryGetValue(simpleName, out var path)) return false;
            try
            {
                var platform = AssemblyName.GetAssemblyName(path).Version;
                return platform != null && platform >= version;
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                return false; // unreadable: it cannot serve the request
            }
        }

        /// <summary>The runtime's and PowerShell's own assemblies (the trusted platform list), by simple name.</summary>
        private static Dictionary<string, string> ReadPlatformAssemblies()
        {
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (!(AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)) return paths;
            foreach (var path in list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) paths[Path.GetFileNameWithoutExtension(path)] = path;
            }
            return paths;
        }
    }
}

using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// Loads the third-party assemblies in dependencies/ (YamlDotNet, OpenAI, System.ClientModel,
    /// Microsoft.Extensions.AI, ...) into a private load context, so another module's copy of the same
    /// assembly can neither break SkillForge nor be broken by it. Only names that ship in dependencies/
    /// are answered; every other request is left to PowerShell.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        private static readonly DependencyLoadContext Dependencies = new DependencyLoadContext(DependencyDirectory);

        public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveDependency;

        public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveDependency;

        private static Assembly? ResolveDependency(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            if (name.Name == null || !File.Exists(Path.Combine(DependencyDirectory, name.Name + ".dll"))) return null;
            return Dependencies.LoadFromAssemblyName(name);
        }

        private sealed class DependencyLoadContext : AssemblyLoadContext
        {
            private readonly string _directory;

            public DependencyLoadContext(string directory) : base("SkillForge.Dependencies", isCollectible: false) => _directory = directory;

            protected override Assembly? Load(AssemblyName name)
            {
                if (name.Name == null) return null;
                string path = Path.Combine(_directory, name.Name + ".dll");
                // Not ours: fall back to the default context (the framework and PowerShell's own assemblies).
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }
}

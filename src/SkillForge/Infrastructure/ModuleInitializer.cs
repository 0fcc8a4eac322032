using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// Loads the third-party assemblies in dependencies/ (YamlDotNet, OpenAI, System.ClientModel,
    /// Microsoft.Extensions.AI, ...) into a private load context, so another module's copy of the same
    /// assembly can neither break SkillForge nor be broken by it. Only names that ship in dependencies/ and
    /// that the platform cannot provide are answered; every other request is left to PowerShell.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyDirectory =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        private static readonly DependencyLoadContext Dependencies = new DependencyLoadContext(DependencyDirectory);

        public void OnImport()
        {
            // Import-Module -Force runs OnImport again: never subscribe twice.
            AssemblyLoadContext.Default.Resolving -= ResolveDependency;
            AssemblyLoadContext.Default.Resolving += ResolveDependency;
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveDependency;

        private static Assembly? ResolveDependency(AssemblyLoadContext defaultContext, AssemblyName name) =>
            Dependencies.Owns(name) ? Dependencies.LoadFromAssemblyName(name) : null;
    }
}

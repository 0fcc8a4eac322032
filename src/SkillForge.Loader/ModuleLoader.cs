using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace SkillForge.Loader
{
    /// <summary>
    /// Loads SkillForge.Core and the third-party assemblies in dependencies/ (YamlDotNet, OpenAI,
    /// System.ClientModel, Microsoft.Extensions.AI, ...) into a private load context, so another module's copy of
    /// the same assembly can neither break SkillForge nor be broken by it, whichever was loaded first. Core is in
    /// that context too: were it in the default one, the runtime would hand it any YamlDotNet already loaded
    /// there (a newer version wins) without asking. PowerShell never looks in dependencies/, so every request for
    /// these names comes here; only names that ship in dependencies/ and that the runtime cannot provide at that
    /// version are answered, every other request is left to PowerShell. The manifest imports this assembly
    /// (NestedModules) before SkillForge.dll, whose cmdlets PowerShell can only read once SkillForge.Core resolves.
    /// </summary>
    public sealed class ModuleLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleLoader).Assembly.Location) ?? ".";

        private static readonly DependencyLoadContext Dependencies = new DependencyLoadContext(Path.Combine(ModuleDirectory, "dependencies"));

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

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

        private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

        private static Assembly? ResolveDependency(AssemblyLoadContext defaultContext, AssemblyName name)
        {
            // SkillForge.Core sits beside this assembly and belongs in the default context (its types are the
            // module's output types). PowerShell usually finds it there by itself; this covers hosts that do not.
            if (name.Name == "SkillForge.Core")
            {
                string core = Path.Combine(ModuleDirectory, "SkillForge.Core.dll");
                return File.Exists(core) ? defaultContext.LoadFromAssemblyPath(core) : null;
            }
            return Dependencies.Owns(name) ? Dependencies.LoadFromAssemblyName(name) : null;
        }
    }
}

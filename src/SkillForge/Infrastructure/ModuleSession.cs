using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;
using SkillForge.Commands;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// What starts and ends with the module in a session. SkillForge.Core lives in the module's private load
    /// context (see SkillForge.Loader), whose types PowerShell does not search when it reads a type literal, so
    /// each public type of Core is registered under its own full name: [SkillForge.SkillFile] and
    /// [SkillForge.DistillPrompt]@{ ... } work as for any module. On removal the names and the session's API key
    /// and other defaults are forgotten, so Remove-Module, then Import-Module, starts clean.
    /// </summary>
    public sealed class ModuleSession : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        // PowerShell's table of type names ([pscustomobject], [ordered], ...): public methods on a non-public class.
        private static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

        private static readonly List<string> Registered = new List<string>();

        public void OnImport()
        {
            var add = Accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
            if (add == null) return;
            lock (Registered)
            {
                foreach (var type in typeof(MemoryDoc).Assembly.GetExportedTypes())
                {
                    if (type.FullName == null || type.IsNested) continue;
                    add.Invoke(null, new object[] { type.FullName, type });
                    Registered.Add(type.FullName);
                }
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            SkillForgeContextStore.ClearAll();
            var remove = Accelerators?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
            if (remove == null) return;
            lock (Registered)
            {
                foreach (var name in Registered) remove.Invoke(null, new object[] { name });
                Registered.Clear();
            }
        }
    }
}

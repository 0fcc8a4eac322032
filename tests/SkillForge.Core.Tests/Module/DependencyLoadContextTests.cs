using System;
using System.IO;
using System.Reflection;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Module
{
    /// <summary>
    /// The module's private load context decides, per assembly, whether dependencies/ or the platform serves it.
    /// Checked on the built module: a wrong answer loads System.Text.Json twice (broken JsonElement calls).
    /// Which of SkillForge's own assemblies it serves depends on the host's platform list (this test host has them
    /// all), so that part is left to the Pester module test, which runs in a fresh PowerShell.
    /// </summary>
    public sealed class DependencyLoadContextTests
    {
        private static object NewContext()
        {
            // Only the load-context type is used: it needs nothing from System.Management.Automation.
            var assembly = Assembly.LoadFrom(Path.Combine(TestPaths.ModuleOutput, "SkillForge.Loader.dll"));
            var type = assembly.GetType("SkillForge.Loader.DependencyLoadContext", throwOnError: true)!;
            return Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
                new object[] { Path.Combine(TestPaths.ModuleOutput, "dependencies") }, null)!;
        }

        private static bool Owns(object context, string name) =>
            (bool)context.GetType().GetMethod("Owns")!.Invoke(context, new object[] { new AssemblyName(name) })!;

        [Fact]
        public void An_assembly_the_runtime_has_at_the_same_version_or_later_is_left_to_the_platform()
        {
            // This test host runs on .NET 10, whose System.Text.Json is as new as the copy in dependencies/.
            Assert.False(Owns(NewContext(), "System.Text.Json"));
        }

        [Fact]
        public void Names_not_shipped_in_dependencies_are_never_answered()
        {
            var context = NewContext();
            Assert.False(Owns(context, "SkillForge"));
            Assert.False(Owns(context, "Some.Other.Module"));
        }
    }
}

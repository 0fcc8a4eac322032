using System.Runtime.CompilerServices;
using System.Management.Automation.Runspaces;
using SkillForge.Distillation;

namespace SkillForge.Commands
{
    /// <summary>
    /// The session defaults of Set-SkillForgeContext, one set per runspace (so ForEach-Object -Parallel and
    /// other runspaces start clean). Held in memory only; nothing is ever written to disk.
    /// </summary>
    internal static class SkillForgeContextStore
    {
        private static readonly ConditionalWeakTable<object, DistillationOptions> Contexts = new ConditionalWeakTable<object, DistillationOptions>();
        private static readonly object NoRunspace = new object();
        private static readonly object Gate = new object();

        private static object Key => (object?)Runspace.DefaultRunspace ?? NoRunspace;

        /// <summary>A copy of this runspace's defaults (empty when none were set).</summary>
        public static DistillationOptions Get()
        {
            lock (Gate) return Contexts.TryGetValue(Key, out var options) ? options.Clone() : new DistillationOptions();
        }

        public static void Set(DistillationOptions options)
        {
            lock (Gate) Contexts.AddOrUpdate(Key, options.Clone());
        }

        public static void Clear()
        {
            lock (Gate) Contexts.Remove(Key);
        }

        /// <summary>Forgets the defaults of every runspace: the module is being removed.</summary>
        public static void ClearAll()
        {
            lock (Gate) Contexts.Clear();
        }
    }
}

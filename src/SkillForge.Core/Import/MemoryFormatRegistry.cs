using System.Collections.Generic;
using SkillForge.Import.Formats;

namespace SkillForge.Import
{
    /// <summary>Every memory format, in the order Auto tries them (most specific first, SkillForge's own last).</summary>
    public static class MemoryFormatRegistry
    {
        public static IReadOnlyList<IMemoryFormat> All { get; } = new IMemoryFormat[]
        {
            new LettaMemoryFormat(),
            new Mem0MemoryFormat(),
            new SkillRLMemoryFormat(),
            new ReflexionMemoryFormat(),
            new SkillForgeMemoryFormat(),
        };
    }
}

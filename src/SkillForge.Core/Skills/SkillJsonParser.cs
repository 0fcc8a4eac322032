using System;
using System.Collections.Generic;
using SkillForge.Diagnostics;

namespace SkillForge.Skills
{
    /// <summary>ConvertFrom-SkillJson: the JSON array of skills out of a model's answer.</summary>
    public static class SkillJsonParser
    {
        /// <summary>
        /// One outcome per array element (a missing name or description is an error for that element only).
        /// Throws SkillForgeException (ErrorIds.SkillJsonInvalid, with a snippet) when no JSON can be found at all.
        /// </summary>
        public static IReadOnlyList<Outcome<DistilledSkill>> Parse(string text, string? sourceName = null) => throw new NotImplementedException();
    }
}

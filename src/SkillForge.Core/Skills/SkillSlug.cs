using System;

namespace SkillForge.Skills
{
    /// <summary>ConvertTo-SkillSlug: a name that is a valid skill name and folder name.</summary>
    public static class SkillSlug
    {
        public const int MaxLength = 64;
        public const string Fallback = "unnamed-skill";

        public static string From(string? text) => throw new NotImplementedException();
    }
}

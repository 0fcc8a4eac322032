using System;

namespace SkillForge.Skills
{
    /// <summary>ConvertTo-SkillMarkdown: DistilledSkill → SKILL.md text that always passes validation.</summary>
    public static class SkillMarkdownWriter
    {
        public static string ToMarkdown(DistilledSkill skill) => throw new NotImplementedException();
    }
}

using System;

namespace SkillForge.Skills
{
    /// <summary>Test-SkillMarkdown: the Agent Skills rules, every problem reported with a code and a line.</summary>
    public static class SkillMarkdownValidator
    {
        /// <summary>Checks SKILL.md text. folderName, when given, must equal the name (after NFKC).</summary>
        public static SkillValidationResult Validate(string content, string? path = null, string? folderName = null, bool strict = false) =>
            throw new NotImplementedException();

        /// <summary>Checks a SKILL.md file or a skill folder (a folder without SKILL.md is an invalid result, not an exception).</summary>
        public static SkillValidationResult ValidatePath(string path, bool strict = false) => throw new NotImplementedException();
    }
}

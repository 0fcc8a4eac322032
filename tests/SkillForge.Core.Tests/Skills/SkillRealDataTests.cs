using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Skills
{
    /// <summary>The SkillRL skill library (real data): every skill converts to a valid SKILL.md and exports.</summary>
    public class SkillRealDataTests
    {
        private static object? ToValue(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, ToValue(p.Value))).ToList(),
            JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Null => null,
            _ => e.GetRawText(),
        };

        private static IEnumerable<JsonElement> Skills(JsonElement root)
        {
            foreach (var s in root.GetProperty("general_skills").EnumerateArray()) yield return s;
            foreach (var task in root.GetProperty("task_specific_skills").EnumerateObject())
                foreach (var s in task.Value.EnumerateArray()) yield return s;
        }

        [RealDataFact]
        public void SkillRL_library_converts_to_valid_skills_and_exports()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(TestPaths.RealDataFile("trajectories/skillrl/alfworld/claude_style_skills.json")));
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            int count = 0;
            foreach (var element in Skills(json.RootElement))
            {
                var properties = (List<KeyValuePair<string, object?>>)ToValue(element)!;
                var skill = SkillMarkdownWriter.FromProperties(properties);
                Assert.NotEqual("", skill.Name);
                Assert.NotEqual("", skill.Description);
                var markdown = SkillMarkdownWriter.ToMarkdown(skill);
                var check = SkillMarkdownValidator.Validate(markdown, strict: true);
                Assert.True(check.IsValid, string.Join("\n", check.Diagnostics.Select(d => d.ToString())));
                var file = library.Commit(library.Plan(new SkillWriteRequest { Content = markdown, SourceIds = new[] { element.GetProperty("skill_id").GetString()! } }));
                Assert.True(SkillMarkdownValidator.ValidatePath(file.Path).IsValid);
                count++;
            }
            Assert.True(count >= 10, $"only {count} skills read");
            Assert.Equal(count, Directory.EnumerateDirectories(temp.Path).Count());
        }
    }
}

using System.IO;
using SkillForge.Skills;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Skills
{
    /// <summary>skillforge-source-ids keeps every id as it is, commas and line breaks included.</summary>
    public class SourceIdListTests
    {
        [Fact]
        public void Ids_with_commas_percent_signs_and_line_breaks_read_back_as_themselves()
        {
            var ids = new[] { "a,b", "line\nbreak", "50%", "plain" };
            string value = SkillMarkdownWriter.FormatSourceIds(ids);
            Assert.Equal("a%2Cb,line%0Abreak,50%25,plain", value);
            Assert.Equal(ids, SkillMarkdownWriter.ParseSourceIds(value));
        }

        [Fact]
        public void Export_writes_and_reports_the_real_ids()
        {
            using var temp = new TempDir();
            var library = new SkillLibrary(temp.Path);
            var plan = library.Plan(new SkillWriteRequest
            {
                Content = "---\nname: ids\ndescription: Keeps ids. Use when testing.\n---\n\n# Ids\n",
                SourceIds = new[] { "doc,1", "doc\n2" },
            });
            var file = library.Commit(plan);
            Assert.Equal(new[] { "doc,1", "doc\n2" }, file.SourceIds);
            Assert.Contains("skillforge-source-ids: doc%2C1,doc%0A2", File.ReadAllText(file.Path));
        }
    }
}

using SkillForge.Diagnostics;
using SkillForge.Skills;
using Xunit;

namespace SkillForge.Tests.Skills
{
    public class SkillJsonNestedArrayTests
    {
        [Theory]
        [InlineData("[[[]]]")]
        [InlineData("[[], []]")]
        public void Arrays_of_arrays_are_not_an_empty_answer_but_an_error(string text)
        {
            var e = Assert.Throws<SkillForgeException>(() => SkillJsonParser.Parse(text));
            Assert.Equal(ErrorIds.SkillJsonInvalid, e.ErrorId);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("The model found nothing: []")]
        public void A_real_empty_array_is_still_no_skills(string text)
        {
            Assert.Empty(SkillJsonParser.Parse(text));
        }
    }
}

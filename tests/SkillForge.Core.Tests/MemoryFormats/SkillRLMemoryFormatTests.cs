using System.Linq;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.MemoryFormats
{
    public class SkillRLMemoryFormatTests
    {
        private static readonly SkillRLMemoryFormat Reader = new SkillRLMemoryFormat();

        [RealDataFact]
        public void Generated_memories_give_a_lesson_per_memory_and_an_anti_pattern_per_mistake()
        {
            // Counted independently: 223 memories (113 Success, 110 Failure), 471 mistakes_to_avoid entries,
            // 38 memories classified as pick_and_place.
            var path = TestPaths.RealDataFile("trajectories/skillrl/alfworld/generated_memories_alfworld_total.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(223 + 471, read.Count);
            var lessons = read.Where(d => d.Kind == "lesson").ToList();
            Assert.Equal(223, lessons.Count);
            Assert.Equal(471, read.Count(d => d.Kind == "anti_pattern"));
            Assert.Equal(113, lessons.Count(d => d.HasTag("success")));
            Assert.Equal(110, lessons.Count(d => d.HasTag("failure")));
            Assert.Equal(38, lessons.Count(d => d.HasTag("pick_and_place")));
            Assert.Equal(read.Count, read.Select(d => d.Id).Distinct().Count());
            Assert.All(read, d =>
            {
                Assert.Equal("Alfworld", d.Scope);
                Assert.True(d.HasTag("skillrl"));
                Assert.Equal("Core", d.Tier);
            });
            Assert.All(read.Where(d => d.Kind == "anti_pattern"), d =>
            {
                Assert.True(d.HasTag("failure"));
                Assert.StartsWith("When ", d.Text);
                Assert.Contains(", avoid: ", d.Text);
            });

            var first = lessons[0];
            Assert.Equal("mem_alfworld_8605f189", first.Id);
            Assert.Equal(new[] { "success", "pick_and_place", "skillrl" }, first.Tags);
            Assert.Contains("Planning pattern: Search [Location]", first.Text);
            Assert.Equal(1, first.SourceLine);
        }

        [RealDataFact]
        public void Claude_style_skill_library_is_read_as_skills_and_mistakes()
        {
            // Counted independently: 12 general skills, 32 task-specific skills over 6 tasks, 11 common mistakes.
            var path = TestPaths.RealDataFile("trajectories/skillrl/alfworld/claude_style_skills.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(55, read.Count);
            Assert.Equal(12, read.Count(d => d.Kind == "skill" && d.Scope == "general"));
            Assert.Equal(32, read.Count(d => d.Kind == "skill" && d.Scope != "general"));
            Assert.Equal(11, read.Count(d => d.Kind == "anti_pattern"));
            Assert.Equal("gen_001", read[0].Id);
            Assert.StartsWith("Systematic Exploration: Search every plausible surface", read[0].Text);
            Assert.Contains("When to apply: Anytime", read[0].Text);
        }

        [Fact]
        public void Hand_made_memories_cover_task_types_mistakes_and_bad_records()
        {
            var path = FormatHarness.Fixture("skillrl/small-memories.json");
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Equal(new[] { "mem_test_1", "mem_test_2", "mem_test_2/mistake-1" }, read.Select(d => d.Id));
            Assert.Equal("Task classified as 'pick_and_place' to put a mug on the desk.\n\nPlanning pattern: Find [Object] -> Take [Object] -> Place [Object]", read[0].Text);
            Assert.Equal(new[] { "failure", "heat", "skillrl" }, read[1].Tags);
            Assert.Equal("Heating task failed.", read[1].Text);
            Assert.Equal("When the object is already in hand, avoid: Search the room again.", read[2].Text);
            Assert.Equal("anti_pattern", read[2].Kind);

            Assert.Equal(new long[] { 2, 3, 4 }, errors.Select(e => e.Line));
            Assert.All(errors, e => Assert.Equal(ErrorIds.ImportInvalidRecord, e.ErrorId));
        }
    }
}

using System.Linq;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.MemoryFormats
{
    public class ReflexionMemoryFormatTests
    {
        private static readonly ReflexionMemoryFormat Reader = new ReflexionMemoryFormat();

        [RealDataFact]
        public void Trial_log_gives_one_doc_per_reflection()
        {
            // Counted independently: 134 environments, all successful in trial 14, 200 reflections over 50 of them.
            var path = TestPaths.RealDataFile("trajectories/reflexion/alfworld/env_results_trial_14.json");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(200, read.Count);
            Assert.Equal(50, read.Select(d => d.Scope).Distinct().Count());
            Assert.Equal(read.Count, read.Select(d => d.Id).Distinct().Count());
            Assert.All(read, d =>
            {
                Assert.Equal(new[] { "success", "reflexion" }, d.Tags);
                Assert.Equal("reflection", d.Kind);
                Assert.Equal("Core", d.Tier);
                Assert.StartsWith(d.Scope + "/reflection-", d.Id);
            });
        }

        [Fact]
        public void Hand_made_log_covers_failures_bad_reflections_and_records_without_a_name()
        {
            var path = FormatHarness.Fixture("reflexion/two-envs.json");
            var (read, errors) = FormatHarness.ReadMemory(Reader, path);

            Assert.Equal(new[] { "env_0/reflection-0", "env_1/reflection-0", "env_1/reflection-3" }, read.Select(d => d.Id));
            Assert.Equal(new[] { "failure", "reflexion" }, read[1].Tags);
            Assert.Equal("env_1", read[1].Scope);
            Assert.Equal(2, read[1].SourceLine);
            Assert.Equal(new long[] { 2, 3 }, errors.Select(e => e.Line));
            Assert.All(errors, e => Assert.Equal(ErrorIds.ImportInvalidRecord, e.ErrorId));
        }
    }
}

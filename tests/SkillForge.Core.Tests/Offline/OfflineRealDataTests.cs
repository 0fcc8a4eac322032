using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkillForge.Distillation;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Offline
{
    /// <summary>The offline distiller on real agent memories (SkillRL's ALFWorld memories and Reflexion reflections).</summary>
    public class OfflineRealDataTests
    {
        [RealDataFact]
        public void SkillRL_memories_of_one_task_type_become_a_valid_deduplicated_skill()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(TestPaths.RealDataFile("trajectories/skillrl/alfworld/generated_memories_alfworld_total.json")));
            var byType = new Dictionary<string, List<MemoryDoc>>();
            int index = 0;
            foreach (var item in json.RootElement.EnumerateArray())
            {
                var text = item.GetProperty("contextual_description").GetString() ?? "";
                var type = Regex.Match(text, "classified as '([^']+)'").Groups[1].Value;
                if (type.Length == 0) continue;
                if (!byType.TryGetValue(type, out var list)) byType[type] = list = new List<MemoryDoc>();
                list.Add(OfflineDistillerClusterTests.Doc(item.GetProperty("memory_id").GetString()!, text, 1000 - index++, scope: "alfworld", kind: "trajectory"));
            }
            Assert.NotEmpty(byType);
            foreach (var pair in byType)
            {
                var docs = pair.Value.Take(12).ToArray();
                var result = new OfflineDistiller().Distill(OfflineDistillerClusterTests.Prompt(docs));
                var map = SkillMarkdownAssert.Valid(result.Text);
                Assert.Contains("alfworld", (string)map["description"]);
                var steps = OfflineDistillerClusterTests.Steps(result.Text);
                Assert.NotEmpty(steps);
                Assert.StartsWith("AlfWorld task classified as '" + pair.Key + "'", steps[0]);
                // Templated sentences ("AlfWorld task classified as ...") collapse: fewer steps than sentences in.
                int sentencesIn = docs.Sum(d => Regex.Matches(d.Text, @"[.!?](\s|$)").Count);
                Assert.True(steps.Count < sentencesIn, $"{pair.Key}: {steps.Count} steps from {sentencesIn} sentences");
            }
        }

        [RealDataFact]
        public void Reflexion_reflections_become_valid_skills()
        {
            using var json = JsonDocument.Parse(File.ReadAllText(TestPaths.RealDataFile("trajectories/reflexion/alfworld/env_results_trial_14.json")));
            var docs = new List<MemoryDoc>();
            foreach (var env in json.RootElement.EnumerateArray())
            {
                int i = 0;
                foreach (var reflection in env.GetProperty("memory").EnumerateArray())
                    docs.Add(OfflineDistillerClusterTests.Doc(env.GetProperty("name").GetString() + "-" + i++, reflection.GetString() ?? "", i, scope: "reflexion", kind: "reflection"));
            }
            Assert.NotEmpty(docs);
            foreach (var chunk in docs.Select((d, n) => (d, n)).GroupBy(x => x.n / 5).Take(20))
            {
                var result = new OfflineDistiller().Distill(OfflineDistillerClusterTests.Prompt(chunk.Select(x => x.d).ToArray()));
                SkillMarkdownAssert.Valid(result.Text);
            }
        }
    }
}

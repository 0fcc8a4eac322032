using System.Linq;
using System.Text.Json;
using SkillForge.Diagnostics;
using SkillForge.Tests.MemoryFormats;
using SkillForge.Tests.Support;
using SkillForge.Traces.Formats;
using Xunit;

namespace SkillForge.Tests.TraceFormats
{
    public class SweAgentTraceFormatTests
    {
        private static readonly SweAgentTraceFormat Reader = new SweAgentTraceFormat();

        // Counted independently: steps in "trajectory", observations with a traceback or a syntax-error rejection.
        [RealDataTheory]
        [InlineData("pydicom__pydicom-1458", 12, 4)]
        [InlineData("swe-agent__test-repo-i1", 5, 0)]
        public void Each_step_is_an_action_and_the_episode_end_carries_the_reward(string name, int steps, int failures)
        {
            var path = TestPaths.RealDataFile("trajectories/swe-agent/" + name + ".traj");
            Assert.True(Reader.Recognizes(FormatHarness.Sample(path)));
            var (events, errors) = FormatHarness.ReadTrace(Reader, path);

            Assert.Empty(errors);
            Assert.Equal(steps + 1, events.Count);
            Assert.Equal(failures, events.Count(e => e.Kind == "action_failed"));
            Assert.Equal(steps - failures, events.Count(e => e.Kind == "action_succeeded"));
            Assert.All(events, e => Assert.Equal(name, e.TraceId));
            var end = events.Last();
            Assert.Equal("episode_end", end.Kind);
            Assert.Equal(1.0, end.Reward);
            using var data = JsonDocument.Parse(end.Data);
            Assert.Equal("submitted", data.RootElement.GetProperty("exit_status").GetString());
            Assert.Equal("submit", events[events.Count - 2].Tool);
        }

        [RealDataFact]
        public void Pydicom_steps_map_to_the_expected_tools_and_outcomes()
        {
            var (events, _) = FormatHarness.ReadTrace(Reader, TestPaths.RealDataFile("trajectories/swe-agent/pydicom__pydicom-1458.traj"));
            Assert.Equal(
                new[] { "create", "edit", "python", "find_file", "open", "edit", "edit", "edit", "edit", "python", "rm", "submit" },
                events.Take(12).Select(e => e.Tool));
            Assert.Equal(new[] { 3, 6, 7, 8 }, events.Where(e => e.Kind == "action_failed").Select(e => (int)e.SourceLine));
            // `open` shows source containing "raise AttributeError(": a file listing is not a failure.
            Assert.Equal("action_succeeded", events[4].Kind);
            Assert.Equal("step-3", events[2].ActionId);
            Assert.Equal("{\"open_file\": \"/pydicom__pydicom/reproduce_bug.py\", \"working_dir\": \"/pydicom__pydicom\"}", events[2].StateAfter);
            using var data = JsonDocument.Parse(events[2].Data);
            Assert.StartsWith("python reproduce_bug.py", data.RootElement.GetProperty("action").GetString());
            Assert.StartsWith("Traceback (most recent call last)", data.RootElement.GetProperty("observation").GetString());
            Assert.Contains("reproduce the bug", data.RootElement.GetProperty("thought").GetString());
            Assert.Null(events[2].DurationMs);
        }

        [Fact]
        public void Hand_made_trajectory_covers_errors_durations_and_an_unsubmitted_exit()
        {
            var path = FormatHarness.Fixture("swe-agent/cost-limit.traj");
            var (events, errors) = FormatHarness.ReadTrace(Reader, path);

            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Equal(3, error.Line);
            Assert.Contains("cost-limit.traj", error.Message);

            Assert.Equal(new[] { "ls", "pytest", "edit", "search_dir", "open", null }, events.Select(e => e.Tool));
            Assert.Equal(
                new[] { "action_succeeded", "action_failed", "action_failed", "action_succeeded", "action_succeeded", "episode_end" },
                events.Select(e => e.Kind));
            Assert.Equal(250, events[0].DurationMs!.Value, 6);
            Assert.Equal(1500, events[1].DurationMs!.Value, 6);
            Assert.Equal("{\"open_file\": \"n/a\", \"working_dir\": \"/repo\"}", events[0].StateAfter);
            Assert.Null(events[1].StateAfter); // a Python repr is not guessed at
            Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, events.Select(e => e.Sequence));
            Assert.All(events, e => Assert.Equal("cost-limit", e.TraceId));

            var end = events.Last();
            Assert.Equal(0.0, end.Reward);
            Assert.Equal(7, end.SourceLine);
            using var data = JsonDocument.Parse(end.Data);
            Assert.Equal("exit_cost", data.RootElement.GetProperty("exit_status").GetString());
            using var obs = JsonDocument.Parse(events[0].Data);
            Assert.DoesNotContain("\r", obs.RootElement.GetProperty("observation").GetString());
        }

        [Fact]
        public void Long_observations_are_cut()
        {
            var big = new string('x', 50_000);
            var content = "{\"trajectory\":[{\"action\":\"cat big.txt\",\"observation\":\"" + big + "\",\"thought\":\"t\"}],\"info\":{}}";
            var (events, errors) = FormatHarness.ReadTraceText(Reader, "big.traj", content);
            Assert.Empty(errors);
            using var data = JsonDocument.Parse(events[0].Data);
            Assert.True(data.RootElement.GetProperty("observation").GetString()!.Length <= SweAgentTraceFormat.ObservationChars);
            Assert.Equal(0.0, events[1].Reward); // info without exit_status: not submitted
        }

        [Fact]
        public void Mini_swe_agent_files_are_recognised_and_reported_as_unsupported()
        {
            var content = "{\"info\": {\"exit_status\": \"Submitted\"}, \"messages\": [{\"role\": \"system\", \"content\": \"hi\"}], \"trajectory_format\": \"mini-swe-agent-1\"}";
            Assert.True(Reader.Recognizes(FormatHarness.SampleOf("run.traj.json", content)));
            var (events, errors) = FormatHarness.ReadTraceText(Reader, "run.traj.json", content);
            Assert.Empty(events);
            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.TraceInvalidRecord, error.ErrorId);
            Assert.Contains("mini-swe-agent", error.Message);
        }

        [Theory]
        [InlineData("a.traj", "{}", true)]
        [InlineData("a.traj.gz", "{}", true)]
        [InlineData("run.json", "{\"environment\": \"swe_main\", \"trajectory\": [{\"action\": \"ls\\n\", \"observation\": \"\"}]}", true)]
        [InlineData("run.json", "{\"trace_id\": \"t1\", \"kind\": \"action_succeeded\", \"tool\": \"ls\"}", false)]
        [InlineData("run.jsonl", "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"trajectory\"},\"sessionId\":\"s\"}", false)]
        public void Recognition_is_specific(string fileName, string head, bool expected) =>
            Assert.Equal(expected, Reader.Recognizes(FormatHarness.SampleOf(fileName, head)));

        [Theory]
        [InlineData("Traceback (most recent call last):\n  File \"x.py\", line 1\nZeroDivisionError: division by zero\n", true)]
        [InlineData("ModuleNotFoundError: No module named 'numpy'\n", true)]
        [InlineData("Error: File 'missing.py' not found\n", true)]
        [InlineData("File missing.py not found\n", true)]
        [InlineData("/bin/bash: line 1: pytest: command not found\n", true)]
        [InlineData("bash: -c: line 1: syntax error near unexpected token `('\n", true)]
        [InlineData("Usage: edit <start_line>:<end_line>\n", true)]
        [InlineData("usage: tool.py [-h]\ntool.py: error: the following arguments are required: path\n", true)]
        [InlineData("Your proposed edit has introduced new syntax error(s). Please understand the fixes and retry your edit commmand.\n", true)]
        [InlineData("[File: /repo/a.py (3 lines total)]\n1:def f():\n2:    raise ValueError(\"x\")\n3:    return 1\n", false)]
        [InlineData("Script completed successfully, no errors.\n", false)]
        [InlineData("No matches found for \"Error\" in /repo\n", false)]
        [InlineData("src/calc.py:3:        raise ValueError(\"b must not be zero\")\n", false)]
        [InlineData("", false)]
        public void Observations_are_classified(string observation, bool failed) =>
            Assert.Equal(failed, global::SkillForge.Traces.Formats.SweAgent.SweAgentOutcome.IsFailure(observation));
    }
}

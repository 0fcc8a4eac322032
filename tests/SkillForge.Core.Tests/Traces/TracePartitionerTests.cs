using System.Collections.Generic;
using System.IO;
using System.Linq;
using SkillForge.Tests.Support;
using SkillForge.Traces;
using Xunit;

namespace SkillForge.Tests.Traces
{
    public class TracePartitionerTests
    {
        private static TraceEvent E(string trace, string kind, string? action = null, int seq = 0) =>
            new TraceEvent { TraceId = trace, Kind = kind, ActionId = action, Sequence = seq };

        [Fact]
        public void Separates_successes_failures_and_context_per_trace_in_order_of_appearance()
        {
            var events = new[]
            {
                E("t1", "user_prompt", seq: 0),
                E("t1", "action_succeeded", "a1", 1),
                E("t2", "action_failed", "b1", 0),
                E("t1", "action_failed", "a2", 2),
                E("t1", "user_correction", seq: 3),
                E("t1", "action_rejected", "a3", 4),
                E("t1", "policy_violation", "a4", 5),
                E("t1", "state_changed", seq: 6),
                E("t1", "assistant_note", seq: 7),
                E("t2", "Action_Succeeded", "b1", 1),
                E("t1", "episode_end", seq: 8),
            };
            var partitions = TracePartitioner.Partition(events);

            Assert.Equal(new[] { "t1", "t2" }, partitions.Select(p => p.TraceId));
            var t1 = partitions[0];
            Assert.Equal(new[] { "a1" }, t1.Successes.Select(e => e.ActionId));
            Assert.Equal(new[] { "a2", "a3", "a4" }, t1.Failures.Select(e => e.ActionId));
            Assert.Equal(new[] { "user_prompt", "user_correction", "episode_end" }, t1.Context.Select(e => e.Kind));
            Assert.Equal(5, t1.SkippedCount); // prompt, correction, state_changed, note, episode_end
            var t2 = partitions[1];
            Assert.Equal(1, t2.SuccessCount);
            Assert.Equal(1, t2.FailureCount);
            Assert.Equal(0, t2.SkippedCount);
        }

        [Fact]
        public void Example_trace_splits_into_three_partitions_with_both_sides()
        {
            var events = TraceReader.Read(Path.Combine(TestPaths.Examples, "trace.jsonl")).Select(o => o.Value!).ToList();
            var partitions = TracePartitioner.Partition(events);

            Assert.Equal(3, partitions.Count);
            Assert.All(partitions, p => Assert.True(p.SuccessCount > 0 && p.FailureCount > 0));
            Assert.Equal(events.Count, partitions.Sum(p => p.SuccessCount + p.FailureCount + p.SkippedCount));
            Assert.All(partitions, p => Assert.Equal(TraceEventKinds.EpisodeEnd, p.Context.Last().Kind));
        }

        [Fact]
        public void Outcome_of_kinds()
        {
            Assert.Equal(TraceOutcome.Success, TracePartitioner.OutcomeOf("action_succeeded"));
            Assert.Equal(TraceOutcome.Failure, TracePartitioner.OutcomeOf(" POLICY_VIOLATION "));
            Assert.Null(TracePartitioner.OutcomeOf("user_correction"));
            Assert.True(TracePartitioner.IsContext("user_interrupt"));
            Assert.False(TracePartitioner.IsContext("assistant_note"));
        }

        [Fact]
        public void Property_bags_convert_with_tolerant_names_and_json_data()
        {
            var data = new Dictionary<string, object?> { ["query"] = "flights", ["max"] = 400, ["tags"] = new List<object?> { "a", true, null } };
            var ev = TraceEventConverter.FromProperties(new[]
            {
                new KeyValuePair<string, object?>("Kind", "Action_Failed"),
                new KeyValuePair<string, object?>("actionId", 7),
                new KeyValuePair<string, object?>("TOOL", "web.search"),
                new KeyValuePair<string, object?>("data", data),
                new KeyValuePair<string, object?>("duration_ms", "12.5"),
                new KeyValuePair<string, object?>("StateBefore", "{\"page\": 1}"),
                new KeyValuePair<string, object?>("state_after", "plain text"),
                new KeyValuePair<string, object?>("trace_id", "t9"),
            }, "unnamed", out var error);

            Assert.Null(error);
            Assert.Equal("action_failed", ev!.Kind);
            Assert.Equal("7", ev.ActionId);
            Assert.Equal("web.search", ev.Tool);
            Assert.Equal("{\"query\":\"flights\",\"max\":400,\"tags\":[\"a\",true,null]}", ev.Data);
            Assert.Equal(12.5, ev.DurationMs);
            Assert.Equal("{\"page\": 1}", ev.StateBefore);
            Assert.Equal("\"plain text\"", ev.StateAfter);
            Assert.Equal("t9", ev.TraceId);
        }

        [Theory]
        [InlineData(1e300)]
        [InlineData(double.NaN)]
        [InlineData(double.PositiveInfinity)]
        public void Property_bag_with_a_unix_timestamp_outside_the_range_of_dates_is_refused_with_a_reason(double timestamp)
        {
            var ev = TraceEventConverter.FromProperties(new[]
            {
                new KeyValuePair<string, object?>("kind", "action_succeeded"),
                new KeyValuePair<string, object?>("timestamp", timestamp),
            }, "unnamed", out var error);
            Assert.Null(ev);
            Assert.Contains("timestamp", error);
        }

        [Theory]
        [InlineData("duration_ms", double.NaN)]
        [InlineData("DurationMs", double.PositiveInfinity)]
        [InlineData("reward", "Infinity")]
        public void Property_bag_with_a_duration_or_reward_that_is_not_finite_is_refused_with_a_reason(string field, object value)
        {
            var ev = TraceEventConverter.FromProperties(new[]
            {
                new KeyValuePair<string, object?>("kind", "action_succeeded"),
                new KeyValuePair<string, object?>(field, value),
            }, "unnamed", out var error);
            Assert.Null(ev);
            Assert.Contains(field, error);
        }

        [Fact]
        public void Property_bag_without_kind_is_refused_with_a_reason()
        {
            var ev = TraceEventConverter.FromProperties(new[] { new KeyValuePair<string, object?>("tool", "x") }, "unnamed", out var error);
            Assert.Null(ev);
            Assert.Contains("kind", error);
        }
    }
}

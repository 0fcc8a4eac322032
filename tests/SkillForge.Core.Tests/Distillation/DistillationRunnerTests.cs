using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class DistillationRunnerTests : IClassFixture<TestServerFixture>
    {
        private readonly TestServerFixture _fixture;

        public DistillationRunnerTests(TestServerFixture fixture) => _fixture = fixture;

        private TestServer.OpenAITestServer Server => _fixture.Server;

        /// <summary>A distiller whose answers take a given time, so later prompts can finish first.</summary>
        private sealed class DelayDistiller : IDistiller
        {
            private readonly Func<DistillPrompt, int> _delayMs;
            private int _inFlight;
            public int MaxInFlight;

            public DelayDistiller(Func<DistillPrompt, int> delayMs) => _delayMs = delayMs;

            public async Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken)
            {
                int now = Interlocked.Increment(ref _inFlight);
                lock (this) MaxInFlight = Math.Max(MaxInFlight, now);
                try
                {
                    await Task.Delay(_delayMs(prompt), cancellationToken);
                    return new DistillationResult { Prompt = prompt, Text = "answer to " + prompt.Text };
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }

        [Fact]
        public void Outcomes_come_in_input_order_whatever_order_answers_finish_in()
        {
            var prompts = Enumerable.Range(0, 12).Select(i => Distill.TracePrompt("prompt " + i)).ToList();
            // Earlier prompts take longer: without ordering they would come out reversed.
            var distiller = new DelayDistiller(p => 20 + (12 - int.Parse(p.Text.Split(' ')[1])) * 15);
            using var runner = new DistillationRunner(distiller, 4, CancellationToken.None);
            var outcomes = new List<DistillationOutcome>();
            foreach (var p in prompts)
            {
                runner.Enqueue(p);
                outcomes.AddRange(runner.DrainCompleted());
            }
            outcomes.AddRange(runner.DrainAll());

            Assert.Equal(prompts, outcomes.Select(o => o.Prompt));
            Assert.All(outcomes, o => Assert.Equal("answer to " + o.Prompt.Text, o.Result!.Text));
            Assert.InRange(distiller.MaxInFlight, 1, 4);
        }

        [Fact]
        public void At_most_ThrottleLimit_requests_reach_the_server_at_once()
        {
            // A model name of its own: the server counts the requests in flight per model name.
            var model = "slow:150+run-" + Guid.NewGuid().ToString("N");
            var prompts = Enumerable.Range(0, 10).Select(_ => Distill.TracePrompt()).ToList();
            using var distiller = Distill.For(Server, model);
            using var runner = new DistillationRunner(distiller, 3, CancellationToken.None);
            foreach (var p in prompts) runner.Enqueue(p);
            var outcomes = runner.DrainAll().ToList();

            Assert.Equal(prompts, outcomes.Select(o => o.Prompt));
            Assert.All(outcomes, o => Assert.Null(o.Error));
            Assert.Equal(10, Server.CountRequests(model));
            Assert.InRange(Server.MaxConcurrentRequestsFor(model), 1, 3);
        }

        [Fact]
        public void Identical_prompts_are_sent_once_and_each_input_gets_its_answer()
        {
            var a = Distill.TracePrompt();
            var b = Distill.TracePrompt();
            var aAgain = Distill.TracePrompt(a.Text);
            aAgain.Fingerprint = "another-fingerprint";
            var memoryWithSameText = Distill.TracePrompt(a.Text);
            memoryWithSameText.Kind = DistillPromptKind.TraceFailure;
            using var distiller = Distill.For(Server, "echo");
            using var runner = new DistillationRunner(distiller, 4, CancellationToken.None);
            runner.Enqueue(a);
            runner.Enqueue(b);
            runner.Enqueue(aAgain);
            runner.Enqueue(memoryWithSameText);
            var outcomes = runner.DrainAll().ToList();

            Assert.Equal(new[] { a, b, aAgain, memoryWithSameText }, outcomes.Select(o => o.Prompt));
            Assert.Equal(3, runner.DistinctRequests);
            // Same text and kind: one request. Same text, another kind: its own request.
            Assert.Equal(2, Distill.RequestsFor(Server, a).Count);
            Assert.Single(Distill.RequestsFor(Server, b));
            Assert.Equal(outcomes[0].Result!.Text, outcomes[2].Result!.Text);
            Assert.Same(aAgain, outcomes[2].Result!.Prompt);
            Assert.Equal("another-fingerprint", outcomes[2].Result!.Fingerprint);
            Assert.Contains(outcomes[2].VerboseMessages, m => m.Contains("same prompt as input 1"));
        }

        [Fact]
        public void Failures_are_outcomes_and_the_batch_goes_on()
        {
            var good = Distill.TracePrompt();
            var bad = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "echo");
            using var failing = Distill.For(Server, "status:403");
            var routed = new RoutingDistiller(p => p == bad ? failing : distiller);
            using var runner = new DistillationRunner(routed, 2, CancellationToken.None);
            runner.Enqueue(bad);
            runner.Enqueue(good);
            var outcomes = runner.DrainAll().ToList();
            Assert.Equal(ErrorIds.DistillForbidden, outcomes[0].Error!.ErrorId);
            Assert.Same(bad, outcomes[0].Error!.Target);
            Assert.NotNull(outcomes[1].Result);
        }

        private sealed class RoutingDistiller : IVerboseDistiller
        {
            private readonly Func<DistillPrompt, IVerboseDistiller> _route;
            public RoutingDistiller(Func<DistillPrompt, IVerboseDistiller> route) => _route = route;
            public Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken) => _route(prompt).DistillAsync(prompt, cancellationToken);
            public Task<DistillationResult> DistillAsync(DistillPrompt prompt, Action<string> verbose, CancellationToken cancellationToken) =>
                _route(prompt).DistillAsync(prompt, verbose, cancellationToken);
        }

        [Fact]
        public void Verbose_messages_of_workers_travel_in_the_outcome()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "error500:1");
            using var runner = new DistillationRunner(distiller, 1, CancellationToken.None);
            runner.Enqueue(prompt);
            var outcome = Assert.Single(runner.DrainAll());
            Assert.Contains(outcome.VerboseMessages, m => m.Contains("retry 1 of 3"));
            Assert.Contains(outcome.VerboseMessages, m => m.Contains("done in"));
            foreach (var m in outcome.VerboseMessages) Distill.AssertNoKey(m);
        }

        [Fact]
        public void Cancellation_ends_DrainAll_within_a_second_and_yields_nothing_half_done()
        {
            var prompts = Enumerable.Range(0, 6).Select(_ => Distill.TracePrompt()).ToList();
            using var distiller = Distill.For(Server, "hang", timeoutSec: 120);
            using var cts = new CancellationTokenSource();
            using var runner = new DistillationRunner(distiller, 4, cts.Token);
            foreach (var p in prompts) runner.Enqueue(p);
            Assert.Empty(runner.DrainCompleted());
            cts.CancelAfter(300);
            var clock = Stopwatch.StartNew();
            var outcomes = runner.DrainAll().ToList();
            Assert.Empty(outcomes);
            // Not a speed claim: without cancellation DrainAll would wait for the 120 s time-outs.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        }

        [Fact]
        public void DrainCompleted_never_blocks()
        {
            var distiller = new DelayDistiller(_ => 2000);
            using var cts = new CancellationTokenSource();
            using var runner = new DistillationRunner(distiller, 2, cts.Token);
            runner.Enqueue(Distill.TracePrompt());
            // Had it blocked, it would have returned the finished outcome instead of nothing.
            Assert.Empty(runner.DrainCompleted());
            cts.Cancel();
        }
    }
}

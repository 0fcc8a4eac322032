using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class ChatClientDistillerTests : IClassFixture<TestServerFixture>
    {
        private readonly TestServerFixture _fixture;

        public ChatClientDistillerTests(TestServerFixture fixture) => _fixture = fixture;

        private TestServer.OpenAITestServer Server => _fixture.Server;

        [Fact]
        public async Task Streams_a_trace_answer_with_usage_and_sends_the_settings()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "echo");
            var verbose = new List<string>();
            var result = await distiller.DistillAsync(prompt, verbose.Add, CancellationToken.None);

            using (var doc = JsonDocument.Parse(result.Text)) Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
            Assert.Same(prompt, result.Prompt);
            Assert.Equal("echo", result.Model);
            Assert.Equal("127.0.0.1:" + Server.Port, result.Endpoint);
            Assert.Equal("stop", result.FinishReason);
            Assert.Equal(0, result.Retries);
            Assert.False(result.Repaired);
            Assert.Null(result.Name);
            // Usage comes from the server's final chunk (its own count, not our estimate).
            Assert.Equal((result.Text.Length + 3) / 4 + 1, result.OutputTokens);
            Assert.Equal((prompt.Text.Length + 3) / 4 + 3, result.InputTokens);
            Assert.Equal(Math.Round(400.0 / result.OutputTokens, 2), result.CompressionRatio);

            var request = Assert.Single(Distill.RequestsFor(Server, prompt));
            Assert.Equal("/v1/chat/completions", request.RawPath);
            Assert.True(request.Stream);
            Assert.True(request.IncludeUsage);
            Assert.Equal(0.3, request.Temperature!.Value, 3);
            Assert.Equal(4096, request.MaxTokens);
            Assert.Equal("Bearer " + Distill.SecretKey, request.Authorization);
            Assert.Contains(verbose, v => v.Contains("input") && v.Contains("output tokens"));
            foreach (var v in verbose) Distill.AssertNoKey(v);
        }

        [Theory]
        [InlineData("status:400", ErrorIds.DistillBadRequest, 400, "malformed")]
        [InlineData("status:401", ErrorIds.DistillUnauthorized, 401, "Incorrect API key")]
        [InlineData("status:403", ErrorIds.DistillForbidden, 403, "does not have access")]
        [InlineData("status:404", ErrorIds.DistillNotFound, 404, "does not exist")]
        [InlineData("quota", ErrorIds.DistillQuotaExceeded, 429, "exceeded your current quota")]
        public async Task Client_errors_and_an_exhausted_quota_fail_at_once_without_retry(string model, string errorId, int status, string serverText)
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, model, maxRetries: 3);
            var verbose = new List<string>();
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, verbose.Add, CancellationToken.None));

            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(status, e.StatusCode);
            Assert.Same(prompt, e.Target);
            Assert.Contains(serverText, e.Message);
            Assert.Contains("127.0.0.1", e.Message);
            Assert.Equal(0, e.Retries);
            Assert.Single(Distill.RequestsFor(Server, prompt));
            Distill.AssertNoKey(e);
            foreach (var v in verbose) Distill.AssertNoKey(v);
        }

        [Fact]
        public async Task The_key_a_server_echoes_back_never_reaches_a_message()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "status:401");
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            // The server did quote it (a careless server does), so the scrubbing is what kept it out.
            Assert.Contains("Incorrect API key provided: ****", e.Message);
            Distill.AssertNoKey(e);
        }

        [Fact]
        public async Task A_server_error_is_retried_then_succeeds()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "error500:2", maxRetries: 3);
            var result = await distiller.DistillAsync(prompt, CancellationToken.None);
            Assert.Equal(2, result.Retries);
            Assert.Equal(3, Distill.RequestsFor(Server, prompt).Count);
        }

        [Fact]
        public async Task Server_errors_beyond_the_retry_count_fail_with_ServerError()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "error500:10", maxRetries: 2);
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            Assert.Equal(ErrorIds.DistillServerError, e.ErrorId);
            Assert.Equal(500, e.StatusCode);
            Assert.Equal(2, e.Retries);
            Assert.Contains("Gave up after 2 retries", e.Message);
            Assert.Equal(3, Distill.RequestsFor(Server, prompt).Count);
        }

        [Fact]
        public async Task Rate_limits_beyond_the_retry_count_fail_with_RateLimited()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "ratelimitms:10:20", maxRetries: 1);
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            Assert.Equal(ErrorIds.DistillRateLimited, e.ErrorId);
            Assert.Equal(FailureCategory.LimitsExceeded, e.Category);
            Assert.Equal(2, Distill.RequestsFor(Server, prompt).Count);
        }

        [Theory]
        [InlineData("ratelimit:1:1", 1000)]
        [InlineData("ratelimitms:1:400", 400)]
        [InlineData("ratelimitdate:1:2", 1500)]
        public async Task Retry_after_headers_are_honoured(string model, int atLeastMs)
        {
            var prompt = Distill.TracePrompt();
            // A base delay of 1 ms: only the server's hint can make the wait long.
            using var distiller = Distill.For(Server, model, maxRetries: 2, baseDelayMs: 1);
            var verbose = new List<string>();
            var result = await distiller.DistillAsync(prompt, verbose.Add, CancellationToken.None);

            Assert.Equal(1, result.Retries);
            var requests = Distill.RequestsFor(Server, prompt);
            Assert.Equal(2, requests.Count);
            var waited = requests[1].ReceivedAt - requests[0].ReceivedAt;
            Assert.True(waited.TotalMilliseconds >= atLeastMs, $"waited {waited.TotalMilliseconds} ms, the server asked for {atLeastMs} ms");
            Assert.Contains(verbose, v => v.Contains("as the server asked"));
        }

        [Fact]
        public async Task An_empty_stream_is_EmptyOutput()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "empty");
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            Assert.Equal(ErrorIds.DistillEmptyOutput, e.ErrorId);
            Assert.Same(prompt, e.Target);
            Assert.Single(Distill.RequestsFor(Server, prompt));
        }

        [Fact]
        public async Task A_stream_cut_in_the_middle_is_retried_whole()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "cut:1", maxRetries: 2);
            var result = await distiller.DistillAsync(prompt, CancellationToken.None);
            Assert.Equal(1, result.Retries);
            using (var doc = JsonDocument.Parse(result.Text)) Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
            Assert.Equal(2, Distill.RequestsFor(Server, prompt).Count);
        }

        [Fact]
        public async Task A_stream_always_cut_is_Truncated_with_the_partial_text()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "cut", maxRetries: 1);
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            Assert.Equal(ErrorIds.DistillTruncated, e.ErrorId);
            Assert.False(string.IsNullOrEmpty(e.RawText));
            Assert.StartsWith("[{", e.RawText);
            Assert.Equal(2, Distill.RequestsFor(Server, prompt).Count);
        }

        [Theory]
        [InlineData("hang")]
        [InlineData("hangstream")]
        public async Task A_hang_ends_in_Timeout_after_the_per_attempt_limit(string model)
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, model, maxRetries: 1, timeoutSec: 0.5);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            clock.Stop();
            Assert.Equal(ErrorIds.DistillTimeout, e.ErrorId);
            Assert.Equal(FailureCategory.OperationTimeout, e.Category);
            Assert.Equal(1, e.Retries);
            // Not a speed claim: only a request that never timed out would get anywhere near this.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task Cancellation_stops_a_hanging_request_within_a_second()
        {
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "hang", timeoutSec: 120);
            using var cts = new CancellationTokenSource();
            var task = distiller.DistillAsync(prompt, cts.Token);
            await Task.Delay(300);
            var clock = Stopwatch.StartNew();
            cts.Cancel();
            var e = await Assert.ThrowsAsync<DistillException>(() => task);
            Assert.Equal(ErrorIds.DistillCancelled, e.ErrorId);
            // Not a speed claim: without cancellation the request would wait for its 120 s time-out.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task Nothing_listening_is_ConnectionFailed_after_retries()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var endpoint = new Uri($"http://127.0.0.1:{port}/v1");
            var adapter = OpenAIChatClientAdapter.Create(endpoint, "echo", Distill.SecretKey, TimeSpan.FromSeconds(30));
            using var distiller = new ChatClientDistiller(adapter, new ChatClientDistillerOptions
            {
                Model = "echo",
                EndpointHost = DistillationSettingsResolver.DescribeHost(endpoint),
                RetryPolicy = new DistillRetryPolicy(1, TimeSpan.FromMilliseconds(10)),
                ApiKey = Distill.SecretKey,
            });
            var prompt = Distill.TracePrompt();
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(prompt, CancellationToken.None));
            Assert.Equal(ErrorIds.DistillConnectionFailed, e.ErrorId);
            Assert.Equal(FailureCategory.ConnectionError, e.Category);
            Assert.Equal(1, e.Retries);
            Assert.Contains("-Endpoint", e.Message);
            Distill.AssertNoKey(e);
        }

        [Fact]
        public async Task No_temperature_is_sent_to_reasoning_models()
        {
            Assert.False(ModelCatalog.AcceptsTemperature("o4-mini"));
            Assert.False(ModelCatalog.AcceptsTemperature("gpt-5-mini"));
            Assert.True(ModelCatalog.AcceptsTemperature("gpt-4.1-mini"));
            Assert.True(ModelCatalog.AcceptsTemperature("llama3.1"));
            var prompt = Distill.TracePrompt();
            using var distiller = Distill.For(Server, "o4-mini");
            await distiller.DistillAsync(prompt, CancellationToken.None);
            Assert.Null(Assert.Single(Distill.RequestsFor(Server, prompt)).Temperature);
        }
    }
}

using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using SkillForge.Distillation;
using SkillForge.TestServer;

namespace SkillForge.Benchmarks
{
    /// <summary>
    /// distill: Invoke-SkillDistillation's engine (DistillationRunner + ChatClientDistiller over the OpenAI SDK)
    /// against the local OpenAI-compatible server. Serial versus -ThrottleLimit 8 with a server answering in
    /// 200 ms (target: parallel under 1/6 of serial), and per-request overhead over a raw HttpClient doing the
    /// same streaming request against a server answering at once (target: under 1 ms).
    /// Options: --count N (prompts, default 100), --delay MS (default 200), --throttle N (default 8),
    /// --overhead N (requests for the overhead figure, default 500).
    /// </summary>
    public sealed class DistillBenchmark : IBenchmarkSuite
    {
        public string Name => "distill";

        public string Description => "Invoke-SkillDistillation engine vs a local server: serial vs ThrottleLimit 8, per-request overhead";

        public int Run(string[] args)
        {
            var options = new BenchArgs(args);
            int count = options.Int("count", 100);
            int delay = options.Int("delay", 200);
            int throttle = options.Int("throttle", 8);
            int overheadCount = options.Int("overhead", 500);

            using var server = OpenAITestServer.Start();
            Console.WriteLine($"distill: local server {server.BaseUrl}, {count} prompts, server answers in {delay} ms, {Environment.ProcessorCount} cores");

            // Warm up the SDK, the JIT and the connection pool.
            RunBatch(server, "echo", 20, 4, "warm");

            var serial = RunBatch(server, "slow:" + delay, count, 1, "serial");
            var parallel = RunBatch(server, "slow:" + delay, count, throttle, "parallel");
            double ratio = parallel.TotalMilliseconds / serial.TotalMilliseconds;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  serial (ThrottleLimit 1):     {0,8:0} ms  ({1:0.0} ms per prompt)", serial.TotalMilliseconds, serial.TotalMilliseconds / count));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  parallel (ThrottleLimit {2}):  {0,8:0} ms  ({1:0.0} ms per prompt)", parallel.TotalMilliseconds, parallel.TotalMilliseconds / count, throttle));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  parallel / serial = {0:0.000} (1/{1:0.0}); target < 1/6 = 0.167: {2}", ratio, 1 / ratio, ratio < 1.0 / 6 ? "MET" : "NOT MET"));

            // Overhead: the same streamed request through SkillForge and through a bare HttpClient.
            using var http = new HttpClient();
            RunBatch(server, "echo", 50, 1, "warm");
            RawBaseline(http, server, 50);
            // Interleave the two so drift on a shared machine hits both alike; keep the faster of two rounds each.
            var ours = RunBatch(server, "echo", overheadCount, 1, "overhead");
            var raw = RawBaseline(http, server, overheadCount);
            var ours2 = RunBatch(server, "echo", overheadCount, 1, "overhead2");
            var raw2 = RawBaseline(http, server, overheadCount);
            if (ours2 < ours) ours = ours2;
            if (raw2 < raw) raw = raw2;
            double perOurs = ours.TotalMilliseconds / overheadCount;
            double perRaw = raw.TotalMilliseconds / overheadCount;
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  0 ms server, {0} serial requests: SkillForge {1:0.000} ms/request, raw HttpClient {2:0.000} ms/request", overheadCount, perOurs, perRaw));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "  per-request overhead = {0:0.000} ms; target < 1 ms: {1}", perOurs - perRaw, perOurs - perRaw < 1 ? "MET" : "NOT MET"));
            return 0;
        }

        private static TimeSpan RunBatch(OpenAITestServer server, string model, int count, int throttle, string tag)
        {
            var adapter = OpenAIChatClientAdapter.Create(server.BaseUrl, model, DistillationSettingsResolver.LocalPlaceholderKey, TimeSpan.FromSeconds(60));
            using var distiller = new ChatClientDistiller(adapter, new ChatClientDistillerOptions
            {
                Model = model,
                EndpointHost = DistillationSettingsResolver.DescribeHost(server.BaseUrl),
                Timeout = TimeSpan.FromSeconds(30),
                RetryPolicy = new DistillRetryPolicy(0),
                OwnsClient = true,
            });
            var prompts = Enumerable.Range(0, count).Select(i => new DistillPrompt
            {
                Kind = DistillPromptKind.TraceSuccess,
                ExpectedOutput = DistillOutputKind.SkillJsonArray,
                Text = $"Distill trace {tag}-{i}-{Guid.NewGuid():N} into a JSON array of skills.",
                Fingerprint = Guid.NewGuid().ToString("N"),
                SourceTokens = 500,
            }).ToList();

            var clock = Stopwatch.StartNew();
            using var runner = new DistillationRunner(distiller, throttle, CancellationToken.None);
            int failures = 0;
            foreach (var p in prompts)
            {
                runner.Enqueue(p);
                foreach (var o in runner.DrainCompleted()) if (o.Error != null) failures++;
            }
            foreach (var o in runner.DrainAll()) if (o.Error != null) failures++;
            clock.Stop();
            if (failures > 0) throw new InvalidOperationException($"{failures} of {count} {tag} requests failed");
            return clock.Elapsed;
        }

        /// <summary>The floor: the same streamed request with a bare HttpClient, the body read to its end and not parsed.</summary>
        private static TimeSpan RawBaseline(HttpClient http, OpenAITestServer server, int count) =>
            RawBaselineAsync(http, server, count).GetAwaiter().GetResult();

        private static async System.Threading.Tasks.Task<TimeSpan> RawBaselineAsync(HttpClient http, OpenAITestServer server, int count)
        {
            var url = new Uri(server.BaseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions");
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                string body = "{\"model\":\"echo\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\":0.3,\"max_completion_tokens\":4096," +
                              "\"messages\":[{\"role\":\"user\",\"content\":\"Distill trace raw-" + i + "-" + Guid.NewGuid().ToString("N") + " into a JSON array of skills.\"}]}";
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "raw");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var buffer = new byte[8192];
                while (await stream.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false) > 0) { }
            }
            clock.Stop();
            return clock.Elapsed;
        }

    }
}

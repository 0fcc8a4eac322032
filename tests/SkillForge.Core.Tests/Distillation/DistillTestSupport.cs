using System;
using System.Collections.Generic;
using System.Linq;
using SkillForge.Distillation;
using SkillForge.TestServer;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    /// <summary>One real OpenAI-compatible server on 127.0.0.1 shared by a test class.</summary>
    public sealed class TestServerFixture : IDisposable
    {
        public TestServerFixture() => Server = OpenAITestServer.Start();

        public OpenAITestServer Server { get; }

        public void Dispose() => Server.Dispose();
    }

    internal static class Distill
    {
        /// <summary>A key that must never show up in any message.</summary>
        public static readonly string SecretKey = "sk-test-" + Guid.NewGuid().ToString("N") + "SECRET";

        /// <summary>A trace prompt (answer passed through as a JSON array); unique text so server counters do not mix.</summary>
        public static DistillPrompt TracePrompt(string? text = null) => new DistillPrompt
        {
            Kind = DistillPromptKind.TraceSuccess,
            ExpectedOutput = DistillOutputKind.SkillJsonArray,
            Text = text ?? "Distill these trace events into a JSON array of skills. run " + Guid.NewGuid().ToString("N"),
            Fingerprint = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
            SourceIds = new[] { "t1" },
            SourceTokens = 400,
        };

        /// <summary>A memory prompt (answer must be a SKILL.md).</summary>
        public static DistillPrompt MemoryPrompt(string? text = null) => new DistillPrompt
        {
            Kind = DistillPromptKind.MemoryCluster,
            ExpectedOutput = DistillOutputKind.SkillMarkdown,
            Text = text ?? "Write one SKILL.md from these memories. cluster " + Guid.NewGuid().ToString("N"),
            Fingerprint = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
            SourceIds = new[] { "m1", "m2", "m3" },
            SourceTokens = 900,
        };

        public static ChatClientDistiller For(OpenAITestServer server, string model, int maxRetries = 3, double timeoutSec = 20,
            int baseDelayMs = 50, string? key = null)
        {
            var adapter = OpenAIChatClientAdapter.Create(server.BaseUrl, model, key ?? SecretKey, TimeSpan.FromSeconds(timeoutSec + 30));
            return new ChatClientDistiller(adapter, new ChatClientDistillerOptions
            {
                Model = model,
                EndpointHost = DistillationSettingsResolver.DescribeHost(server.BaseUrl),
                Timeout = TimeSpan.FromSeconds(timeoutSec),
                RetryPolicy = new DistillRetryPolicy(maxRetries, TimeSpan.FromMilliseconds(baseDelayMs)),
                ApiKey = key ?? SecretKey,
                OwnsClient = true,
            });
        }

        public static List<LoggedRequest> RequestsFor(OpenAITestServer server, DistillPrompt prompt) =>
            server.Requests.Where(r => r.FirstUserMessage == prompt.Text).OrderBy(r => r.Sequence).ToList();

        /// <summary>Fails when the key (or a long piece of it) appears in the text.</summary>
        public static void AssertNoKey(string? text)
        {
            if (string.IsNullOrEmpty(text)) return;
            Assert.DoesNotContain(SecretKey, text);
            for (int i = 0; i + 10 <= SecretKey.Length; i += 5)
                Assert.DoesNotContain(SecretKey.Substring(i, 10), text);
        }

        /// <summary>Every message in an exception chain, with its ToString (stack traces include messages).</summary>
        public static void AssertNoKey(Exception? e)
        {
            if (e == null) return;
            AssertNoKey(e.ToString());
            for (var x = e; x != null; x = x.InnerException) AssertNoKey(x.Message);
        }
    }
}

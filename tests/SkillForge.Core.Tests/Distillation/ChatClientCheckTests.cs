using System;
using System.Reflection;
using System.Reflection.Emit;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class ChatClientCheckTests : IClassFixture<TestServerFixture>
    {
        private readonly TestServerFixture _fixture;

        public ChatClientCheckTests(TestServerFixture fixture) => _fixture = fixture;

        [Fact]
        public void An_object_that_is_not_a_chat_client_is_InvalidClient()
        {
            var e = Assert.Throws<SkillForgeException>(() => DistillerFactory.AsChatClient("not a client"));
            Assert.Equal(ErrorIds.DistillInvalidClient, e.ErrorId);
            Assert.Contains("System.String", e.Message);
            Assert.Contains("-Endpoint", e.Message);
        }

        [Fact]
        public void A_chat_client_from_another_copy_of_the_abstractions_is_named_as_such()
        {
            // Build, at run time, an assembly that declares its own Microsoft.Extensions.AI.IChatClient and a
            // class implementing it: what a client compiled against another copy looks like to SkillForge.
            var asm = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Microsoft.Extensions.AI.Abstractions.OtherCopy"), AssemblyBuilderAccess.Run);
            var module = asm.DefineDynamicModule("main");
            var iface = module.DefineType("Microsoft.Extensions.AI.IChatClient", TypeAttributes.Public | TypeAttributes.Interface | TypeAttributes.Abstract);
            var ifaceType = iface.CreateType()!;
            var cls = module.DefineType("Other.ChatClient", TypeAttributes.Public | TypeAttributes.Class);
            cls.AddInterfaceImplementation(ifaceType);
            cls.DefineDefaultConstructor(MethodAttributes.Public);
            var instance = Activator.CreateInstance(cls.CreateType()!)!;

            var e = Assert.Throws<SkillForgeException>(() => DistillerFactory.AsChatClient(instance));
            Assert.Equal(ErrorIds.DistillInvalidClient, e.ErrorId);
            Assert.Contains("another copy of Microsoft.Extensions.AI.Abstractions", e.Message);
            Assert.Contains("private", e.Message);
        }

        [Fact]
        public async Task A_users_chat_client_is_used_as_is_and_named_by_its_metadata()
        {
            var server = _fixture.Server;
            using IChatClient client = OpenAIChatClientAdapter.Create(server.BaseUrl, "json", "user-key", TimeSpan.FromSeconds(30));
            var settings = DistillationSettingsResolver.Resolve(new DistillationOptions { ChatClient = client }, null, new System.Collections.Generic.Dictionary<string, string?>());
            var distiller = DistillerFactory.Create(settings);
            var prompt = Distill.TracePrompt();
            var result = await distiller.DistillAsync(prompt, CancellationToken.None);
            Assert.StartsWith("[{", result.Text);
            Assert.Equal("127.0.0.1:" + server.Port, result.Endpoint);
            Assert.Equal("json", result.Model);
            Assert.Equal("Bearer user-key", Assert.Single(Distill.RequestsFor(server, prompt)).Authorization);
            ((IDisposable)distiller).Dispose();
            // Not ours to dispose: still usable.
            Assert.NotNull(client.GetService(typeof(ChatClientMetadata)));
        }

        /// <summary>A chat client that never answers and ignores cancellation, as a badly written one might.</summary>
        private sealed class DeafChatClient : IChatClient
        {
            private readonly TaskCompletionSource<bool> _never = new TaskCompletionSource<bool>();

            public Task<ChatResponse> GetResponseAsync(System.Collections.Generic.IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
                _never.Task.ContinueWith(_ => new ChatResponse(), TaskScheduler.Default);

            public async System.Collections.Generic.IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(System.Collections.Generic.IEnumerable<ChatMessage> messages,
                ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                await _never.Task;
                yield break;
            }

            public object? GetService(Type serviceType, object? serviceKey = null) => null;

            public void Dispose() { }
        }

        [Fact]
        public async Task A_client_that_ignores_cancellation_is_still_left_within_a_second()
        {
            using var distiller = new ChatClientDistiller(new DeafChatClient(), new ChatClientDistillerOptions { Timeout = TimeSpan.FromMinutes(5) });
            using var cts = new CancellationTokenSource();
            var task = distiller.DistillAsync(Distill.TracePrompt(), cts.Token);
            await Task.Delay(200);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            cts.Cancel();
            var e = await Assert.ThrowsAsync<DistillException>(() => task);
            Assert.Equal(ErrorIds.DistillCancelled, e.ErrorId);
            // Not a speed claim: a client that ignores cancellation would otherwise hold it for the 5 min time-out.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        }

        [Fact]
        public async Task A_client_that_ignores_its_timeout_still_times_out()
        {
            using var distiller = new ChatClientDistiller(new DeafChatClient(), new ChatClientDistillerOptions
            {
                Timeout = TimeSpan.FromMilliseconds(300),
                RetryPolicy = new DistillRetryPolicy(0),
            });
            var e = await Assert.ThrowsAsync<DistillException>(() => distiller.DistillAsync(Distill.TracePrompt(), CancellationToken.None));
            Assert.Equal(ErrorIds.DistillTimeout, e.ErrorId);
        }

        [Fact]
        public async Task An_Azure_style_v1_base_url_with_a_trailing_slash_gets_one_path()
        {
            var server = _fixture.Server;
            var endpoint = new Uri($"http://127.0.0.1:{server.Port}/openai/v1/");
            var settings = DistillationSettingsResolver.Resolve(new DistillationOptions { Endpoint = endpoint, Model = "my-deployment", ApiKey = "azure-key" }, null,
                new System.Collections.Generic.Dictionary<string, string?>());
            using var distiller = (ChatClientDistiller)DistillerFactory.Create(settings);
            var prompt = Distill.TracePrompt();
            await distiller.DistillAsync(prompt, CancellationToken.None);
            var request = Assert.Single(Distill.RequestsFor(server, prompt));
            Assert.Equal("/openai/v1/chat/completions", request.RawPath);
            Assert.Equal("Bearer azure-key", request.Authorization);
        }

        [Fact]
        public async Task The_adapter_also_answers_without_streaming()
        {
            var server = _fixture.Server;
            using IChatClient client = OpenAIChatClientAdapter.Create(server.BaseUrl, "json", "k", TimeSpan.FromSeconds(30));
            var response = await client.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, "non-stream " + Guid.NewGuid()) },
                new ChatOptions { Temperature = 0.1f, MaxOutputTokens = 100 });
            Assert.StartsWith("[{", response.Text);
            Assert.Equal("stop", response.FinishReason?.Value);
            Assert.True(response.Usage?.OutputTokenCount > 0);
        }

        [Fact]
        public async Task An_endpoint_distiller_from_settings_reaches_the_server_without_a_key()
        {
            var server = _fixture.Server;
            var settings = DistillationSettingsResolver.Resolve(new DistillationOptions { Endpoint = server.BaseUrl, Model = "Echo" }, null, new System.Collections.Generic.Dictionary<string, string?>());
            using var distiller = (ChatClientDistiller)DistillerFactory.Create(settings);
            var prompt = Distill.TracePrompt();
            var result = await distiller.DistillAsync(prompt, CancellationToken.None);
            var request = Assert.Single(Distill.RequestsFor(server, prompt));
            Assert.Equal("Echo", request.Model);
            Assert.Equal("Bearer " + DistillationSettingsResolver.LocalPlaceholderKey, request.Authorization);
            Assert.Equal("Echo", result.Model);
        }
    }
}

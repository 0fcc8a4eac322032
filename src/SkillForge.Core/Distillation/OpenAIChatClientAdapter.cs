using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using AIFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using OpenAIChatMessage = OpenAI.Chat.ChatMessage;

namespace SkillForge.Distillation
{
    /// <summary>
    /// A small Microsoft.Extensions.AI IChatClient over the OpenAI SDK's ChatClient: text messages,
    /// temperature, max output tokens, streaming with usage. The only file that touches OpenAI.Chat types,
    /// so it can be swapped for Microsoft.Extensions.AI.OpenAI's AsIChatClient() later. The SDK's own
    /// retries are off (they retry every 429, an exhausted quota included): ChatClientDistiller retries.
    /// </summary>
    public sealed class OpenAIChatClientAdapter : IChatClient
    {
        private const string ProviderName = "openai";
        private readonly ChatClient _client;
        private readonly ChatClientMetadata _metadata;

        public OpenAIChatClientAdapter(ChatClient client, Uri endpoint, string model)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            Endpoint = endpoint;
            Model = model;
            _metadata = new ChatClientMetadata(ProviderName, endpoint, model);
        }

        /// <summary>The API base URL requests go to.</summary>
        public Uri Endpoint { get; }

        /// <summary>The model (for Azure OpenAI, the deployment) every request names.</summary>
        public string Model { get; }

        /// <summary>
        /// A client for an OpenAI-compatible endpoint. The SDK never retries; a request that takes longer than
        /// <paramref name="networkTimeout"/> is abandoned (callers set their own, shorter, per-attempt limit).
        /// </summary>
        public static OpenAIChatClientAdapter Create(Uri endpoint, string model, string apiKey, TimeSpan networkTimeout)
        {
            var options = new OpenAIClientOptions
            {
                Endpoint = endpoint,
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = networkTimeout,
                UserAgentApplicationId = "SkillForge",
            };
            var client = new ChatClient(model, new ApiKeyCredential(apiKey), options);
            return new OpenAIChatClientAdapter(client, endpoint, model);
        }

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = await _client.CompleteChatAsync(Convert(messages), Convert(options), cancellationToken).ConfigureAwait(false);
            ChatCompletion completion = result.Value;
            string text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
            var response = new ChatResponse(new AIChatMessage(AIChatRole.Assistant, text))
            {
                ModelId = completion.Model,
                ResponseId = completion.Id,
                FinishReason = new AIFinishReason(FinishReasonText(completion.FinishReason)),
            };
            if (completion.Usage != null)
                response.Usage = new UsageDetails { InputTokenCount = completion.Usage.InputTokenCount, OutputTokenCount = completion.Usage.OutputTokenCount, TotalTokenCount = completion.Usage.TotalTokenCount };
            return response;
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            bool finished = false;
            // The SDK asks for usage in the stream (stream_options.include_usage) and stops at [DONE].
            await foreach (var update in _client.CompleteChatStreamingAsync(Convert(messages), Convert(options), cancellationToken).ConfigureAwait(false))
            {
                var contents = new List<AIContent>();
                foreach (var part in update.ContentUpdate)
                    if (part.Kind == ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text)) contents.Add(new TextContent(part.Text));
                if (update.Usage != null)
                    contents.Add(new UsageContent(new UsageDetails
                    {
                        InputTokenCount = update.Usage.InputTokenCount,
                        OutputTokenCount = update.Usage.OutputTokenCount,
                        TotalTokenCount = update.Usage.TotalTokenCount,
                    }));
                var result = new ChatResponseUpdate(AIChatRole.Assistant, contents)
                {
                    ModelId = update.Model,
                    ResponseId = update.CompletionId,
                    CreatedAt = update.CreatedAt,
                };
                if (update.FinishReason.HasValue)
                {
                    finished = true;
                    result.FinishReason = new AIFinishReason(FinishReasonText(update.FinishReason.Value));
                }
                yield return result;
            }
            if (!finished)
                throw new StreamTruncatedException("The answer stream ended without a finish reason: the server closed it early.");
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
        {
            if (serviceType == null) throw new ArgumentNullException(nameof(serviceType));
            if (serviceKey != null) return null;
            if (serviceType == typeof(ChatClientMetadata)) return _metadata;
            if (serviceType.IsInstanceOfType(this)) return this;
            return null;
        }

        public void Dispose()
        {
            // The SDK client holds no unmanaged state of its own (it shares the pipeline's HttpClient).
        }

        private static IEnumerable<OpenAIChatMessage> Convert(IEnumerable<AIChatMessage> messages)
        {
            var list = new List<OpenAIChatMessage>();
            foreach (var m in messages)
            {
                string text = m.Text ?? "";
                if (m.Role == AIChatRole.System) list.Add(new SystemChatMessage(text));
                else if (m.Role == AIChatRole.Assistant) list.Add(new AssistantChatMessage(text));
                else list.Add(new UserChatMessage(text));
            }
            return list;
        }

        private static ChatCompletionOptions Convert(ChatOptions? options)
        {
            var result = new ChatCompletionOptions();
            if (options == null) return result;
            if (options.Temperature.HasValue) result.Temperature = options.Temperature.Value;
            if (options.MaxOutputTokens.HasValue) result.MaxOutputTokenCount = options.MaxOutputTokens.Value;
            return result;
        }

        private static string FinishReasonText(OpenAI.Chat.ChatFinishReason reason) => reason switch
        {
            OpenAI.Chat.ChatFinishReason.Stop => "stop",
            OpenAI.Chat.ChatFinishReason.Length => "length",
            OpenAI.Chat.ChatFinishReason.ContentFilter => "content_filter",
            OpenAI.Chat.ChatFinishReason.ToolCalls => "tool_calls",
            OpenAI.Chat.ChatFinishReason.FunctionCall => "function_call",
            _ => reason.ToString().ToLowerInvariant(),
        };
    }
}

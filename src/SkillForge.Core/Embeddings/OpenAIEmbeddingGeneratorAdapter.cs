using System;
using System.ClientModel;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI.Embeddings;
using AIEmbeddingOptions = Microsoft.Extensions.AI.EmbeddingGenerationOptions;

namespace SkillForge.Embeddings
{
    /// <summary>
    /// A Microsoft.Extensions.AI IEmbeddingGenerator over the OpenAI SDK's EmbeddingClient (OpenAI, Azure OpenAI,
    /// Ollama's /v1/embeddings, any OpenAI-compatible server). The only file that touches OpenAI.Embeddings, so it
    /// can be swapped for Microsoft.Extensions.AI.OpenAI's AsIEmbeddingGenerator() later. The SDK never retries:
    /// <see cref="GeneratorTextEmbedder"/> does, with Invoke-SkillDistillation's policy.
    /// </summary>
    public sealed class OpenAIEmbeddingGeneratorAdapter : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly EmbeddingClient _client;
        private readonly EmbeddingGeneratorMetadata _metadata;

        public OpenAIEmbeddingGeneratorAdapter(EmbeddingClient client, Uri endpoint, string model)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            Model = model;
            _metadata = new EmbeddingGeneratorMetadata("openai", endpoint, model);
        }

        public string Model { get; }

        public static OpenAIEmbeddingGeneratorAdapter Create(Uri endpoint, string model, string apiKey, TimeSpan networkTimeout)
        {
            return new OpenAIEmbeddingGeneratorAdapter(new EmbeddingClient(model, new ApiKeyCredential(apiKey), Distillation.OpenAIChatClientAdapter.ClientOptions(endpoint, networkTimeout)), endpoint, model);
        }

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, AIEmbeddingOptions? options = null, CancellationToken cancellationToken = default)
        {
            var inputs = values.ToList();
            var request = new OpenAI.Embeddings.EmbeddingGenerationOptions();
            if (options?.Dimensions is int dims) request.Dimensions = dims;
            var result = await _client.GenerateEmbeddingsAsync(inputs, request, cancellationToken).ConfigureAwait(false);
            var collection = result.Value;
            // The wire format numbers each vector: put them back in input order whatever order they came in.
            var ordered = new Embedding<float>[inputs.Count];
            foreach (var item in collection)
            {
                if (item.Index < 0 || item.Index >= ordered.Length) continue;
                ordered[item.Index] = new Embedding<float>(item.ToFloats()) { ModelId = collection.Model ?? Model };
            }
            var generated = new GeneratedEmbeddings<Embedding<float>>(ordered.Where(e => e != null));
            if (collection.Usage != null)
                generated.Usage = new UsageDetails { InputTokenCount = collection.Usage.InputTokenCount, TotalTokenCount = collection.Usage.TotalTokenCount };
            return generated;
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
        {
            if (serviceType == null) throw new ArgumentNullException(nameof(serviceType));
            if (serviceKey != null) return null;
            if (serviceType == typeof(EmbeddingGeneratorMetadata)) return _metadata;
            if (serviceType.IsInstanceOfType(this)) return this;
            if (serviceType == typeof(EmbeddingClient)) return _client;
            return null;
        }

        public void Dispose() { }
    }
}

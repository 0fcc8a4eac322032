using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using SkillForge.Diagnostics;
using SkillForge.Distillation;

namespace SkillForge.Embeddings
{
    /// <summary>
    /// An ITextEmbedder over any IEmbeddingGenerator (an endpoint's adapter or the user's own): a per-attempt time
    /// limit, Invoke-SkillDistillation's retry policy and failure classification, and the key kept out of messages.
    /// </summary>
    public sealed class GeneratorTextEmbedder : ITextEmbedder
    {
        public const int DefaultBatchSize = 64;

        private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
        private readonly DistillRetryPolicy _retry;
        private readonly TimeSpan _timeout;
        private readonly string? _secret;
        private readonly bool _owns;

        public GeneratorTextEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator, string model, string source,
            TimeSpan timeout, DistillRetryPolicy retry, string? secret, bool ownsGenerator, int batchSize = DefaultBatchSize)
        {
            _generator = generator ?? throw new ArgumentNullException(nameof(generator));
            Model = model;
            Source = source;
            _timeout = timeout;
            _retry = retry;
            _secret = secret;
            _owns = ownsGenerator;
            BatchSize = batchSize;
        }

        public string Model { get; }
        public string Source { get; }
        public int BatchSize { get; }

        /// <summary>One line per retry, for the caller to report from its own thread (retries run on pool threads).</summary>
        public System.Collections.Concurrent.ConcurrentQueue<string> Notes { get; } = new System.Collections.Concurrent.ConcurrentQueue<string>();

        /// <summary>
        /// The embedder resolved settings call for: the user's generator, or an endpoint's. Not for the local model
        /// (the cmdlet layer loads that from the companion module).
        /// </summary>
        public static GeneratorTextEmbedder Create(EmbeddingSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            var retry = new DistillRetryPolicy(settings.MaxRetryCount);
            var timeout = TimeSpan.FromSeconds(settings.TimeoutSec);
            if (settings.Generator != null)
            {
                var generator = AsGenerator(settings.Generator);
                var metadata = generator.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;
                string model = settings.Model ?? metadata?.DefaultModelId ?? generator.GetType().Name;
                string source = metadata?.ProviderUri != null && metadata.ProviderUri.IsAbsoluteUri
                    ? DistillationSettingsResolver.DescribeHost(metadata.ProviderUri) : metadata?.ProviderName ?? generator.GetType().Name;
                return new GeneratorTextEmbedder(generator, model, source, timeout, retry, null, ownsGenerator: false);
            }
            if (settings.Local || settings.Model == null || settings.ApiKey == null)
                throw new SkillForgeException(ErrorIds.EmbeddingNotConfigured, FailureCategory.InvalidArgument,
                    "The embedding settings name no endpoint model or key. Resolve them with EmbeddingSettingsResolver.Resolve first.");
            var adapter = OpenAIEmbeddingGeneratorAdapter.Create(settings.EffectiveEndpoint, settings.Model, settings.ApiKey, timeout + TimeSpan.FromSeconds(30));
            string secret = settings.ApiKey == DistillationSettingsResolver.LocalPlaceholderKey ? null! : settings.ApiKey;
            return new GeneratorTextEmbedder(adapter, settings.Model, settings.EndpointHost, timeout, retry, secret, ownsGenerator: true);
        }

        /// <summary>The object as an IEmbeddingGenerator of strings to float vectors, or a clear error.</summary>
        public static IEmbeddingGenerator<string, Embedding<float>> AsGenerator(object value)
        {
            if (value is IEmbeddingGenerator<string, Embedding<float>> generator) return generator;
            string ours = typeof(IEmbeddingGenerator<string, Embedding<float>>).Assembly.GetName().Version?.ToString() ?? "?";
            bool foreign = value.GetType().GetInterfaces().Any(i => i.FullName != null && i.FullName.StartsWith("Microsoft.Extensions.AI.IEmbeddingGenerator", StringComparison.Ordinal));
            throw new SkillForgeException(ErrorIds.EmbeddingInvalidGenerator, FailureCategory.InvalidArgument,
                foreign
                    ? $"The -EmbeddingGenerator object ({value.GetType().FullName}) implements an IEmbeddingGenerator that SkillForge cannot call: it must be " +
                      $"IEmbeddingGenerator<string, Embedding<float>> from the Microsoft.Extensions.AI.Abstractions SkillForge loads ({ours}). " +
                      "Use -EmbeddingEndpoint and -EmbeddingModel for an OpenAI-compatible server instead."
                    : $"-EmbeddingGenerator takes a Microsoft.Extensions.AI IEmbeddingGenerator<string, Embedding<float>>; '{value.GetType().FullName}' is not one. " +
                      "Pass one, or use -EmbeddingEndpoint and -EmbeddingModel.",
                value.GetType().FullName);
        }

        public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            int used = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(_timeout);
                DistillFailure failure;
                try
                {
                    var generated = await _generator.GenerateAsync(texts, new EmbeddingGenerationOptions { ModelId = Model }, attempt.Token).ConfigureAwait(false);
                    return Check(generated, texts.Count);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (SkillForgeException)
                {
                    throw;
                }
                catch (Exception e) when (!(e is OutOfMemoryException))
                {
                    failure = attempt.IsCancellationRequested
                        ? new DistillFailure(DistillFailureKind.Timeout, null,
                            string.Format(CultureInfo.InvariantCulture, "no answer within {0:0.#} s", _timeout.TotalSeconds), null, e)
                        : DistillFailure.Classify(e, receivedOutput: false, DateTimeOffset.UtcNow);
                }

                used++;
                string what = string.Format(CultureInfo.InvariantCulture, "{0} model '{1}' failed to embed {2} text(s): {3}",
                    Source, Model, texts.Count, ApiKeyMask.Scrub(failure.ServerMessage, _secret));
                if (!failure.IsRetryable || used > _retry.MaxRetries)
                {
                    string gaveUp = failure.IsRetryable && _retry.MaxRetries > 0 ? $" Gave up after {_retry.MaxRetries} retr{(_retry.MaxRetries == 1 ? "y" : "ies")}." : "";
                    throw new SkillForgeException(failure.ErrorId, failure.Category, what + "." + gaveUp + " " + Advice(failure.Kind), Model, failure.Exception);
                }
                var delay = _retry.GetDelay(used, failure.RetryAfter);
                Notes.Enqueue(string.Format(CultureInfo.InvariantCulture, "{0}; retry {1} of {2} in {3:0.0} s{4}.", what, used, _retry.MaxRetries,
                    delay.TotalSeconds, failure.RetryAfter.HasValue ? " (as the server asked)" : ""));
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>What the user can do, in the embedding cmdlets' own parameter names.</summary>
        internal static string Advice(DistillFailureKind kind) => kind switch
        {
            DistillFailureKind.RateLimited => "Raise -MaxRetryCount, or try again later.",
            DistillFailureKind.BadRequest => "The server rejected the request; check -EmbeddingModel for this server (it must be an embedding model).",
            DistillFailureKind.NotFound => "Check -EmbeddingModel (for Azure OpenAI, the deployment name) and that -EmbeddingEndpoint is the API base URL ending in /v1.",
            DistillFailureKind.Forbidden => "The key is valid but may not use this model; check its permissions or choose another -EmbeddingModel.",
            DistillFailureKind.ConnectionFailed => "Check -EmbeddingEndpoint and that the server is running and reachable.",
            _ => new DistillFailure(kind, null, "", null, null).Advice,
        };

        private float[][] Check(GeneratedEmbeddings<Embedding<float>> generated, int expected)
        {
            if (generated.Count != expected)
                throw new SkillForgeException(ErrorIds.EmbeddingInvalidResult, FailureCategory.InvalidResult,
                    $"{Source} model '{Model}' returned {generated.Count} vector(s) for {expected} text(s). Check that the endpoint serves embeddings for this model.", Model);
            var vectors = new float[expected][];
            for (int i = 0; i < expected; i++)
            {
                vectors[i] = generated[i].Vector.ToArray();
                if (vectors[i].Length == 0)
                    throw new SkillForgeException(ErrorIds.EmbeddingInvalidResult, FailureCategory.InvalidResult,
                        $"{Source} model '{Model}' returned an empty vector. Check that the model is an embedding model.", Model);
            }
            return vectors;
        }

        public void Dispose()
        {
            if (_owns) _generator.Dispose();
        }
    }
}

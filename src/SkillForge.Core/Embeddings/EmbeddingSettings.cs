using System;
using System.Collections.Generic;
using SkillForge.Diagnostics;
using SkillForge.Distillation;

namespace SkillForge.Embeddings
{
    /// <summary>What the caller gave for embeddings (null: not given).</summary>
    public sealed class EmbeddingOptions
    {
        public string? Model { get; set; }
        public Uri? Endpoint { get; set; }
        public string? ApiKey { get; set; }
        public int? TimeoutSec { get; set; }
        public int? MaxRetryCount { get; set; }
        /// <summary>A Microsoft.Extensions.AI IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt; (typed object so no dependency type leaks out).</summary>
        public object? Generator { get; set; }
    }

    /// <summary>Resolved settings of one embedding run.</summary>
    public sealed class EmbeddingSettings
    {
        /// <summary>The model; for the local model <see cref="EmbeddingModelCatalog.LocalModel"/>.</summary>
        public string? Model { get; set; }
        public string ModelSource { get; set; } = "none";
        /// <summary>True: the local model of the companion module; no network.</summary>
        public bool Local { get; set; }
        public Uri? Endpoint { get; set; }
        public string EndpointSource { get; set; } = "default";
        /// <summary>Plain key, held only in memory; never printed.</summary>
        public string? ApiKey { get; set; }
        public string KeySource { get; set; } = "none";
        public int TimeoutSec { get; set; } = DistillationSettings.DefaultTimeoutSec;
        public int MaxRetryCount { get; set; } = DistillationSettings.DefaultMaxRetryCount;
        public object? Generator { get; set; }

        public Uri EffectiveEndpoint => Endpoint ?? DistillationSettingsResolver.OpenAIEndpoint;
        public string EndpointHost => Local ? "local" : DistillationSettingsResolver.DescribeHost(EffectiveEndpoint);
        public string MaskedKey => ApiKeyMask.Mask(ApiKey);

        /// <summary>One line for -Verbose: where vectors come from, which model, where the key came from (masked).</summary>
        public string Describe()
        {
            if (Local) return $"Embedding with the local model {Model} (model from {ModelSource}): no network, no key.";
            if (Generator != null) return $"Embedding through the given generator ({Generator.GetType().FullName}), model '{Model ?? "(generator default)"}'.";
            string key = KeySource.StartsWith("none", StringComparison.Ordinal) ? "no key (local endpoint)" : $"key from {KeySource} ({MaskedKey})";
            return $"Embedding with model '{Model}' (from {ModelSource}) at {EndpointHost} (endpoint from {EndpointSource}); {key}; " +
                   $"timeout {TimeoutSec} s per attempt, up to {MaxRetryCount} retries.";
        }
    }

    /// <summary>
    /// Resolves embedding settings in Invoke-SkillDistillation's order: parameters, then the session's
    /// Set-SkillForgeContext values (endpoint, key, timeout, retries), then the environment. The local model is
    /// the default: an endpoint is used only when one is named (-EmbeddingEndpoint, $env:SKILLFORGE_EMBEDDING_ENDPOINT)
    /// or a model other than the local one is (-EmbeddingModel, $env:SKILLFORGE_EMBEDDING_MODEL); that endpoint
    /// then comes from -EmbeddingEndpoint, $env:SKILLFORGE_EMBEDDING_ENDPOINT, the session's endpoint,
    /// $env:OPENAI_BASE_URL or api.openai.com, and its key from -ApiKey, the session, or $env:OPENAI_API_KEY.
    /// </summary>
    public static class EmbeddingSettingsResolver
    {
        public const string ModelVariable = "SKILLFORGE_EMBEDDING_MODEL";
        public const string EndpointVariable = "SKILLFORGE_EMBEDDING_ENDPOINT";

        /// <summary>The variables embedding reads, from this process.</summary>
        public static IDictionary<string, string?> ReadProcessEnvironment()
        {
            var env = DistillationSettingsResolver.ReadProcessEnvironment();
            env[ModelVariable] = Environment.GetEnvironmentVariable(ModelVariable);
            env[EndpointVariable] = Environment.GetEnvironmentVariable(EndpointVariable);
            return env;
        }

        public static EmbeddingSettings Resolve(EmbeddingOptions? parameters, DistillationOptions? context, IDictionary<string, string?>? environment)
        {
            parameters ??= new EmbeddingOptions();
            context ??= new DistillationOptions();
            environment ??= new Dictionary<string, string?>();

            var settings = new EmbeddingSettings
            {
                TimeoutSec = parameters.TimeoutSec ?? context.TimeoutSec ?? DistillationSettings.DefaultTimeoutSec,
                MaxRetryCount = parameters.MaxRetryCount ?? context.MaxRetryCount ?? DistillationSettings.DefaultMaxRetryCount,
                Generator = parameters.Generator,
            };

            string? envModel = Env(environment, ModelVariable);
            settings.Model = Trimmed(parameters.Model) ?? envModel;
            settings.ModelSource = Trimmed(parameters.Model) != null ? "parameter" : envModel != null ? ModelVariable : "none";
            if (settings.Generator != null) return settings;

            Uri? endpoint = parameters.Endpoint != null ? DistillationSettingsResolver.NormalizeEndpoint(parameters.Endpoint, "-EmbeddingEndpoint") : null;
            string source = endpoint != null ? "parameter" : "default";
            if (endpoint == null && Env(environment, EndpointVariable) is string envEndpoint)
            {
                endpoint = DistillationSettingsResolver.ParseEndpoint(envEndpoint, "$env:" + EndpointVariable);
                source = EndpointVariable;
            }

            if (endpoint == null && (settings.Model == null || EmbeddingModelCatalog.IsLocal(settings.Model)))
            {
                settings.Local = true;
                if (settings.Model == null) settings.ModelSource = "default";
                settings.Model = EmbeddingModelCatalog.LocalModel;
                settings.EndpointSource = "local";
                return settings;
            }

            if (endpoint == null && context.Endpoint != null)
            {
                endpoint = DistillationSettingsResolver.NormalizeEndpoint(context.Endpoint, "the session's endpoint");
                source = "context";
            }
            if (endpoint == null && Env(environment, DistillationSettingsResolver.BaseUrlVariable) is string baseUrl)
            {
                endpoint = DistillationSettingsResolver.ParseEndpoint(baseUrl, "$env:" + DistillationSettingsResolver.BaseUrlVariable);
                source = DistillationSettingsResolver.BaseUrlVariable;
            }
            settings.Endpoint = endpoint;
            settings.EndpointSource = source;

            string? key = Trimmed(parameters.ApiKey);
            settings.KeySource = "parameter";
            if (key == null && Trimmed(context.ApiKey) is string contextKey) { key = contextKey; settings.KeySource = "context"; }
            if (key == null && Env(environment, DistillationSettingsResolver.ApiKeyVariable) is string envKey) { key = envKey; settings.KeySource = DistillationSettingsResolver.ApiKeyVariable; }
            settings.ApiKey = key;
            if (key == null)
            {
                if (!DistillationSettingsResolver.IsLocalEndpoint(settings.EffectiveEndpoint))
                    throw new SkillForgeException(ErrorIds.EmbeddingNotConfigured, FailureCategory.InvalidArgument,
                        $"No API key for the embeddings endpoint {settings.EndpointHost}. Give -ApiKey, run Set-SkillForgeContext -ApiKey <key>, " +
                        $"or set $env:{DistillationSettingsResolver.ApiKeyVariable}; or leave -EmbeddingModel and -EmbeddingEndpoint out to use the local model.");
                settings.ApiKey = DistillationSettingsResolver.LocalPlaceholderKey;
                settings.KeySource = "none (local endpoint)";
            }

            if (settings.Model == null)
            {
                if (!settings.EffectiveEndpoint.Host.Equals(DistillationSettingsResolver.OpenAIEndpoint.Host, StringComparison.OrdinalIgnoreCase))
                    throw new SkillForgeException(ErrorIds.EmbeddingNotConfigured, FailureCategory.InvalidArgument,
                        $"No embedding model is set for {settings.EndpointHost}. Give -EmbeddingModel (e.g. nomic-embed-text for Ollama; for Azure OpenAI " +
                        $"the deployment name) or set $env:{ModelVariable}.");
                settings.Model = EmbeddingModelCatalog.DefaultOpenAIModel;
                settings.ModelSource = "default";
            }
            return settings;
        }

        private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        private static string? Env(IDictionary<string, string?> environment, string name) =>
            environment.TryGetValue(name, out var value) ? Trimmed(value) : null;
    }
}

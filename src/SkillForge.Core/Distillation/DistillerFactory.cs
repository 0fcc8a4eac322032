using System;
using System.Linq;
using Microsoft.Extensions.AI;
using SkillForge.Diagnostics;

namespace SkillForge.Distillation
{
    /// <summary>Builds the distiller resolved settings call for: offline, a user's IChatClient, or an OpenAI-compatible endpoint.</summary>
    public static class DistillerFactory
    {
        /// <summary>
        /// The distiller for <paramref name="settings"/>. Dispose it when it is IDisposable (an endpoint's client
        /// is owned by it; a user's IChatClient is not).
        /// </summary>
        public static IDistiller Create(DistillationSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            if (settings.Offline) return new OfflineDistiller(settings.Redact);

            var retry = new DistillRetryPolicy(settings.MaxRetryCount);
            if (settings.ChatClient != null)
            {
                var client = AsChatClient(settings.ChatClient);
                var metadata = client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
                string host = metadata?.ProviderUri != null && metadata.ProviderUri.IsAbsoluteUri
                    ? DistillationSettingsResolver.DescribeHost(metadata.ProviderUri)
                    : metadata?.ProviderName ?? client.GetType().Name;
                return new ChatClientDistiller(client, new ChatClientDistillerOptions
                {
                    Model = settings.Model ?? metadata?.DefaultModelId,
                    EndpointHost = host,
                    Temperature = settings.Temperature,
                    MaxOutputTokens = settings.MaxOutputTokens,
                    Timeout = settings.Timeout,
                    RetryPolicy = retry,
                    ApiKey = SecretKey(settings),
                    OwnsClient = false,
                });
            }

            if (settings.Model == null || settings.ApiKey == null)
                throw new SkillForgeException(ErrorIds.DistillNotConfigured, FailureCategory.InvalidArgument,
                    "The distillation settings name no model or key. Resolve them with DistillationSettingsResolver.Resolve first.");
            // The SDK's own network timeout stays above ours, so the per-attempt limit is what the user sees.
            var adapter = OpenAIChatClientAdapter.Create(settings.EffectiveEndpoint, settings.Model, settings.ApiKey, settings.Timeout + TimeSpan.FromSeconds(30));
            return new ChatClientDistiller(adapter, new ChatClientDistillerOptions
            {
                Model = settings.Model,
                EndpointHost = settings.EndpointHost,
                Temperature = settings.Temperature,
                MaxOutputTokens = settings.MaxOutputTokens,
                Timeout = settings.Timeout,
                RetryPolicy = retry,
                ApiKey = SecretKey(settings),
                OwnsClient = true,
            });
        }

        /// <summary>The key to keep out of messages: none for the placeholder sent to local servers.</summary>
        private static string? SecretKey(DistillationSettings settings) =>
            settings.ApiKey == DistillationSettingsResolver.LocalPlaceholderKey ? null : settings.ApiKey;

        /// <summary>
        /// The object as SkillForge's IChatClient. An IChatClient built against another copy of
        /// Microsoft.Extensions.AI.Abstractions (PowerShell loads SkillForge's copy privately) gets an error
        /// that says so; anything else gets an error naming its type.
        /// </summary>
        public static IChatClient AsChatClient(object value)
        {
            if (value is IChatClient client) return client;
            var ours = typeof(IChatClient);
            var foreign = value.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == ours.FullName);
            if (foreign != null)
            {
                var theirs = foreign.Assembly.GetName();
                string theirLocation = SafeLocation(foreign.Assembly);
                throw new SkillForgeException(ErrorIds.DistillInvalidClient, FailureCategory.InvalidArgument,
                    $"The -ChatClient object ({value.GetType().FullName}) implements Microsoft.Extensions.AI.IChatClient from another copy of " +
                    $"Microsoft.Extensions.AI.Abstractions ({theirs.Version}, {theirLocation}) than the one SkillForge loads into its private " +
                    $"load context ({ours.Assembly.GetName().Version}, {SafeLocation(ours.Assembly)}), so SkillForge cannot call it. " +
                    "Use -Endpoint, -Model and -ApiKey for an OpenAI-compatible server instead, or build the client in a way that binds to " +
                    "SkillForge's copy (for example from a .NET host that references SkillForge.Core).", value.GetType().FullName);
            }
            throw new SkillForgeException(ErrorIds.DistillInvalidClient, FailureCategory.InvalidArgument,
                $"-ChatClient takes a Microsoft.Extensions.AI IChatClient; '{value.GetType().FullName}' is not one. " +
                "Pass an IChatClient, or use -Endpoint, -Model and -ApiKey for an OpenAI-compatible server.", value.GetType().FullName);
        }

        private static string SafeLocation(System.Reflection.Assembly assembly)
        {
            try { return string.IsNullOrEmpty(assembly.Location) ? "loaded from memory" : assembly.Location; }
            catch (NotSupportedException) { return "dynamic assembly"; }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using SkillForge.Clustering;
using SkillForge.Diagnostics;
using SkillForge.Embeddings;
using SkillForge.Infrastructure;

namespace SkillForge.Commands
{
    /// <summary>
    /// The parameters every command that embeds memory docs shares (Add-MemoryEmbedding, Find-MemoryCluster),
    /// how they resolve (EmbeddingSettingsResolver: parameters, then Set-SkillForgeContext, then the environment),
    /// and the doc input both take: MemoryDocs, or any object with Id and Text.
    /// </summary>
    public abstract class EmbeddingCmdletBase : SkillForgeCmdlet
    {
        /// <summary>The embedding model: all-MiniLM-L6-v2 (local, the default) or an endpoint's model.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EmbeddingModel { get; set; }

        /// <summary>An OpenAI-compatible API base URL that serves /embeddings.</summary>
        [Parameter]
        public Uri? EmbeddingEndpoint { get; set; }

        /// <summary>SecureString or plain string.</summary>
        [Parameter]
        public object? ApiKey { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = Distillation.DistillationSettings.DefaultTimeoutSec;

        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetryCount { get; set; } = Distillation.DistillationSettings.DefaultMaxRetryCount;

        /// <summary>A Microsoft.Extensions.AI IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt; to use instead.</summary>
        [Parameter]
        public object? EmbeddingGenerator { get; set; }

        /// <summary>The embedding cache folder (default: EmbeddingCache.DefaultDirectory()).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CachePath { get; set; }

        /// <summary>Neither read nor write the embedding cache.</summary>
        [Parameter]
        public SwitchParameter NoCache { get; set; }

        /// <summary>The docs read so far, in input order.</summary>
        internal List<MemoryDoc> Docs { get; } = new List<MemoryDoc>();

        /// <summary>Takes one piped object (or every item of an array given to -InputObject).</summary>
        internal void AddInput(PSObject? input)
        {
            if (input == null) return;
            foreach (var item in PSObjectConversion.Items(input))
            {
                if (item == null) continue;
                var ps = PSObject.AsPSObject(item);
                if (ps.BaseObject is MemoryDoc doc)
                {
                    Docs.Add(doc);
                    continue;
                }
                try
                {
                    Docs.Add(MemoryDocProperties.FromProperties(PSObjectConversion.Properties(ps)));
                }
                catch (SkillForgeException e)
                {
                    WriteFailure(new SkillForgeException(e.ErrorId, e.Category, e.Message, ps, e));
                }
            }
        }

        /// <summary>
        /// Embeds the docs that need it, after ShouldProcess. Returns null when the user declined (-WhatIf).
        /// Settings and model failures are terminating errors: nothing could be embedded.
        /// </summary>
        internal EmbeddingRun? EmbedDocs(IReadOnlyList<MemoryDoc> docs, bool force)
        {
            try
            {
                var settings = EmbeddingSettingsResolver.Resolve(BoundOptions(), SkillForgeContextStore.Get(), EmbeddingSettingsResolver.ReadProcessEnvironment());
                WriteVerbose(settings.Describe());
                int needed = 0;
                foreach (var d in docs) if (force || !MemoryEmbedder.Keeps(d, settings.Model ?? "")) needed++;
                if (needed > 0 && !ShouldProcess(string.Format(CultureInfo.InvariantCulture, "{0} memory doc(s)", needed),
                        $"Embed with {settings.Model ?? "the generator's model"} ({settings.EndpointHost})"))
                    return null;
                using var embedder = settings.Local ? LocalEmbeddingModel.Get() : GeneratorTextEmbedder.Create(settings);
                var cache = NoCache.IsPresent ? null : new EmbeddingCache(CachePath != null ? ResolveOutputPath(CachePath, nameof(CachePath)) : EmbeddingCache.DefaultDirectory(), CacheMaxBytes());
                return MemoryEmbedder.Embed(docs, embedder, cache, force, Sink, CancellationToken);
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
                throw; // ThrowFailure never returns.
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
        }

        /// <summary>$env:SKILLFORGE_EMBEDDING_CACHE_MB, else 512 MiB.</summary>
        private static long CacheMaxBytes()
        {
            string? text = Environment.GetEnvironmentVariable("SKILLFORGE_EMBEDDING_CACHE_MB");
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long mb) && mb >= 0
                ? mb * 1024 * 1024 : EmbeddingCache.DefaultMaxBytes;
        }

        /// <summary>Only what the caller actually gave.</summary>
        private EmbeddingOptions BoundOptions()
        {
            var bound = MyInvocation.BoundParameters;
            return new EmbeddingOptions
            {
                Model = EmbeddingModel,
                Endpoint = EmbeddingEndpoint,
                ApiKey = bound.ContainsKey(nameof(ApiKey)) ? DistillationCmdletBase.ConvertApiKey(ApiKey) : null,
                TimeoutSec = bound.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : (int?)null,
                MaxRetryCount = bound.ContainsKey(nameof(MaxRetryCount)) ? MaxRetryCount : (int?)null,
                Generator = EmbeddingGenerator is PSObject ps ? ps.BaseObject : EmbeddingGenerator,
            };
        }
    }
}

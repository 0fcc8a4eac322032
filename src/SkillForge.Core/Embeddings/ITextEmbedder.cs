using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SkillForge.Embeddings
{
    /// <summary>Turns texts into vectors: the local model, an endpoint, or a user's IEmbeddingGenerator.</summary>
    public interface ITextEmbedder : IDisposable
    {
        /// <summary>The model name that keys the cache and picks the default threshold.</summary>
        string Model { get; }

        /// <summary>Where the vectors come from, for messages: "local", a host, or the generator's provider.</summary>
        string Source { get; }

        /// <summary>Texts sent in one call.</summary>
        int BatchSize { get; }

        /// <summary>One vector per text, in order.</summary>
        Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
    }
}

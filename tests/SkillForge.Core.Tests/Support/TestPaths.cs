using System;
using System.IO;
using Xunit;

namespace SkillForge.Tests.Support
{
    /// <summary>Where the repository, its examples and the shared real-data samples are.</summary>
    public static class TestPaths
    {
        private static readonly Lazy<string> Root = new Lazy<string>(FindRepoRoot);

        public static string RepoRoot => Root.Value;

        public static string Examples => Path.Combine(RepoRoot, "examples");

        public static string ModuleOutput => Path.Combine(RepoRoot, "out", "SkillForge");

        /// <summary>../shared/real-data beside the repository, or null when this machine has no copy.</summary>
        public static string? RealData
        {
            get
            {
                var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "real-data"));
                return Directory.Exists(path) ? path : null;
            }
        }

        /// <summary>A file under real-data (relative path with forward slashes); throws if real-data is absent.</summary>
        public static string RealDataFile(string relative) =>
            Path.Combine(RealData ?? throw new InvalidOperationException("real-data is absent"), relative.Replace('/', Path.DirectorySeparatorChar));

        private static string FindRepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SkillForge.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("SkillForge.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>A fact that is skipped, not failed, on machines without ../shared/real-data.</summary>
    public sealed class RealDataFactAttribute : FactAttribute
    {
        public RealDataFactAttribute()
        {
            if (TestPaths.RealData == null) Skip = "../shared/real-data is not on this machine";
        }
    }

    /// <summary>A theory that is skipped, not failed, on machines without ../shared/real-data.</summary>
    public sealed class RealDataTheoryAttribute : TheoryAttribute
    {
        public RealDataTheoryAttribute()
        {
            if (TestPaths.RealData == null) Skip = "../shared/real-data is not on this machine";
        }
    }

    /// <summary>A fresh temporary folder, deleted on dispose.</summary>
    public sealed class TempDir : IDisposable
    {
        public TempDir()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "skillforge-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public string Write(string name, string content)
        {
            var file = File(name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            System.IO.File.WriteAllText(file, content);
            return file;
        }

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}

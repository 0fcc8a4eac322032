using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using SkillForge.IO;
using SkillForge.Prompts;
using SkillForge.Redaction;
using SkillForge.Traces;
using SkillForge.Traces.Formats;

namespace SkillForge.Benchmarks
{
    /// <summary>
    /// What the redaction pass costs. On the transcript suite's generated Claude Code session (seeded; every line
    /// carries a home folder, and one line in 500 a planted secret): the pass's own throughput over the whole file
    /// in MB/s beside the import's, and the prompt path (import, Split-Trace, New-DistillPrompt) with -Redact None
    /// and -Redact All. Each figure is the best of --runs runs (CPU time, steadier than wall time on a shared machine).
    /// Options: --size-mb N (default 50), --seed N (default 42), --runs N (default 3), --keep.
    /// </summary>
    public sealed class RedactionBenchmark : IBenchmarkSuite
    {
        public string Name => "redaction";
        public string Description => "redaction pass MB/s beside import MB/s; 50 MB transcript through the prompt path with and without it";

        public int Run(string[] args)
        {
            var options = new BenchArgs(args);
            int sizeMb = options.Int("size-mb", 50), seed = options.Int("seed", 42), runs = Math.Max(1, options.Int("runs", 3));
            var dir = Path.Combine(Path.GetTempPath(), "skillforge-bench-redaction-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var plain = Path.Combine(dir, "session.jsonl");
                var file = Path.Combine(dir, "session-secrets.jsonl");
                TranscriptBenchmark.Generate(plain, sizeMb * 1024L * 1024, seed, imageBytes: 0);
                long bytes = PlantSecrets(plain, file, seed);
                double mb = bytes / 1048576.0;
                string text = File.ReadAllText(file);

                // Warm up the JIT (and the compiled expressions) on a slice.
                Redactor.Redact(text.Substring(0, Math.Min(text.Length, 1 << 20)));
                PromptPath(file, RedactionMode.All);

                Console.WriteLine($"redaction benchmark: {mb:F1} MB transcript, seed {seed}, best of {runs} runs, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
                var redact = Best(runs, () => Redactor.Redact(text, RedactionMode.All, new RedactionCounts()).Length);
                var secretsOnly = Best(runs, () => Redactor.Redact(text, RedactionMode.Secrets, new RedactionCounts()).Length);
                var import = Best(runs, () => TranscriptBenchmark.Import(file));
                var counts = new RedactionCounts();
                Redactor.Redact(text, RedactionMode.All, counts);
                Console.WriteLine($"redaction pass over the whole file: {mb / redact.Cpu:F1} MB/s (-Redact Secrets {mb / secretsOnly.Cpu:F1} MB/s); import: {mb / import.Cpu:F1} MB/s (CPU time)");
                Console.WriteLine($"  found {counts.Total} values: {counts}");

                var without = Best(runs, () => PromptPath(file, RedactionMode.None));
                var with = Best(runs, () => PromptPath(file, RedactionMode.All));
                Console.WriteLine($"prompt path (Import-Trace | Split-Trace | New-DistillPrompt), {with.Result} prompts:");
                Console.WriteLine($"  -Redact None {without.Cpu:F2} s CPU ({without.Wall:F2} s wall); -Redact All {with.Cpu:F2} s CPU ({with.Wall:F2} s wall)");
                Console.WriteLine($"  with redaction / without: {with.Cpu / without.Cpu:F3} (target <= 1.20)");
                return 0;
            }
            finally
            {
                if (!options.Flag("keep"))
                {
                    try { Directory.Delete(dir, recursive: true); }
                    catch (IOException) { }
                }
                else Console.WriteLine($"files kept in {dir}");
            }
        }

        /// <summary>The session with one planted secret (of every kind in turn) in one tool result in 500.</summary>
        private static long PlantSecrets(string source, string target, int seed)
        {
            string[] planted =
            {
                "export OPENAI_API_KEY=sk-" + "proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c",
                "git push https://gh" + "p_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c@github.com/acme/app.git",
                "psql postgres://app:S3cr3t" + "Pa55w0rd@db.internal:5432/app",
                "Author: Jane Doe <jane.doe@acme-corp.io>",
                "aws_access_key_id = AK" + "IA2QX7JZ5LKM4NPR8T",
                "curl -H 'Authorization: Bearer 9f8e7d6c5b4a3928" + "1706f5e4d3c2b1a0ZZ'",
            };
            var rng = new Random(seed + 7);
            int n = 0;
            using (var reader = new StreamReader(source))
            using (var writer = new StreamWriter(target, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" })
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Contains("\"tool_result\"") && rng.Next(500) == 0)
                        line = line.Replace("\"content\":\"", "\"content\":\"" + planted[n++ % planted.Length] + "\\n");
                    writer.WriteLine(line);
                }
            }
            return new FileInfo(target).Length;
        }

        /// <summary>Import-Trace | Split-Trace | New-DistillPrompt over one file: the number of prompts.</summary>
        private static long PromptPath(string path, RedactionMode mode)
        {
            var events = new List<TraceEvent>();
            using (var stream = SourceFiles.OpenRead(path))
            {
                foreach (var outcome in new ClaudeCodeTraceFormat().Read(stream, path, CancellationToken.None))
                    if (!outcome.IsError) events.Add(outcome.Value!);
            }
            var options = new DistillPromptOptions { Redact = mode };
            long prompts = 0;
            foreach (var partition in TracePartitioner.Partition(events))
                prompts += DistillPromptBuilder.ForPartition(partition, options).Count;
            return prompts;
        }

        private static (double Cpu, double Wall, long Result) Best(int runs, Func<long> work)
        {
            double cpu = double.MaxValue, wall = double.MaxValue;
            long result = 0;
            for (int i = 0; i < runs; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var process = Process.GetCurrentProcess();
                var before = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                result = work();
                watch.Stop();
                process.Refresh();
                cpu = Math.Min(cpu, Math.Max(1e-3, (process.TotalProcessorTime - before).TotalSeconds));
                wall = Math.Min(wall, watch.Elapsed.TotalSeconds);
            }
            return (cpu, wall, result);
        }
    }
}

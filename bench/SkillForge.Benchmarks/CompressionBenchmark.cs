using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using SkillForge.Clustering;
using SkillForge.Crystallization;
using SkillForge.Distillation;
using SkillForge.Import;
using SkillForge.Prompts;
using SkillForge.Traces;

namespace SkillForge.Benchmarks
{
    /// <summary>
    /// How much smaller the offline distiller's skills are than what they were distilled from, per flow, in
    /// TokenEstimator tokens. Memory flows run Invoke-SkillCrystallization's engine into a temporary skills folder;
    /// trace flows run Import-Trace → Split-Trace → New-DistillPrompt → the offline distiller.
    /// </summary>
    public sealed class CompressionSuite : IBenchmarkSuite
    {
        public string Name => "compression";

        public string Description => "Offline distiller: source tokens / skill tokens per flow (examples, generated trace and export)  [--trace-events 5000] [--export-docs 5000] [--seed 20261121]";

        public int Run(string[] args)
        {
            var options = new BenchArgs(args);
            int traceEvents = options.Int("trace-events", 5000);
            int exportDocs = options.Int("export-docs", 5000);
            int seed = options.Int("seed", 20261121);
            var root = FindRepoRoot();
            var work = Path.Combine(Path.GetTempPath(), "skillforge-compression-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            Console.WriteLine("compression suite: tokens are TokenEstimator estimates (about 4 characters per token); skill tokens count the whole");
            Console.WriteLine("output: frontmatter with provenance metadata, body and Sources list for SKILL.md; the JSON array for traces.");
            Console.WriteLine();
            var rows = new List<string[]>
            {
                new[] { "flow", "input", "skills", "source tokens", "skill tokens", "source/skill", "whole input tokens", "whole input/skill", "time" },
            };
            try
            {
                var memories = Path.Combine(root, "examples", "memories.jsonl");
                if (File.Exists(memories)) rows.Add(MemoryFlow("examples/memories.jsonl", memories, work));
                else Console.WriteLine("examples/memories.jsonl is not in this checkout: skipped.");

                var trace = Path.Combine(root, "examples", "trace.jsonl");
                if (File.Exists(trace)) rows.Add(TraceFlow("examples/trace.jsonl", trace));
                else Console.WriteLine("examples/trace.jsonl is not in this checkout: skipped.");

                var generatedTrace = Path.Combine(work, "generated-trace.jsonl");
                WriteGeneratedTrace(generatedTrace, traceEvents, seed);
                rows.Add(TraceFlow($"generated trace ({traceEvents:N0} events, seed {seed})", generatedTrace));

                var generatedExport = Path.Combine(work, "generated-memories.jsonl");
                MemoryExportGenerator.WriteJsonl(generatedExport, MemoryExportGenerator.Generate(exportDocs).Docs);
                rows.Add(MemoryFlow($"generated export ({exportDocs:N0} docs, seed 20251121)", generatedExport, work));
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); }
                catch (IOException) { }
            }

            Console.WriteLine();
            Figures.Table(rows);
            Console.WriteLine();
            Console.WriteLine("source tokens: memory flows, the text of the docs that were clustered and became skills; trace flows, the source");
            Console.WriteLine("  section of each prompt (New-DistillPrompt keeps at most its MaxSourceChars of events per prompt, so long traces are capped here).");
            Console.WriteLine("whole input tokens: the whole input file (every doc or event, JSON included), most of which a memory flow does not cluster.");
            Console.WriteLine("The offline distiller extracts and cites: on small near-duplicate clusters its frontmatter, provenance and Sources list");
            Console.WriteLine("can outweigh the one merged statement, so source/skill below 1 is expected there; the gain grows with cluster size and trace length.");
            return 0;
        }

        private static string[] MemoryFlow(string label, string path, string work)
        {
            var watch = Stopwatch.StartNew();
            var docs = new List<MemoryDoc>();
            long wholeTokens = 0;
            foreach (var line in File.ReadLines(path)) wholeTokens += TokenEstimator.Estimate(line);
            foreach (var outcome in MemoryExportReader.Read(path))
            {
                if (!outcome.IsError) docs.Add(outcome.Value!);
            }
            var skills = Path.Combine(work, "skills-" + Guid.NewGuid().ToString("N"));
            var crystallizer = new SkillCrystallizer(skills);
            var clusters = crystallizer.FindClusters(docs, new ClusterOptions());
            int failed = 0;
            foreach (var item in crystallizer.Distill(clusters, new OfflineDistiller(), 4, OfflineDistiller.ModelName))
            {
                if (item.Error != null)
                {
                    failed++;
                    Console.WriteLine($"  {label}: cluster {item.Cluster.SourceId} failed: {item.Error.Message}");
                }
            }
            watch.Stop();
            var s = crystallizer.Summary;
            Console.WriteLine($"{label}: {docs.Count:N0} docs, {s.Clusters:N0} clusters, {s.SkillsWritten:N0} skills written, {failed} failed.");
            return new[]
            {
                label, $"{docs.Count:N0} docs", s.SkillsWritten.ToString("N0", CultureInfo.InvariantCulture),
                s.SourceTokens.ToString("N0", CultureInfo.InvariantCulture), s.SkillTokens.ToString("N0", CultureInfo.InvariantCulture),
                Ratio(s.SourceTokens, s.SkillTokens), wholeTokens.ToString("N0", CultureInfo.InvariantCulture), Ratio(wholeTokens, s.SkillTokens),
                Figures.Seconds(watch.Elapsed.TotalSeconds),
            };
        }

        private static string[] TraceFlow(string label, string path)
        {
            var watch = Stopwatch.StartNew();
            long wholeTokens = 0;
            foreach (var line in File.ReadLines(path)) wholeTokens += TokenEstimator.Estimate(line);
            var events = TraceReader.Read(path).Where(o => !o.IsError).Select(o => o.Value!).ToList();
            long source = 0, output = 0;
            int skills = 0, partitions = 0;
            foreach (var partition in TracePartitioner.Partition(events))
            {
                partitions++;
                foreach (var prompt in DistillPromptBuilder.ForPartition(partition))
                {
                    var result = new OfflineDistiller().Distill(prompt);
                    source += prompt.SourceTokens;
                    output += result.OutputTokens;
                    using var doc = JsonDocument.Parse(result.Text);
                    skills += doc.RootElement.GetArrayLength();
                }
            }
            watch.Stop();
            Console.WriteLine($"{label}: {events.Count:N0} events in {partitions} traces, {skills} skills.");
            return new[]
            {
                label, $"{events.Count:N0} events", skills.ToString("N0", CultureInfo.InvariantCulture),
                source.ToString("N0", CultureInfo.InvariantCulture), output.ToString("N0", CultureInfo.InvariantCulture), Ratio(source, output),
                wholeTokens.ToString("N0", CultureInfo.InvariantCulture), Ratio(wholeTokens, output), Figures.Seconds(watch.Elapsed.TotalSeconds),
            };
        }

        private static string Ratio(long source, long output) =>
            output == 0 ? "n/a" : ((double)source / output).ToString("N2", CultureInfo.InvariantCulture) + "×";

        /// <summary>
        /// One long coding-agent session: prompts, searches, reads, edits and test runs over a seeded repository,
        /// with failures (missing files, failing tests, denied pushes), retries and user corrections.
        /// </summary>
        internal static void WriteGeneratedTrace(string path, int count, int seed)
        {
            var random = new Random(seed);
            string[] modules = { "billing", "orders", "inventory", "search", "auth", "notifications", "reports", "catalog" };
            string[] symbols = { "total_price", "apply_discount", "reserve_stock", "refresh_token", "send_email", "export_csv", "parse_query", "sync_catalog" };
            string[] tasks =
            {
                "Fix the failing {m} tests", "Add retries to the {m} client", "Rename {s} across the {m} module",
                "Speed up the {m} report query", "Bump the {m} dependencies and keep the build green",
            };
            var sb = new StringBuilder();
            int n = 0, action = 0;
            void Emit(string kind, string? tool, object data)
            {
                var record = new Dictionary<string, object?> { ["trace_id"] = "generated-session", ["kind"] = kind };
                if (tool != null)
                {
                    record["action_id"] = "g" + (++action).ToString(CultureInfo.InvariantCulture);
                    record["tool"] = tool;
                }
                record["data"] = data;
                record["duration_ms"] = Math.Round(50 + random.NextDouble() * 3000, 1);
                sb.Append(JsonSerializer.Serialize(record)).Append('\n');
                n++;
            }
            while (n < count)
            {
                var m = modules[random.Next(modules.Length)];
                var sym = symbols[random.Next(symbols.Length)];
                Emit("user_prompt", null, new { text = tasks[random.Next(tasks.Length)].Replace("{m}", m).Replace("{s}", sym) });
                int steps = 4 + random.Next(8);
                for (int i = 0; i < steps && n < count; i++)
                {
                    switch (random.Next(6))
                    {
                        case 0:
                            Emit("action_succeeded", "grep", new { args = new { pattern = sym, path = "src/" + m + "/" }, matches = random.Next(1, 30) });
                            break;
                        case 1:
                            var file = $"src/{m}/{sym}.py";
                            if (random.Next(5) == 0)
                            {
                                Emit("action_failed", "read_file", new { args = new { path = $"src/{m}s/{sym}.py" }, error = $"FileNotFoundError: src/{m}s/{sym}.py" });
                                if (random.Next(2) == 0) Emit("user_correction", null, new { text = $"The module folder is src/{m}, singular." });
                            }
                            Emit("action_succeeded", "read_file", new { args = new { path = file }, lines = random.Next(40, 900) });
                            break;
                        case 2:
                            Emit("action_succeeded", "edit_file", new { args = new { path = $"src/{m}/{sym}.py", old = sym + "(x)", @new = sym + "(x, strict=True)" } });
                            break;
                        case 3:
                            if (random.Next(3) == 0)
                            {
                                Emit("action_failed", "shell", new { args = new { command = $"pytest tests/{m}" }, error = $"Exit code 1: {random.Next(1, 6)} failed, {random.Next(10, 90)} passed" });
                                Emit("action_succeeded", "edit_file", new { args = new { path = $"src/{m}/{sym}.py", old = "return None", @new = "return []" } });
                            }
                            Emit("action_succeeded", "shell", new { args = new { command = $"pytest tests/{m} -q" }, exit_code = 0 });
                            break;
                        case 4:
                            if (random.Next(4) == 0)
                            {
                                Emit("action_rejected", "shell", new { args = new { command = "git push --force origin main" }, error = "Force-push to main requires approval; the user denied it." });
                                Emit("user_correction", null, new { text = "Never force-push main; push a branch and open a pull request." });
                            }
                            Emit("action_succeeded", "shell", new { args = new { command = $"git push origin fix/{m}-{sym}" }, exit_code = 0 });
                            break;
                        default:
                            if (random.Next(6) == 0)
                                Emit("action_failed", "web_fetch", new { args = new { url = $"https://pypi.org/pypi/{m}-client/json" }, error = "HTTP 429 Too Many Requests" });
                            Emit("action_succeeded", "web_fetch", new { args = new { url = $"https://pypi.org/pypi/{m}-client/json" }, status = 200 });
                            break;
                    }
                }
                if (n < count) Emit("episode_end", null, new { reward = random.Next(2) });
            }
            File.WriteAllText(path, sb.ToString());
        }

        private static string FindRepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SkillForge.sln"))) dir = dir.Parent;
            if (dir != null) return dir.FullName;
            dir = new DirectoryInfo(Directory.GetCurrentDirectory());
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "SkillForge.sln"))) dir = dir.Parent;
            return dir?.FullName ?? Directory.GetCurrentDirectory();
        }
    }
}

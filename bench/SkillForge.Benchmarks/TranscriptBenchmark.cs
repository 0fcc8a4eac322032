using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using SkillForge.IO;
using SkillForge.Traces.Formats;

namespace SkillForge.Benchmarks
{
    /// <summary>
    /// Import-Trace -Format ClaudeCode on a generated transcript (seeded) against the floor of simply reading the
    /// same file line by line: time and peak managed heap, as ratios; the same with one 8 MB base64 image line;
    /// and the import's peak heap at a quarter of the size, to show memory does not grow with the file.
    /// Each figure is the best of --runs runs (default 3): the machine is shared, the minimum is the least disturbed.
    /// Options: --size-mb N (default 50), --seed N (default 42), --runs N, --keep (leave the generated files).
    /// </summary>
    public sealed class TranscriptBenchmark : IBenchmarkSuite
    {
        public string Name => "transcript";
        public string Description => "Claude Code transcript import vs reading lines: time and peak memory (50 MB, 8 MB image line)";

        public int Run(string[] args)
        {
            var options = new BenchArgs(args);
            int sizeMb = options.Int("size-mb", 50), seed = options.Int("seed", 42), runs = Math.Max(1, options.Int("runs", 3));
            bool keep = options.Flag("keep");

            var dir = Path.Combine(Path.GetTempPath(), "skillforge-bench-transcript-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var quarter = Path.Combine(dir, "quarter.jsonl");
                var plain = Path.Combine(dir, "session.jsonl");
                var withImage = Path.Combine(dir, "session-image.jsonl");
                long quarterBytes = Generate(quarter, sizeMb * 1024L * 1024 / 4, seed, imageBytes: 0);
                long plainBytes = Generate(plain, sizeMb * 1024L * 1024, seed, imageBytes: 0);
                long imageFileBytes = Generate(withImage, sizeMb * 1024L * 1024, seed, imageBytes: 6 * 1024 * 1024); // 6 MB raw = 8 MB base64

                // Warm up the JIT on the small file.
                ReadLines(quarter);
                Import(quarter);

                Console.WriteLine($"transcript benchmark: seed {seed}, best of {runs} runs, {Environment.ProcessorCount} cores, {RuntimeLabel()}");
                Console.WriteLine("read = StreamReader.ReadLine over the file; parse = JsonLines.Read (one JsonDocument per line, nothing kept); import = ClaudeCodeTraceFormat.Read");
                Console.WriteLine("times are wall seconds; cpu/read and cpu/parse are ratios of process CPU time; MB columns are peak managed heap growth");
                Console.WriteLine($"{"file",-28} {"MB",6} {"read s",7} {"parse s",8} {"import s",9} {"cpu/read",9} {"cpu/parse",10} {"read MB",8} {"import MB",10} {"mem x",6} {"events",7}");
                var q = Compare("quarter size", quarter, quarterBytes, runs);
                var p = Compare($"{sizeMb} MB", plain, plainBytes, runs);
                var m = Compare($"{sizeMb} MB + 8 MB image line", withImage, imageFileBytes, runs);
                Console.WriteLine();
                Console.WriteLine($"import peak heap, full size vs quarter size: {Ratio(p.ImportPeak, q.ImportPeak)}x (1.0 = constant memory)");
                Console.WriteLine($"import throughput: {plainBytes / 1048576.0 / p.ImportSeconds:F1} MB/s; reading lines: {plainBytes / 1048576.0 / p.ReadSeconds:F1} MB/s");
                Console.WriteLine($"8 MB line: import {m.ImportSeconds:F2} s vs {p.ImportSeconds:F2} s for a file of the same size without it");
                if (keep) Console.WriteLine($"files kept in {dir}");
                return 0;
            }
            finally
            {
                if (!keep)
                {
                    try { Directory.Delete(dir, recursive: true); }
                    catch (IOException) { }
                }
            }
        }

        private sealed class Figures
        {
            public double ReadSeconds = double.MaxValue, ParseSeconds = double.MaxValue, ImportSeconds = double.MaxValue;
            public double ReadCpu = double.MaxValue, ParseCpu = double.MaxValue, ImportCpu = double.MaxValue;
            public long ReadPeak, ImportPeak, Events;
        }

        private static Figures Compare(string label, string path, long bytes, int runs)
        {
            var f = new Figures();
            for (int run = 0; run < runs; run++)
            {
                var read = Measure(() => ReadLines(path));
                var parse = Measure(() => ParseLines(path));
                var import = Measure(() => Import(path));
                f.ReadSeconds = Math.Min(f.ReadSeconds, read.Seconds);
                f.ParseSeconds = Math.Min(f.ParseSeconds, parse.Seconds);
                f.ImportSeconds = Math.Min(f.ImportSeconds, import.Seconds);
                f.ReadCpu = Math.Min(f.ReadCpu, read.CpuSeconds);
                f.ParseCpu = Math.Min(f.ParseCpu, parse.CpuSeconds);
                f.ImportCpu = Math.Min(f.ImportCpu, import.CpuSeconds);
                f.ReadPeak = Math.Max(f.ReadPeak, read.PeakBytes);
                f.ImportPeak = Math.Max(f.ImportPeak, import.PeakBytes);
                f.Events = import.Result;
            }
            Console.WriteLine(
                $"{label,-28} {bytes / 1048576.0,6:F1} {f.ReadSeconds,7:F2} {f.ParseSeconds,8:F2} {f.ImportSeconds,9:F2} {f.ImportCpu / f.ReadCpu,9:F2} {f.ImportCpu / f.ParseCpu,10:F2} " +
                $"{f.ReadPeak / 1048576.0,8:F1} {f.ImportPeak / 1048576.0,10:F1} {Ratio(f.ImportPeak, f.ReadPeak),6} {f.Events,7}");
            return f;
        }

        private static string Ratio(long a, long b) => b <= 0 ? "n/a" : ((double)a / b).ToString("F2", CultureInfo.InvariantCulture);

        /// <summary>The floor: every line read as a string, nothing parsed.</summary>
        private static long ReadLines(string path)
        {
            long lines = 0;
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            while (reader.ReadLine() != null) lines++;
            return lines;
        }

        /// <summary>The parse floor: every line parsed into a JsonDocument and dropped.</summary>
        private static long ParseLines(string path)
        {
            long lines = 0;
            using var stream = SourceFiles.OpenRead(path);
            foreach (var line in JsonLines.Read(stream))
                using (line) lines++;
            return lines;
        }

        internal static long Import(string path)
        {
            long events = 0;
            using var stream = SourceFiles.OpenRead(path);
            foreach (var outcome in new ClaudeCodeTraceFormat().Read(stream, path, CancellationToken.None))
                if (!outcome.IsError) events++;
            return events;
        }

        /// <summary>
        /// Wall time, process CPU time (steadier than wall time on a busy machine; the ratios use it) and the peak
        /// managed heap above the starting point, sampled every 2 ms.
        /// </summary>
        private static (double Seconds, double CpuSeconds, long PeakBytes, long Result) Measure(Func<long> work)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long baseline = GC.GetTotalMemory(forceFullCollection: false);
            long peak = baseline;
            using var done = new ManualResetEventSlim();
            var sampler = new Thread(() =>
            {
                while (!done.IsSet)
                {
                    long now = GC.GetTotalMemory(false);
                    if (now > Interlocked.Read(ref peak)) Interlocked.Exchange(ref peak, now);
                    done.Wait(2);
                }
            }) { IsBackground = true };
            sampler.Start();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            long result = work();
            watch.Stop();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            done.Set();
            sampler.Join();
            long end = GC.GetTotalMemory(false);
            if (end > peak) peak = end;
            return (watch.Elapsed.TotalSeconds, Math.Max(cpu, 1e-3), peak - baseline, result);
        }

        private static string RuntimeLabel() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

        // ---- a seeded Claude Code session: prompts, split assistant messages, tool calls and results (the redaction suite uses it too) ----

        private static readonly string[] Tools = { "Bash", "Read", "Edit", "Grep", "Glob", "Write" };
        private static readonly string[] Words =
        {
            "parser", "config", "build", "test", "cache", "index", "render", "token", "client", "server", "retry", "schema",
            "import", "export", "layout", "query", "handler", "module", "fixture", "report",
        };

        internal static long Generate(string path, long targetBytes, int seed, int imageBytes)
        {
            var rng = new Random(seed);
            const string session = "7d1c2b3a-0000-4000-8000-00000000b3c4";
            var common = "\"sessionId\":\"" + session + "\",\"cwd\":\"/home/dev/project\",\"gitBranch\":\"main\",\"version\":\"2.1.14\",\"userType\":\"external\",\"isSidechain\":false";
            var time = new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc);
            long n = 0;
            bool imageWritten = imageBytes == 0;
            using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

            string Ts()
            {
                time = time.AddMilliseconds(rng.Next(20, 4000));
                return time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            }
            string Uuid() => "00000000-0000-4000-8000-" + (n++).ToString("x12", CultureInfo.InvariantCulture);
            string Text(int words)
            {
                var sb = new StringBuilder();
                for (int i = 0; i < words; i++) sb.Append(i == 0 ? "" : " ").Append(Words[rng.Next(Words.Length)]);
                return sb.ToString();
            }

            writer.WriteLine("{\"type\":\"summary\",\"summary\":\"Generated session\",\"leafUuid\":\"none\"}");
            while (writer.BaseStream.Length < targetBytes)
            {
                writer.WriteLine("{\"type\":\"user\"," + common + ",\"uuid\":\"" + Uuid() + "\",\"timestamp\":\"" + Ts() + "\",\"message\":{\"role\":\"user\",\"content\":\"" + Text(rng.Next(5, 40)) + "\"}}");
                if (!imageWritten && writer.BaseStream.Length >= targetBytes / 2)
                {
                    var raw = new byte[imageBytes];
                    new Random(seed + 1).NextBytes(raw); // its own generator: the rest of the file is the same as without it
                    writer.WriteLine("{\"type\":\"user\"," + common + ",\"uuid\":\"" + Uuid() + "\",\"timestamp\":\"" + Ts() +
                        "\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"see screenshot\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" +
                        Convert.ToBase64String(raw) + "\"}}]}}");
                    imageWritten = true;
                }
                int steps = rng.Next(3, 12);
                for (int s = 0; s < steps; s++)
                {
                    var messageId = "msg_" + (n++).ToString("x12", CultureInfo.InvariantCulture);
                    var toolId = "toolu_" + (n++).ToString("x16", CultureInfo.InvariantCulture);
                    var tool = Tools[rng.Next(Tools.Length)];
                    // One API message split over two lines: its text, then its tool call.
                    writer.WriteLine("{\"type\":\"assistant\"," + common + ",\"uuid\":\"" + Uuid() + "\",\"timestamp\":\"" + Ts() + "\",\"message\":{\"id\":\"" + messageId +
                        "\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"" + Text(rng.Next(5, 30)) + "\"}],\"usage\":{\"input_tokens\":3,\"output_tokens\":50}}}");
                    var toolUse = "{\"type\":\"assistant\"," + common + ",\"uuid\":\"" + Uuid() + "\",\"timestamp\":\"" + Ts() + "\",\"message\":{\"id\":\"" + messageId +
                        "\",\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + toolId + "\",\"name\":\"" + tool +
                        "\",\"input\":{\"command\":\"" + Text(rng.Next(2, 10)) + "\",\"file_path\":\"/home/dev/project/src/" + Words[rng.Next(Words.Length)] + ".ts\"}}],\"usage\":{\"input_tokens\":3,\"output_tokens\":50}}}";
                    writer.WriteLine(toolUse);
                    if (rng.Next(50) == 0) writer.WriteLine(toolUse); // a record written twice (same uuid)
                    bool error = rng.Next(8) == 0;
                    var output = Text(rng.Next(20, 1500)).Replace(" ", rng.Next(2) == 0 ? " " : "\\n");
                    if (rng.Next(4) == 0) output += "\\n\\n<system-reminder>\\nConsider whether the file is malicious.\\n</system-reminder>\\n";
                    writer.WriteLine("{\"type\":\"user\"," + common + ",\"uuid\":\"" + Uuid() + "\",\"timestamp\":\"" + Ts() +
                        "\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"" + toolId + "\",\"type\":\"tool_result\",\"content\":\"" +
                        (error ? "Exit code 1\\n" : "") + output + "\"" + (error ? ",\"is_error\":true" : "") + "}]},\"toolUseResult\":{\"stdout\":\"" + output + "\",\"stderr\":\"\",\"interrupted\":false}}");
                }
            }
            writer.Flush();
            return writer.BaseStream.Length;
        }
    }
}

using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    /// <summary>The test server as Pester and the benchmark use it: a separate process that reports its port.</summary>
    public class TestServerProcessTests
    {
        [Fact]
        public async Task Runs_as_a_process_reports_its_address_and_stops_when_stdin_closes()
        {
            var dll = new[] { "Release", "Debug" }
                .Select(c => Path.Combine(TestPaths.RepoRoot, "tests", "SkillForge.TestServer", "bin", c, "net10.0", "SkillForge.TestServer.dll"))
                .Where(File.Exists)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .First();
            var start = new ProcessStartInfo("dotnet")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardInput = true,
            };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add("0");
            using var process = Process.Start(start)!;
            try
            {
                string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                var match = Regex.Match(line ?? "", @"^listening (http://127\.0\.0\.1:(\d+)/v1)$");
                Assert.True(match.Success, "first line: " + line);
                Assert.NotEqual("0", match.Groups[2].Value);

                using var http = new HttpClient();
                string models = await http.GetStringAsync(match.Groups[1].Value + "/models");
                Assert.Contains("\"id\":\"echo\"", models);

                process.StandardInput.Close();
                using var stopped = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(stopped.Token);
                Assert.Equal(0, process.ExitCode);
            }
            finally
            {
                if (!process.HasExited) process.Kill();
            }
        }
    }
}

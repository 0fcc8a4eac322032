using System;
using System.Globalization;
using System.Threading;

namespace SkillForge.TestServer
{
    /// <summary>
    /// dotnet SkillForge.TestServer.dll [--port N] [--until-killed]
    /// Prints "listening http://127.0.0.1:PORT/v1" and serves until standard input closes (or, with
    /// --until-killed, until the process is stopped).
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            int port = 0;
            bool untilKilled = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int p) && p >= 0 && p <= 65535:
                        port = p;
                        i++;
                        break;
                    case "--until-killed":
                        untilKilled = true;
                        break;
                    default:
                        Console.Error.WriteLine("usage: SkillForge.TestServer [--port N] [--until-killed]");
                        return 2;
                }
            }

            using var server = OpenAITestServer.Start(port);
            Console.Out.WriteLine("listening " + server.BaseUrl.AbsoluteUri.TrimEnd('/'));
            Console.Out.Flush();

            if (untilKilled)
            {
                using var stop = new ManualResetEventSlim();
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
                AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Set();
                stop.Wait();
            }
            else
            {
                // Serve until whoever started us closes our standard input (or kills us).
                while (Console.In.Read() >= 0) { }
            }
            return 0;
        }
    }
}

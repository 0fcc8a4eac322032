using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;

namespace SkillForge.TestServer
{
    /// <summary>
    /// dotnet SkillForge.TestServer.dll [--port N] [--until-killed]
    /// Prints "listening http://127.0.0.1:PORT/v1" and serves until standard input closes (or, with
    /// --until-killed, until the process is stopped); SIGTERM, SIGINT and SIGQUIT end it in either mode.
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

            // Stops on SIGTERM, SIGINT or SIGQUIT in both modes (the web host's own console lifetime would swallow
            // SIGTERM and leave this thread waiting), and without --until-killed also when standard input closes.
            using var stop = new ManualResetEventSlim();
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Set();
            }
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);
            if (!untilKilled)
            {
                var reader = new Thread(() =>
                {
                    while (Console.In.Read() >= 0) { }
                    stop.Set();
                }) { IsBackground = true, Name = "stdin watcher" };
                reader.Start();
            }
            stop.Wait();
            return 0;
        }
    }
}

using System;
using System.Linq;

namespace SkillForge.Benchmarks
{
    /// <summary>One benchmark suite. Suites print their figures as ratios measured in one run.</summary>
    public interface IBenchmarkSuite
    {
        /// <summary>Name used on the command line, e.g. "cluster".</summary>
        string Name { get; }
        string Description { get; }
        int Run(string[] args);
    }

    public static class Program
    {
        public static int Main(string[] args)
        {
            var suites = typeof(Program).Assembly.GetTypes()
                .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)
                .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToList();

            var suite = args.Length > 0 ? suites.FirstOrDefault(s => s.Name.Equals(args[0], StringComparison.OrdinalIgnoreCase)) : null;
            if (suite == null)
            {
                Console.WriteLine("usage: dotnet run -c Release --project bench/SkillForge.Benchmarks -- <suite> [options]");
                foreach (var s in suites) Console.WriteLine($"  {s.Name,-12} {s.Description}");
                return args.Length == 0 ? 0 : 2;
            }
            return suite.Run(args.Skip(1).ToArray());
        }
    }
}

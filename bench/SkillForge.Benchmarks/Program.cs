using System;

namespace SkillForge.Benchmarks
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            Console.WriteLine("usage: dotnet run -c Release --project bench/SkillForge.Benchmarks -- <suite>");
            return 0;
        }
    }
}

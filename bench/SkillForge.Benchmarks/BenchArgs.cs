using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SkillForge.Benchmarks
{
    /// <summary>"--name value" options of a suite.</summary>
    public sealed class BenchArgs
    {
        private readonly Dictionary<string, string> _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public BenchArgs(string[] args)
        {
            for (int i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'; options look like --name value.");
                string name = args[i].Substring(2);
                if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) _values[name] = args[++i];
                else _flags.Add(name);
            }
        }

        public bool Flag(string name) => _flags.Contains(name);

        public int Int(string name, int fallback) =>
            _values.TryGetValue(name, out var v) ? int.Parse(v.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

        public double Double(string name, double fallback) =>
            _values.TryGetValue(name, out var v) ? double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

        public string? String(string name) => _values.TryGetValue(name, out var v) ? v : null;

        public int[] Ints(string name, int[] fallback) =>
            _values.TryGetValue(name, out var v)
                ? v.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x.Trim().Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray()
                : fallback;
    }

    /// <summary>Formatting helpers for figures tables.</summary>
    public static class Figures
    {
        public static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("N0", CultureInfo.InvariantCulture) + " MB";

        public static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "N2" : "N1", CultureInfo.InvariantCulture) + " s";

        public static string F(double value, string format = "N2") => value.ToString(format, CultureInfo.InvariantCulture);

        public static void Table(IReadOnlyList<string[]> rows)
        {
            int columns = rows.Max(r => r.Length);
            var widths = new int[columns];
            foreach (var r in rows) for (int c = 0; c < r.Length; c++) widths[c] = Math.Max(widths[c], r[c].Length);
            for (int i = 0; i < rows.Count; i++)
            {
                Console.WriteLine("| " + string.Join(" | ", rows[i].Select((cell, c) => cell.PadRight(widths[c]))) + " |");
                if (i == 0) Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
            }
        }
    }
}

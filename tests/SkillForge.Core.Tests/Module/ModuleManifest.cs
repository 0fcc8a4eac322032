using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace SkillForge.Tests.Module
{
    /// <summary>
    /// Reads the keys of SkillForge.psd1 that PowerShell checks on import, without PowerShell: string values
    /// ('x') and string lists (@('a', 'b') or one item a line). Enough for our own manifest, not a general parser.
    /// </summary>
    public sealed class ModuleManifest
    {
        private readonly Dictionary<string, List<string>> _values = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);

        public static ModuleManifest Load(string path)
        {
            var manifest = new ModuleManifest();
            string text = File.ReadAllText(path);
            // key = 'value'   |   key = @( ... )
            var entry = new Regex(@"^\s*(?<key>[A-Za-z]+)\s*=\s*(?:(?<list>@\((?<items>[^)]*)\))|'(?<value>[^']*)')", RegexOptions.Multiline);
            foreach (Match m in entry.Matches(text))
            {
                var values = new List<string>();
                if (m.Groups["list"].Success)
                {
                    foreach (Match item in Regex.Matches(m.Groups["items"].Value, @"'([^']*)'"))
                        values.Add(item.Groups[1].Value);
                }
                else
                {
                    values.Add(m.Groups["value"].Value);
                }
                if (!manifest._values.ContainsKey(m.Groups["key"].Value)) manifest._values[m.Groups["key"].Value] = values;
            }
            return manifest;
        }

        public bool Has(string key) => _values.ContainsKey(key);

        public string Value(string key) => _values.TryGetValue(key, out var v) && v.Count > 0 ? v[0] : "";

        public IReadOnlyList<string> List(string key) => _values.TryGetValue(key, out var v) ? v : (IReadOnlyList<string>)Array.Empty<string>();
    }
}

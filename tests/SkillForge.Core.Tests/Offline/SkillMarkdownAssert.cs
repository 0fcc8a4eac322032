using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.Serialization;

namespace SkillForge.Tests.Offline
{
    /// <summary>The Agent Skills rules the offline distiller must meet, checked independently of the validator.</summary>
    internal static class SkillMarkdownAssert
    {
        private static readonly Regex NameRule = new Regex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

        /// <summary>Asserts the structure and returns the frontmatter map.</summary>
        public static Dictionary<string, object> Valid(string markdown)
        {
            Assert.StartsWith("---\n", markdown);
            int close = markdown.IndexOf("\n---\n", 3, StringComparison.Ordinal);
            Assert.True(close > 0, "no closing fence on its own line");
            var yaml = markdown.Substring(4, close - 3);
            var map = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(yaml);
            Assert.NotNull(map);
            foreach (var key in map.Keys) Assert.Contains(key, new[] { "name", "description", "metadata" });

            var name = Assert.IsType<string>(map["name"]);
            Assert.InRange(name.Length, 1, 64);
            Assert.Matches(NameRule, name);

            var description = Assert.IsType<string>(map["description"]).Trim();
            Assert.InRange(TextUtil.CodePointLength(description), 1, 1024);
            Assert.DoesNotContain("<", description);
            Assert.DoesNotContain(">", description);

            var body = markdown.Substring(close + 5);
            Assert.True(body.Split('\n').Length < 500, "body over 500 lines");
            // The one skill shape: these sections, in this order.
            int at = -1;
            foreach (var section in new[] { "## When to use", "## Principle", "## Steps", "## Evidence" })
            {
                int next = body.IndexOf(section + "\n", StringComparison.Ordinal);
                Assert.True(next > at, $"section '{section}' missing or out of order");
                at = next;
            }
            foreach (var line in markdown.Substring(0, close).Split('\n')) Assert.True(line.Length <= 1024, "frontmatter line over 1024 characters");

            // And the full Agent Skills rules, as Test-SkillMarkdown checks them (warnings count too).
            var result = SkillForge.Skills.SkillMarkdownValidator.Validate(markdown, folderName: name, strict: true);
            Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Select(d => d.ToString())));
            Assert.Empty(result.Diagnostics);
            return map;
        }
    }
}

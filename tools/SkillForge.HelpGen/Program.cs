using System;
using System.IO;
using System.Linq;

namespace SkillForge.HelpGen
{
    /// <summary>SkillForge.HelpGen &lt;docs/help&gt; &lt;output MAML file&gt; &lt;SkillForge.dll&gt;</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length < 3)
            {
                Console.Error.WriteLine("usage: SkillForge.HelpGen <help-markdown-folder> <output-maml-file> <cmdlet-assembly>");
                return 2;
            }
            var docs = HelpDocument.LoadFolder(args[0]);
            var cmdlets = CmdletMetadataReader
                .Read(args[2], new[] { CmdletMetadataReader.AutomationAssemblyBeside(typeof(Program)) })
                .ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

            // Gaps are reported, not fatal: the module contract test is where missing help fails.
            foreach (var name in cmdlets.Keys.Where(n => !docs.Any(d => string.Equals(d.Name, n, StringComparison.OrdinalIgnoreCase))))
                Console.WriteLine($"SkillForge.HelpGen: no docs/help/{name}.md yet");

            string output = Path.GetFullPath(args[1]);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            MamlWriter.Write(docs, cmdlets).Save(output);
            return 0;
        }
    }
}

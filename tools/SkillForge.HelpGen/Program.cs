using System;
using System.IO;
using System.Xml.Linq;

// Placeholder until the markdown parser lands: writes an empty, valid MAML file.
namespace SkillForge.HelpGen
{
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length < 2)
            {
                Console.Error.WriteLine("usage: SkillForge.HelpGen <help-markdown-folder> <output-maml-file>");
                return 2;
            }
            XNamespace msh = "http://msh";
            var doc = new XDocument(new XElement(msh + "helpItems", new XAttribute("schema", "maml")));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
            doc.Save(args[1]);
            return 0;
        }
    }
}

using System.Text.RegularExpressions;

namespace SkillForge.HelpGen
{
    /// <summary>Markdown inline marks as Get-Help's plain text shows them: `code` and **bold** without their marks.</summary>
    public static class MarkdownText
    {
        private static readonly Regex Code = new Regex("`([^`]*)`", RegexOptions.CultureInvariant);
        private static readonly Regex Bold = new Regex(@"\*\*([^*]+)\*\*", RegexOptions.CultureInvariant);

        public static string Plain(string text) => Bold.Replace(Code.Replace(text, "$1"), "$1");
    }
}

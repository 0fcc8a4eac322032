using System.Text.RegularExpressions;

namespace SkillForge.Traces.Formats.SweAgent
{
    /// <summary>Decides from an observation whether a SWE-agent step failed.</summary>
    internal static class SweAgentOutcome
    {
        private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Multiline;

        // Matched at the start of a line, so file listings ("287:    raise AttributeError(") and source shown by
        // `open` or `edit` never count: their lines start with a line number.
        private static readonly Regex Failure = new Regex(
            "Traceback \\(most recent call last\\)" +
            "|^\\s*(\\w+\\.)*\\w*(Error|Exception)(:|\\s*$)" +
            "|^\\s*Error\\b" +
            "|command not found" +
            "|syntax error near unexpected token" +
            "|^Usage: " +
            "|No such file or directory" +
            "|Your proposed edit has introduced new syntax error" +
            "|[Ee]dit was not applied|[Cc]hanges have not been applied|[Ee]dit (was )?rejected" +
            "|^\\s*(File|Directory) .+ not found\\s*$" +
            "|^[\\w./-]+: error:",
            Options);

        public static bool IsFailure(string observation) => observation.Length > 0 && Failure.IsMatch(observation);
    }
}

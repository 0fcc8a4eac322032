using System.Text;

namespace SkillForge.Traces
{
    /// <summary>
    /// Field names of trace records, matched whatever their casing style: snake_case, camelCase and PascalCase
    /// (and kebab-case) all normalise to the same key ("action_id", "actionId", "ActionId" → "actionid").
    /// </summary>
    public static class TraceFieldNames
    {
        public const string Kind = "kind";
        public const string ActionId = "actionid";
        public const string Tool = "tool";
        public const string Data = "data";
        public const string DurationMs = "durationms";
        public const string StateBefore = "statebefore";
        public const string StateAfter = "stateafter";
        public const string Reward = "reward";
        public const string TraceId = "traceid";
        public const string Timestamp = "timestamp";
        public const string Sequence = "sequence";
        public const string Events = "events";

        /// <summary>Lower-case letters and digits only: "duration_ms", "durationMs" and "DurationMs" become "durationms".</summary>
        public static string Normalize(string name)
        {
            var sb = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (c == '_' || c == '-' || c == ' ') continue;
                sb.Append(char.ToLowerInvariant(c));
            }
            return sb.ToString();
        }
    }
}

using SkillForge.IO;

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

        private static readonly System.Collections.Generic.Dictionary<string, string> Known = BuildKnown();

        private static System.Collections.Generic.Dictionary<string, string> BuildKnown()
        {
            var known = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var snake in new[] { "kind", "action_id", "tool", "data", "duration_ms", "state_before", "state_after", "reward", "trace_id", "timestamp", "sequence", "events", "name", "description" })
            {
                var parts = snake.Split('_');
                string camel = parts[0], pascal = "";
                for (int i = 0; i < parts.Length; i++)
                {
                    string cap = char.ToUpperInvariant(parts[i][0]) + parts[i].Substring(1);
                    pascal += cap;
                    if (i > 0) camel += cap;
                }
                string key = snake.Replace("_", "");
                known[snake] = key;
                known[camel] = key;
                known[pascal] = key;
            }
            return known;
        }

        /// <summary>
        /// The name as <see cref="JsonFields.Normalize"/> gives it ('_', '-' and spaces removed, ASCII letters lower-cased):
        /// "duration_ms", "durationMs" and "DurationMs" become "durationms". The usual spellings come from a table.
        /// </summary>
        public static string Normalize(string name) => Known.TryGetValue(name, out var known) ? known : JsonFields.Normalize(name);
    }
}

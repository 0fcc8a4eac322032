using System.Collections.Generic;
using System.Globalization;

namespace SkillForge.TestServer
{
    /// <summary>What the final answer looks like once any planned failures are used up.</summary>
    public enum AnswerKind
    {
        /// <summary>A valid SKILL.md built from the prompt, or a JSON array when the prompt asks for one.</summary>
        Echo,
        /// <summary>A JSON array of one skill.</summary>
        Json,
        /// <summary>A stream with no content at all.</summary>
        Empty,
        /// <summary>Text that is not a SKILL.md (no frontmatter).</summary>
        InvalidSkill,
        /// <summary>Invalid SKILL.md first; a valid one once the conversation holds a previous answer (a repair round).</summary>
        Repair,
        /// <summary>Never answers: the request hangs until the client gives up.</summary>
        Hang,
        /// <summary>Sends the headers and the first chunk, then hangs.</summary>
        HangMidStream,
        /// <summary>A valid SKILL.md whose body runs on for HugeMegabytes megabytes (a server that ignores max_tokens).</summary>
        Huge,
        /// <summary>A stream whose second event is not JSON.</summary>
        BadJson,
    }

    /// <summary>
    /// The behaviour a model name asks for. Tokens separated by '+', each <c>name[:arg[:arg]]</c>:
    /// <list type="bullet">
    /// <item><c>slow:MS</c> wait MS milliseconds before answering.</item>
    /// <item><c>ratelimit:N[:SECONDS]</c> HTTP 429 with Retry-After in seconds (default 1), N times, then answer.</item>
    /// <item><c>ratelimitms:N:MS</c> HTTP 429 with retry-after-ms, N times.</item>
    /// <item><c>ratelimitdate:N:SECONDS</c> HTTP 429 with Retry-After as an HTTP date SECONDS ahead, N times.</item>
    /// <item><c>error500:N</c> HTTP 500 N times. <c>cut:N</c> a stream cut in the middle N times (no N: always).</item>
    /// <item><c>status:CODE</c> always that status (401 echoes the Authorization header in its message,
    /// as a careless server would). <c>quota</c> always 429 with code insufficient_quota.</item>
    /// <item>Answers: <c>echo</c> (default; also any unknown model name), <c>json</c>, <c>empty</c>,
    /// <c>invalidskill</c>, <c>repair</c>, <c>hang</c>, <c>hangstream</c>, <c>huge:MB</c> (an answer of MB megabytes,
    /// default 20, whatever max_tokens says), <c>badjson</c> (a stream event that is not JSON).</item>
    /// <item><c>unique</c> ends every SKILL.md answer with a line of its own, as a real model never answers twice alike.</item>
    /// </list>
    /// Failure counters are kept per model name and first user message, so parallel tests do not interfere.
    /// </summary>
    public sealed class Behaviour
    {
        public int DelayMs { get; private set; }
        public int RateLimitTimes { get; private set; }
        public string RateLimitHeader { get; private set; } = "retry-after";
        public int RateLimitValue { get; private set; } = 1;
        public int ServerErrorTimes { get; private set; }
        public int CutTimes { get; private set; }
        public int? AlwaysStatus { get; private set; }
        public bool Quota { get; private set; }
        public AnswerKind Answer { get; private set; } = AnswerKind.Echo;
        public int HugeMegabytes { get; private set; } = 20;
        /// <summary>Every answer ends with a line of its own (as a real model never answers twice alike).</summary>
        public bool Unique { get; private set; }

        public static Behaviour Parse(string? model)
        {
            var b = new Behaviour();
            if (string.IsNullOrWhiteSpace(model)) return b;
            foreach (var raw in model!.Split('+'))
            {
                var parts = raw.Trim().Split(':');
                string name = parts[0].ToLowerInvariant();
                int Arg(int i, int fallback) =>
                    parts.Length > i && int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;
                switch (name)
                {
                    case "slow": b.DelayMs = Arg(1, 200); break;
                    case "ratelimit": b.RateLimitTimes = Arg(1, 1); b.RateLimitHeader = "retry-after"; b.RateLimitValue = Arg(2, 1); break;
                    case "ratelimitms": b.RateLimitTimes = Arg(1, 1); b.RateLimitHeader = "retry-after-ms"; b.RateLimitValue = Arg(2, 300); break;
                    case "ratelimitdate": b.RateLimitTimes = Arg(1, 1); b.RateLimitHeader = "retry-after-date"; b.RateLimitValue = Arg(2, 2); break;
                    case "error500": b.ServerErrorTimes = Arg(1, 1); break;
                    case "cut": b.CutTimes = Arg(1, int.MaxValue); break;
                    case "status": b.AlwaysStatus = Arg(1, 500); break;
                    case "quota": b.Quota = true; break;
                    case "json": b.Answer = AnswerKind.Json; break;
                    case "empty": b.Answer = AnswerKind.Empty; break;
                    case "invalidskill": b.Answer = AnswerKind.InvalidSkill; break;
                    case "repair": b.Answer = AnswerKind.Repair; break;
                    case "hang": b.Answer = AnswerKind.Hang; break;
                    case "hangstream": b.Answer = AnswerKind.HangMidStream; break;
                    case "huge": b.Answer = AnswerKind.Huge; b.HugeMegabytes = Arg(1, 20); break;
                    case "badjson": b.Answer = AnswerKind.BadJson; break;
                    case "unique": b.Unique = true; break;
                    default: b.Answer = name == "echo" ? AnswerKind.Echo : b.Answer; break;
                }
            }
            return b;
        }

        /// <summary>The names GET /v1/models lists.</summary>
        public static IReadOnlyList<string> KnownModels { get; } = new[]
        {
            "echo", "json", "empty", "invalidskill", "repair", "hang", "hangstream", "slow:200", "ratelimit:2",
            "ratelimitms:2:300", "ratelimitdate:1:2", "error500:1", "cut", "cut:1", "status:400", "status:401",
            "status:403", "status:404", "quota", "huge:20", "badjson",
        };
    }
}

using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace SkillForge.Redaction
{
    /// <summary>One kind of secret or personal data, and how to find it.</summary>
    public abstract class Detector
    {
        protected Detector(string kind, RedactionCategory category, string example)
        {
            Kind = kind;
            Category = category;
            Example = example;
        }

        /// <summary>The name in the marker: [redacted:&lt;kind&gt;].</summary>
        public string Kind { get; }
        public RedactionCategory Category { get; }
        /// <summary>A (fake) text this detector finds, as docs/redaction.md shows it.</summary>
        public string Example { get; }

        /// <summary>What a found value becomes.</summary>
        public virtual string Replacement => Redactor.Marker(Kind);

        /// <summary>Adds the span of every value of this kind in text.</summary>
        public abstract void Find(string text, List<RedactionFinding> findings);

        protected void Add(List<RedactionFinding> findings, int start, int length) =>
            findings.Add(new RedactionFinding(Kind, Category, start, length, Replacement));
    }

    /// <summary>
    /// Every detector the redaction pass runs, in priority order: where two findings overlap, the earlier
    /// detector wins (a JWT after "Bearer" is a jwt, a token in an x-access-token URL a github-token).
    /// docs/redaction.md describes each with its example; this list is the one home of the rules.
    /// </summary>
    public static class RedactionRules
    {
        // Characters that continue a token: a match must not start or end inside a longer token. Prefixes with
        // "-" or "_" (sk-, ghp_) never occur in standard base64; AIza and AKIA can, so those also refuse + and /.
        private const string Before = @"(?<![A-Za-z0-9_\-])";
        private const string After = @"(?![A-Za-z0-9_\-])";
        private const string BeforeInBase64 = @"(?<![A-Za-z0-9+/_\-])";
        private const string AfterInBase64 = @"(?![A-Za-z0-9+/_\-])";
        // JSON written by .NET escapes & and + (\u0026, \u002B): a URL or key quoted that way is still one value.
        private const string QueryStart = @"(?:[?&;]|\\u0026)";
        private const string EscapedPlus = @"\\u002[Bb]";
        private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

        public static IReadOnlyList<Detector> All { get; } = new Detector[]
        {
            new PrivateKeyDetector(),
            new RegexDetector("anthropic-key", RedactionCategory.Secret,
                "ANTHROPIC_API_KEY=sk-ant-api03-Xk2…",
                Before + @"sk-ant-[A-Za-z0-9_\-]{20,}", accept: HasDigitAndLetter),
            new RegexDetector("openai-key", RedactionCategory.Secret,
                "export OPENAI_API_KEY=sk-proj-4fX9…",
                Before + @"sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}", accept: HasDigitAndLetter),
            new RegexDetector("google-api-key", RedactionCategory.Secret,
                "key=AIzaSyD3…(39 characters)",
                BeforeInBase64 + @"AIza[0-9A-Za-z_\-]{35}" + AfterInBase64),
            new RegexDetector("github-token", RedactionCategory.Secret,
                "git remote add origin https://ghp_Ab12…@github.com/o/r.git, github_pat_11AB…",
                Before + @"(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})" + After),
            new RegexDetector("github-token", RedactionCategory.Secret,
                "https://x-access-token:ghs_…@github.com/o/r.git (any value in that place)",
                @"(?i:x-access-token):(?<s>[^\s@/:""'<>]{8,})@", accept: NotPlaceholder),
            new RegexDetector("gitlab-token", RedactionCategory.Secret,
                "PRIVATE-TOKEN: glpat-xY12…",
                Before + @"(?:glpat|gloas|gldt|glrt|glptt|glft|glsoat|glcbt)-[A-Za-z0-9_\-]{20,}" + After),
            new RegexDetector("slack-token", RedactionCategory.Secret,
                "SLACK_BOT_TOKEN=xoxb-1234-5678-AbCd…",
                Before + @"(?:xox[abposre]|xapp)-[A-Za-z0-9\-]{10,}" + After, accept: HasDigit),
            new RegexDetector("aws-access-key-id", RedactionCategory.Secret,
                "aws_access_key_id = AKIA2QX7…(20 characters)",
                BeforeInBase64 + @"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + AfterInBase64, accept: NotAwsExample),
            new RegexDetector("aws-secret-key", RedactionCategory.Secret,
                "aws_secret_access_key = wJa1…(40 characters)",
                @"(?i:aws_?secret_?(?:access_?)?key|secret_?access_?key)[""']?\s*[:=]\s*[""']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
                accept: NotAwsExample),
            new RegexDetector("azure-connection-string", RedactionCategory.Secret,
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Zm9v…==",
                @"(?i:AccountKey|SharedAccessKey|SharedSecretValue|AccessKey)\s*=\s*(?<s>(?:[A-Za-z0-9+/]|" + EscapedPlus + "){20,}={0,2})"),
            new RegexDetector("azure-sas-token", RedactionCategory.Secret,
                "https://acme.blob.core.windows.net/c/f?sv=2022-11-02&sp=r&sig=AbC%2F…%3D",
                QueryStart + @"(?i:sig)=(?<s>(?:[A-Za-z0-9%+/]|" + EscapedPlus + "){16,}(?:%3D|=){0,2})", accept: InSasQuery),
            new RegexDetector("jwt", RedactionCategory.Secret,
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.Sfl…",
                Before + @"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*" + After),
            new RegexDetector("bearer-token", RedactionCategory.Secret,
                "-H 'Authorization: Bearer 9f8e…'",
                @"(?i:authorization)[""']?\s*[:=]\s*[""']?(?i:bearer)\s+(?<s>[A-Za-z0-9._~+/\-]{8,}=*)", accept: HasDigitAndLetter),
            new RegexDetector("password", RedactionCategory.Secret,
                "postgres://app:s3cret@db.internal:5432/app",
                // Anchored on "://" (a literal the engine can scan for), not on the scheme before it.
                @"://[^\s:/@?#""'<>\[\]]+:(?<s>[^\s/@?#""'<>]+)@", accept: NotPlaceholder),
            new PasswordPairDetector(),
            new SecretAssignmentDetector(),
            new EmailDetector(),
            new PhoneDetector(),
            new HomeFolderDetector(),
        };

        /// <summary>The kinds, without repeats, in priority order.</summary>
        public static IReadOnlyList<string> Kinds { get; } = DistinctKinds();

        private static string[] DistinctKinds()
        {
            var seen = new List<string>();
            foreach (var d in All) if (!seen.Contains(d.Kind)) seen.Add(d.Kind);
            return seen.ToArray();
        }

        // ---- shared checks ----

        internal static bool HasDigit(string value)
        {
            foreach (char c in value) if (c >= '0' && c <= '9') return true;
            return false;
        }

        internal static bool HasDigitAndLetter(string value)
        {
            bool digit = false, letter = false;
            foreach (char c in value)
            {
                if (c >= '0' && c <= '9') digit = true;
                else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letter = true;
                if (digit && letter) return true;
            }
            return false;
        }

        private static bool NotAwsExample(string value) => value.IndexOf("EXAMPLE", StringComparison.Ordinal) < 0;

        private static readonly HashSet<string> PlaceholderWords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "password", "passwd", "pass", "pwd", "secret", "token", "changeme", "change-me", "example", "null", "none", "nil",
            "true", "false", "undefined", "redacted", "hidden", "masked", "placeholder", "value", "mypassword", "your-password",
            "yourpassword", "user", "username", "pw",
        };

        /// <summary>
        /// Whether a value is a stand-in rather than a secret: a variable ($X, ${X}, %X%, {{x}}, &lt;x&gt;),
        /// a word such as "password" or "changeme", a run of one character (xxxx, ****), a redaction marker,
        /// or text that starts with YOUR/MY (YOUR_TOKEN_HERE).
        /// </summary>
        internal static bool IsPlaceholder(string value)
        {
            if (value.Length == 0) return true;
            char first = value[0];
            if (first == '$' || first == '%' || first == '{' || first == '<' || first == '[' || first == '*' || first == '(' || first == '`') return true;
            if (PlaceholderWords.Contains(value.Trim('"', '\''))) return true;
            bool same = true;
            for (int i = 1; i < value.Length && same; i++) same = char.ToLowerInvariant(value[i]) == char.ToLowerInvariant(first);
            if (same) return true;
            if (value.StartsWith("your", StringComparison.OrdinalIgnoreCase) || value.StartsWith("my_", StringComparison.OrdinalIgnoreCase)) return true;
            if (value.StartsWith("...", StringComparison.Ordinal) || value.EndsWith("...", StringComparison.Ordinal) || value.IndexOf('…') >= 0) return true;
            return false;
        }

        private static bool NotPlaceholder(string value) => !IsPlaceholder(value);

        /// <summary>A sig= parameter counts as a SAS signature only in a query that also has sv= or se= (Azure's version and expiry).</summary>
        private static bool InSasQuery(string text, Match match)
        {
            int from = Math.Max(0, match.Index - 400);
            int query = text.LastIndexOf('?', match.Index, match.Index - from + 1);
            if (query < 0) query = from;
            string head = text.Substring(query, Math.Min(text.Length - query, match.Index - query + 400));
            return Regex.IsMatch(head, QueryStart + @"(?:sv|se|sp|sr|spr)=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
    }
}

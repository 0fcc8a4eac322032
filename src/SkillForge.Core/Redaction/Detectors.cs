using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace SkillForge.Redaction
{
    /// <summary>A regular expression; the value is the group named s when the pattern has one, else the whole match.</summary>
    internal sealed class RegexDetector : Detector
    {
        internal const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.Compiled;

        private readonly Regex _pattern;
        private readonly Func<string, bool>? _acceptValue;
        private readonly Func<string, Match, bool>? _acceptMatch;

        public RegexDetector(string kind, RedactionCategory category, string example, string pattern, Func<string, bool>? accept = null)
            : base(kind, category, example)
        {
            _pattern = new Regex(pattern, Options);
            _acceptValue = accept;
        }

        public RegexDetector(string kind, RedactionCategory category, string example, string pattern, Func<string, Match, bool> accept)
            : base(kind, category, example)
        {
            _pattern = new Regex(pattern, Options);
            _acceptMatch = accept;
        }

        public override void Find(string text, List<RedactionFinding> findings)
        {
            for (var m = _pattern.Match(text); m.Success; m = m.NextMatch())
            {
                var named = m.Groups["s"];
                Group span = named.Success ? named : m;
                string value = span.Value;
                if (Redactor.IsMarker(value)) continue;
                if (_acceptValue != null && !_acceptValue(value)) continue;
                if (_acceptMatch != null && !_acceptMatch(text, m)) continue;
                Add(findings, span.Index, span.Length);
            }
        }
    }

    /// <summary>
    /// "-----BEGIN … PRIVATE KEY-----" to its END line. A block without an END line (cut) runs to the end of its
    /// body: the base64 lines, headers and escaped line breaks that follow it, which is the end of the text when
    /// the text was cut inside the key.
    /// </summary>
    internal sealed class PrivateKeyDetector : Detector
    {
        private static readonly Regex Begin = new Regex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----", RegexDetector.Options);
        private static readonly Regex End = new Regex(@"\G-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----", RegexDetector.Options);

        public PrivateKeyDetector()
            : base("private-key", RedactionCategory.Secret, "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXk…\\n-----END OPENSSH PRIVATE KEY-----")
        {
        }

        public override void Find(string text, List<RedactionFinding> findings)
        {
            var m = Begin.Match(text);
            while (m.Success)
            {
                int i = m.Index + m.Length;
                while (i < text.Length && IsBody(text, i)) i++;
                var end = End.Match(text, i);
                if (end.Success) i = end.Index + end.Length;
                else while (i > m.Index + m.Length && char.IsWhiteSpace(text[i - 1])) i--; // a cut block keeps what follows it
                Add(findings, m.Index, i - m.Index);
                if (i >= text.Length) break;
                m = Begin.Match(text, i);
            }
        }

        /// <summary>Base64, blanks, "\n" escapes (keys quoted in JSON) and header lines (Proc-Type: 4,ENCRYPTED); not the END line.</summary>
        private static bool IsBody(string text, int i)
        {
            char c = text[i];
            if (c == '-') return !(text.Length - i >= 8 && string.CompareOrdinal(text, i, "-----END", 0, 8) == 0);
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=' ||
                   c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\\' || c == ':' || c == ',';
        }
    }

    /// <summary>
    /// password=, pwd=, passwd=, passphrase= and NAME_PASSWORD= / NAME_PASS= pairs (unquoted up to ; , &amp; or a blank,
    /// or quoted), and "password": "…" in JSON or YAML. Code that passes a variable on (password=password,
    /// password=args.password, password=getpass()) and stand-ins ($PGPASSWORD, &lt;password&gt;, changeme) are left alone.
    /// </summary>
    internal sealed class PasswordPairDetector : Detector
    {
        private static readonly Regex Pair = new Regex(
            @"(?<kw>(?i:passw(?:or)?d|passphrase|pwd|pass))\\?[""']?[ \t]*(?:=[ \t]*(?:(?<q>\\?[""'])(?<s>[^""'\\\r\n]{1,200})\k<q>|(?<u>[^\s;,'""&<>()\[\]{}\\|]+))|:[ \t]*(?<q>\\?[""'])(?<s>[^""'\\\r\n]{1,200})\k<q>)",
            RegexDetector.Options);

        public PasswordPairDetector()
            : base("password", RedactionCategory.Secret, "Server=db;User Id=app;Password=Tr0ub4dor&3;  or  PGPASSWORD=hunter22 psql")
        {
        }

        public override void Find(string text, List<RedactionFinding> findings)
        {
            for (var m = Pair.Match(text); m.Success; m = m.NextMatch())
            {
                var kw = m.Groups["kw"];
                int nameStart = kw.Index;
                while (nameStart > 0 && IsNameChar(text[nameStart - 1])) nameStart--;
                string prefix = text.Substring(nameStart, kw.Index - nameStart);
                string keyword = kw.Value.ToLowerInvariant();
                // "pass"/"pwd" only as a whole name or after a separator (DB_PASS=), never inside a word (bypass=, compass=).
                if ((keyword == "pass" || keyword == "pwd") && prefix.Length > 0 && prefix[prefix.Length - 1] != '_' && prefix[prefix.Length - 1] != '-') continue;
                // A word that merely contains the keyword (passwords=, PasswordField) is no pair.
                int after = kw.Index + kw.Length;
                if (after < text.Length && IsNameChar(text[after]) && text[after] != '\\') continue;

                var unquoted = m.Groups["u"];
                var value = unquoted.Success ? unquoted : m.Groups["s"];
                string v = value.Value;
                if (Redactor.IsMarker(v) || RedactionRules.IsPlaceholder(v)) continue;
                string name = (prefix + kw.Value).TrimStart('-');
                if (string.Equals(v, name, StringComparison.OrdinalIgnoreCase) || string.Equals(v, kw.Value, StringComparison.OrdinalIgnoreCase)) continue;
                if (unquoted.Success && LooksLikeCode(text, unquoted)) continue;
                Add(findings, value.Index, value.Length);
            }
        }

        private static bool IsNameChar(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';

        /// <summary>An unquoted value that is a call, an attribute (args.password) or a bare name handed on as an argument.</summary>
        private static bool LooksLikeCode(string text, Group value)
        {
            int next = value.Index + value.Length;
            char following = next < text.Length ? text[next] : '\n';
            if (following == '(') return true;
            string v = value.Value;
            bool identifier = v.Length > 0 && (char.IsLetter(v[0]) || v[0] == '_');
            bool dotted = false;
            foreach (char c in v)
            {
                if (c == '.') dotted = true;
                else if (!(char.IsLetterOrDigit(c) || c == '_')) identifier = false;
            }
            if (identifier && dotted) return true;
            return identifier && !RedactionRules.HasDigit(v) && (following == ',' || following == ')');
        }
    }

    /// <summary>
    /// A high-entropy value assigned to a name that says it is secret: *_KEY, *_TOKEN, *_SECRET, *_PASSWORD,
    /// apiKey, accessToken, "client_secret": … (with = or :, quoted or not). The value must be 16+ characters of
    /// letters and digits that look random (no words, paths, versions, UUIDs or hashes named as such).
    /// </summary>
    internal sealed class SecretAssignmentDetector : Detector
    {
        private static readonly Regex Assignment = new Regex(
            @"(?<kw>(?i:key|token|secret|passw(?:or)?d|credentials?))\\?[""']?[ \t]*[:=][ \t]*\\?[""']?(?<s>[A-Za-z0-9+/=_\-.~]{16,512})",
            RegexDetector.Options);

        private static readonly Regex Uuid = new Regex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexDetector.Options);
        private static readonly Regex Version = new Regex(@"^v?\d+(?:\.\d+)+(?:[-+][A-Za-z0-9.\-]+)?$", RegexDetector.Options);

        private static readonly string[] NotSecretNames =
        {
            "public", "sort", "cache", "primary", "foreign", "partition", "idempotency", "dedup", "s3", "object", "hash", "sha", "digest",
            "fingerprint", "checksum", "commit", "etag", "next", "page", "continuation", "cursor", "keyboard", "hotkey", "max", "num", "count",
            "input", "output", "prompt", "completion", "total", "path", "file", "name", "type", "id_token_hint", "csrf",
        };

        public SecretAssignmentDetector()
            : base("secret", RedactionCategory.Secret, "STRIPE_SECRET=rk9Qz2LmX8vB4nT7wY1c  or  \"apiKey\": \"a8F3kLq9Zx2Vb7Nm4Rt6\"")
        {
        }

        public override void Find(string text, List<RedactionFinding> findings)
        {
            for (var m = Assignment.Match(text); m.Success; m = m.NextMatch())
            {
                var kw = m.Groups["kw"];
                var value = m.Groups["s"];
                if (!NamesASecret(text, kw)) continue;
                string v = value.Value;
                int length = v.Length;
                // A value quoted in JSON stops before its escaped closing quote.
                if (!LooksRandom(v)) continue;
                Add(findings, value.Index, length);
            }
        }

        /// <summary>The keyword is the whole name, or ends one after a separator or a camel-case step (API_KEY, apiKey, x-api-key).</summary>
        private static bool NamesASecret(string text, Group kw)
        {
            int start = kw.Index;
            while (start > 0 && IsNameChar(text[start - 1])) start--;
            int after = kw.Index + kw.Length;
            if (after < text.Length && char.IsLetterOrDigit(text[after])) return false; // keyid, tokens, tokenizer
            string name = text.Substring(start, after - start);
            string lower = name.ToLowerInvariant();
            if (lower == "key") return false; // "key": … names map keys, key presses and cache keys far more often than secrets
            foreach (var word in NotSecretNames) if (lower.IndexOf(word, StringComparison.Ordinal) >= 0) return false;
            if (kw.Index == start) return true;
            char before = text[kw.Index - 1];
            if (before == '_' || before == '-' || before == '.') return true;
            // apiKey, accessToken: a lower-case letter, then the keyword capitalised. APIKEY: all capitals.
            if (char.IsUpper(kw.Value[0]) && (char.IsLower(before) || char.IsDigit(before))) return true;
            return name.ToUpperInvariant() == name && char.IsUpper(kw.Value[0]);
        }

        private static bool IsNameChar(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';

        /// <summary>16+ characters with letters and digits, no path, version or UUID shape, and a spread of characters.</summary>
        internal static bool LooksRandom(string v)
        {
            if (v.Length < 16 || RedactionRules.IsPlaceholder(v) || !RedactionRules.HasDigitAndLetter(v)) return false;
            if (v[0] == '/' || v[0] == '.' || v[0] == '~' || v.IndexOf("//", StringComparison.Ordinal) >= 0) return false;
            if (Uuid.IsMatch(v) || Version.IsMatch(v)) return false;
            int dots = 0, slashes = 0, upper = 0, lower = 0, digits = 0;
            foreach (char c in v)
            {
                if (c == '.') dots++;
                else if (c == '/') slashes++;
                else if (c >= 'A' && c <= 'Z') upper++;
                else if (c >= 'a' && c <= 'z') lower++;
                else if (c >= '0' && c <= '9') digits++;
            }
            if (dots >= 2 || (slashes > 0 && dots > 0)) return false; // a dotted name or a file path
            if (upper + digits == v.Length - CountOf(v, '_') && upper > 0 && digits * 3 < v.Length) return false; // SOME_CONSTANT_NAME2
            return Entropy(v) >= 3.3;
        }

        private static int CountOf(string v, char c)
        {
            int n = 0;
            foreach (char x in v) if (x == c) n++;
            return n;
        }

        /// <summary>Shannon entropy in bits per character.</summary>
        internal static double Entropy(string v)
        {
            var counts = new Dictionary<char, int>();
            foreach (char c in v) counts[c] = counts.TryGetValue(c, out var n) ? n + 1 : 1;
            double h = 0;
            foreach (var n in counts.Values)
            {
                double p = (double)n / v.Length;
                h -= p * Math.Log(p, 2);
            }
            return h;
        }
    }

    /// <summary>
    /// name@domain.tld. Not: SSH remotes (git@github.com:…), no-reply senders (noreply@…), documentation domains
    /// (example.com, domain.org, *.test, *.invalid), npm and file look-alikes (icon@2x.png, pkg@1.2.3), or a call
    /// such as q@k.transpose(…).
    /// </summary>
    internal sealed class EmailDetector : Detector
    {
        private static readonly HashSet<string> FileExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "js", "mjs", "cjs", "ts", "tsx", "jsx", "py", "rb", "go",
            "rs", "java", "kt", "cs", "json", "yaml", "yml", "md", "txt", "css", "scss", "html", "htm", "lock", "toml", "cfg", "ini", "sh",
            "ps1", "psm1", "exe", "dll", "so", "zip", "gz", "tgz", "pdf", "csv", "xml", "wasm", "map", "vue", "svelte",
        };

        public EmailDetector() : base("email", RedactionCategory.PersonalData, "Author: Jane Doe <jane.doe@acme-corp.io>")
        {
        }

        public override void Find(string text, List<RedactionFinding> findings)
        {
            int at = text.IndexOf('@');
            while (at >= 0)
            {
                int next = Match(text, at, findings);
                at = next < text.Length ? text.IndexOf('@', next) : -1;
            }
        }

        /// <summary>Checks the address around the '@' at index at; returns where to look for the next one.</summary>
        private int Match(string text, int at, List<RedactionFinding> findings)
        {
            int start = at;
            while (start > 0 && at - start < 64 && IsLocalChar(text[start - 1])) start--;
            while (start < at && (text[start] == '.' || text[start] == '-' || text[start] == '+')) start++;
            if (start == at) return at + 1;
            int end = at + 1;
            while (end < text.Length && IsDomainChar(text[end])) end++;
            while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) end--;
            if (end <= at + 1) return at + 1;

            string domain = text.Substring(at + 1, end - at - 1);
            string[] labels = domain.Split('.');
            if (labels.Length < 2) return end;
            foreach (var label in labels) if (label.Length == 0 || label[0] == '-' || label[label.Length - 1] == '-') return end;
            string tld = labels[labels.Length - 1];
            if (tld.Length < 2 || tld.Length > 24) return end;
            foreach (char c in tld) if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return end;
            if (FileExtensions.Contains(tld)) return end;
            if (end < text.Length && (text[end] == '(' || text[end] == '@')) return end;
            if (IsReserved(labels)) return end;
            string local = text.Substring(start, at - start).ToLowerInvariant();
            // An SSH remote (git@github.com:org/repo) and a service's no-reply sender (Co-Authored-By lines) name no person.
            if (local == "git" && end < text.Length && text[end] == ':') return end;
            if (local == "noreply" || local == "no-reply" || local == "donotreply") return end;
            Add(findings, start, end - start);
            return end;
        }

        /// <summary>Documentation domains: example.* and domain.* (user@domain.org in test code), *.test, *.invalid, *.localhost.</summary>
        private static bool IsReserved(string[] labels)
        {
            string tld = labels[labels.Length - 1].ToLowerInvariant();
            string second = labels[labels.Length - 2].ToLowerInvariant();
            return second == "example" || second == "domain" || tld == "example" || tld == "test" || tld == "invalid" || tld == "localhost";
        }

        private static bool IsLocalChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';

        private static bool IsDomainChar(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    }

    /// <summary>
    /// Phone numbers written as phone numbers: international (+44 20 7946 0958, +1 (415) 555-0132, +14155550132)
    /// and North American ((415) 555-0132, 415-555-0132, 415.555.0132). Bare digit runs (timestamps, ids) are not.
    /// </summary>
    internal sealed class PhoneDetector : Detector
    {
        private static readonly Regex International = new Regex(
            @"(?<![A-Za-z0-9+/=_\-.])(?:\+|\\u002[Bb])[1-9]\d{0,2}(?:[ .\-]?\(\d{1,4}\))?(?:[ .\-]?\d{2,5}){1,5}(?![A-Za-z0-9_\-]|[.,]\d)", RegexDetector.Options);
        private static readonly Regex NorthAmerican = new Regex(
            @"(?<![A-Za-z0-9+/=_\-.])(?:\([2-9]\d{2}\)[ ]?[2-9]\d{2}[.\-]\d{4}|[2-9]\d{2}-[2-9]\d{2}-\d{4}|[2-9]\d{2}\.[2-9]\d{2}\.\d{4})(?![A-Za-z0-9_\-]|[.,]\d)",
            RegexDetector.Options);

        public PhoneDetector() : base("phone", RedactionCategory.PersonalData, "call +44 20 7946 0958 or (415) 555-0132")
        {
        }

        public override void Find(string text, List<RedactionFinding> findings)
        {
            for (var m = International.Match(text); m.Success; m = m.NextMatch())
            {
                int digits = 0;
                bool separated = false;
                string number = m.Value.StartsWith("\\u", StringComparison.Ordinal) ? "+" + m.Value.Substring(6) : m.Value; // "\u002B44 …" in JSON
                foreach (char c in number)
                {
                    if (c >= '0' && c <= '9') digits++;
                    else if (c != '+') separated = true;
                }
                // Written with separators: 8 to 15 digits (E.164). Compact: 11 to 15, so "+12345678" in a diff is not one.
                if (digits > 15 || digits < (separated ? 8 : 11)) continue;
                Add(findings, m.Index, m.Length);
            }
            for (var m = NorthAmerican.Match(text); m.Success; m = m.NextMatch()) Add(findings, m.Index, m.Length);
        }
    }

    /// <summary>
    /// Home folders: /Users/&lt;name&gt;, /home/&lt;name&gt;, /mnt/c/Users/&lt;name&gt;, C:\Users\&lt;name&gt; (also with
    /// doubled backslashes as in JSON, or forward slashes) become ~, so /home/jane/src/app reads ~/src/app.
    /// Shared folders (/Users/Shared, C:\Users\Public, Default) and stand-ins ($USER, &lt;name&gt;) are kept; so is a
    /// path inside a URL (https://host/home/page).
    /// </summary>
    internal sealed class HomeFolderDetector : Detector
    {
        private const string NameChars = @"[A-Za-z0-9._\-][^/\\\s""'`:;,)\]}<>|*?$%{&=]*";
        // Anchored (\G) where an ordinal search found "/home/" or "/Users/": far faster than letting the engine scan.
        private static readonly Regex Unix = new Regex(@"\G/(?:Users|home)/(?<n>" + NameChars + ")", RegexDetector.Options);
        private static readonly Regex Windows = new Regex(
            @"\G[A-Za-z]:(?:\\{1,2}|/)(?i:Users)(?:\\{1,2}|/)(?<n>" + NameChars + ")", RegexDetector.Options);
        private static readonly HashSet<string> SharedFolders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Shared", "Public", "Default", "Default User", "All Users", "Guest", "...", "…",
        };

        public HomeFolderDetector() : base("home-path", RedactionCategory.PersonalData, "/home/jane/src/app → ~/src/app; C:\\Users\\jane\\repo → ~\\repo")
        {
        }

        public override string Replacement => "~";

        public override void Find(string text, List<RedactionFinding> findings)
        {
            var starts = new List<int>();
            foreach (var literal in new[] { "/home/", "/Users/" })
                for (int i = text.IndexOf(literal, StringComparison.Ordinal); i >= 0; i = text.IndexOf(literal, i + 1, StringComparison.Ordinal)) starts.Add(i);
            starts.Sort();
            foreach (int at in starts)
            {
                var m = Unix.Match(text, at);
                if (!m.Success || !IsHome(m)) continue;
                int start = m.Index;
                // WSL's view of a Windows home: /mnt/c/Users/<name>.
                if (start >= 6 && string.CompareOrdinal(text, start - 6, "/mnt/", 0, 5) == 0 && char.IsLetter(text[start - 1])) start -= 6;
                // Not inside a longer path or word (https://host/home/page, ./home/x, $HOME/home/x).
                if (start > 0 && IsPathContinuation(text[start - 1])) continue;
                Add(findings, start, m.Index + m.Length - start);
            }
            for (int i = text.IndexOf("Users", StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf("Users", i + 5, StringComparison.OrdinalIgnoreCase))
            {
                // Back over the separator(s) and "C:" to where the path starts.
                int drive = i - 1;
                if (drive < 0 || (text[drive] != '\\' && text[drive] != '/')) continue;
                if (drive > 0 && text[drive] == '\\' && text[drive - 1] == '\\') drive--;
                drive -= 2;
                if (drive < 0 || text[drive + 1] != ':' || !IsAsciiLetter(text[drive])) continue;
                if (drive > 0 && char.IsLetterOrDigit(text[drive - 1])) continue;
                var m = Windows.Match(text, drive);
                if (m.Success && IsHome(m)) Add(findings, m.Index, m.Length);
            }
        }

        private static bool IsAsciiLetter(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        private static bool IsHome(Match m)
        {
            string name = m.Groups["n"].Value;
            return !SharedFolders.Contains(name) && !name.StartsWith("..", StringComparison.Ordinal);
        }

        private static bool IsPathContinuation(char c) =>
            char.IsLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '~' || c == '/' || c == '\\' || c == '$';
    }
}

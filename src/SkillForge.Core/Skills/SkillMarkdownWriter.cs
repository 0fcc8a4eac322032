using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using YamlDotNet.Serialization;

namespace SkillForge.Skills
{
    /// <summary>ConvertTo-SkillMarkdown: DistilledSkill → SKILL.md text that always passes validation.</summary>
    public static class SkillMarkdownWriter
    {
        /// <summary>Metadata keys SkillForge writes for provenance (Export-Skill and ConvertTo-SkillMarkdown).</summary>
        public const string SourceIdsKey = "skillforge-source-ids";
        public const string FingerprintKey = "skillforge-fingerprint";
        public const string ModelKey = "skillforge-model";
        public const string CreatedKey = "skillforge-created";

        private const int MaxTitleLength = 120;

        private static readonly ISerializer Serializer = new SerializerBuilder()
            .WithQuotingNecessaryStrings()
            .DisableAliases()
            .Build();

        public static string ToMarkdown(DistilledSkill skill)
        {
            if (skill == null) throw new ArgumentNullException(nameof(skill));
            var name = SkillSlug.From(Clean(skill.Name));
            var title = Title(skill.Name, name);
            var description = BuildDescription(skill.Description, skill.WhenToApply, title);

            var frontmatter = new Dictionary<string, object>
            {
                ["name"] = name,
                ["description"] = description,
            };
            var metadata = Metadata(skill);
            if (metadata.Count > 0) frontmatter["metadata"] = metadata;

            var sb = new StringBuilder();
            sb.Append("---\n");
            sb.Append(SerializeYaml(frontmatter));
            sb.Append("---\n\n");
            sb.Append("# ").Append(title).Append("\n\n");

            var when = Clean(skill.WhenToApply).Trim();
            var principle = Clean(skill.Description).Trim();
            sb.Append("## When to apply\n\n").Append(when.Length > 0 ? when : principle.Length > 0 ? principle : "When the situation described above comes up.").Append("\n\n");
            bool failure = string.Equals(Clean(skill.Source).Trim(), "failure", StringComparison.OrdinalIgnoreCase);
            sb.Append(failure ? "## Lesson\n\n" : "## Principle\n\n")
              .Append(principle.Length > 0 ? principle : title).Append("\n");

            var code = CleanKeepLines(skill.Code).Trim('\n');
            if (code.Trim().Length > 0)
            {
                var fence = new string('`', Math.Max(3, LongestRun(code, '`') + 1));
                sb.Append("\n## Procedure\n\n").Append(fence).Append('\n').Append(code).Append('\n').Append(fence).Append('\n');
            }
            return sb.ToString();
        }

        /// <summary>YAML for a map of text (and maps of text), quoted wherever a plain value would not read back as the same string.</summary>
        internal static string SerializeYaml(object value) => Serializer.Serialize(value).Replace("\r\n", "\n");

        /// <summary>Conditions that bring their own connective: "Use it before …" reads, "Use when before …" does not.</summary>
        private static readonly string[] ConnectiveLeads = { "before ", "after ", "while ", "whenever ", "if ", "during ", "once ", "until ", "as soon as " };

        /// <summary>"description. Use when when_to_apply", one line, without angle brackets, within 1024 code points.</summary>
        internal static string BuildDescription(string? description, string? whenToApply, string title)
        {
            var what = OneLine(description);
            var when = OneLine(whenToApply);
            foreach (var lead in new[] { "use when ", "use this when ", "apply when ", "when " })
            {
                if (when.StartsWith(lead, StringComparison.OrdinalIgnoreCase))
                {
                    when = when.Substring(lead.Length).TrimStart();
                    break;
                }
            }
            // "Use when Throughout the task" reads better as "Use when throughout the task"; acronyms (API) stay.
            if (when.Length > 0 && char.IsUpper(when[0]) && (when.Length == 1 || !char.IsUpper(when[1])))
                when = char.ToLowerInvariant(when[0]) + when.Substring(1);
            // "Use when before calling X" does not read: a condition that brings its own connective takes "Use it".
            string use = ConnectiveLeads.Any(c => when.StartsWith(c, StringComparison.OrdinalIgnoreCase)) ? "Use it " : "Use when ";
            string text;
            if (what.Length == 0 && when.Length == 0) text = $"Skill: {OneLine(title)}.";
            else if (when.Length == 0) text = what;
            else if (what.Length == 0) text = use + when;
            else text = (EndsSentence(what) ? what : what + ".") + " " + use + when;
            text = text.Replace('<', '‹').Replace('>', '›');
            text = CutCodePoints(text, SkillMarkdownValidator.MaxDescriptionLength);
            return text.Length == 0 ? "Skill." : text;
        }

        private static Dictionary<string, string> Metadata(DistilledSkill skill)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            void Put(string key, string? value)
            {
                var v = OneLine(value);
                if (v.Length > 0) metadata[key] = v;
            }
            Put("scope", skill.IsGlobal ? "global" : skill.Scope);
            Put("source", skill.Source);
            Put("domain", skill.Domain);
            if (skill.Trigger != null)
            {
                Put("trigger-persona", skill.Trigger.Persona);
                Put("trigger-url-pattern", skill.Trigger.UrlPattern);
                Put("trigger-task-keywords", string.Join(", ", (skill.Trigger.TaskKeywords ?? Array.Empty<string>()).Select(OneLine).Where(k => k.Length > 0)));
            }
            Put(SourceIdsKey, FormatSourceIds(skill.SourceIds));
            Put(FingerprintKey, skill.Fingerprint);
            Put(ModelKey, skill.Model);
            return metadata;
        }

        private static string Title(string? rawName, string slug)
        {
            var title = OneLine(rawName);
            bool hasLetterOrDigit = title.Any(char.IsLetterOrDigit);
            if (!hasLetterOrDigit || title == slug)
            {
                // "web-search-pattern" reads better as "Web search pattern".
                title = slug.Replace('-', ' ');
                title = char.ToUpperInvariant(title[0]) + title.Substring(1);
            }
            return CutCodePoints(title, MaxTitleLength);
        }

        /// <summary>Text without control characters (except tab and line breaks) or lone surrogates; CRLF → LF.</summary>
        internal static string CleanKeepLines(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var sb = new StringBuilder(text!.Length);
            var s = text.Replace("\r\n", "\n").Replace('\r', '\n');
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (char.IsHighSurrogate(c))
                {
                    if (i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[++i]);
                    }
                    else sb.Append('\uFFFD');
                    continue;
                }
                if (char.IsLowSurrogate(c)) { sb.Append('\uFFFD'); continue; }
                if (c == '\n' || c == '\t') { sb.Append(c); continue; }
                if (c == '\uFEFF' || c == '\u2028' || c == '\u2029' || c == '\u0085') { sb.Append(' '); continue; }
                if (char.IsControl(c)) { sb.Append(' '); continue; }
                sb.Append(c);
            }
            return sb.ToString();
        }

        private static string Clean(string? text) => CleanKeepLines(text);

        /// <summary>Cleaned text on one line, whitespace runs collapsed to one space.</summary>
        /// <summary>
        /// The value of skillforge-source-ids: the ids joined by commas, each with '%', ',' and control characters
        /// (line breaks) percent-encoded, so an id holding a comma or a newline reads back as itself.
        /// </summary>
        public static string FormatSourceIds(IEnumerable<string>? ids)
        {
            var encoded = new List<string>();
            foreach (var id in ids ?? Array.Empty<string>())
            {
                if (string.IsNullOrWhiteSpace(id)) continue;
                var sb = new StringBuilder(id.Length);
                foreach (char c in id.Trim())
                {
                    if (c == '%' || c == ',' || c < ' ' || c == '\u007f') sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(c);
                }
                encoded.Add(sb.ToString());
            }
            return string.Join(",", encoded);
        }

        /// <summary>The ids of a skillforge-source-ids value (the reverse of <see cref="FormatSourceIds"/>).</summary>
        public static string[] ParseSourceIds(string? value) =>
            (value ?? "").Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).Select(DecodeSourceId).ToArray();

        private static string DecodeSourceId(string text)
        {
            if (text.IndexOf('%') < 0) return text;
            var sb = new StringBuilder(text.Length);
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '%' && i + 2 < text.Length &&
                    int.TryParse(text.Substring(i + 1, 2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int code) &&
                    (code == '%' || code == ',' || code < ' ' || code == 0x7f))
                {
                    sb.Append((char)code);
                    i += 2;
                }
                else sb.Append(text[i]);
            }
            return sb.ToString();
        }

        internal static string OneLine(string? text)
        {
            var clean = CleanKeepLines(text);
            var sb = new StringBuilder(clean.Length);
            bool space = false;
            foreach (char c in clean)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = sb.Length > 0;
                    continue;
                }
                if (space) sb.Append(' ');
                space = false;
                sb.Append(c);
            }
            return sb.ToString();
        }

        /// <summary>Cuts text to at most max code points, at a word boundary when one is near, ending with "…".</summary>
        internal static string CutCodePoints(string text, int max)
        {
            if (TextUtil.CodePointLength(text) <= max) return text;
            // Index after max - 1 code points, leaving room for the ellipsis.
            int index = 0, count = 0;
            while (index < text.Length && count < max - 1)
            {
                index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
                count++;
            }
            int space = text.LastIndexOf(' ', Math.Max(0, index - 1));
            if (space > index * 3 / 4) index = space;
            return text.Substring(0, index).TrimEnd() + "…";
        }

        private static bool EndsSentence(string text)
        {
            char last = text[text.Length - 1];
            return last == '.' || last == '!' || last == '?' || last == '。' || last == '…';
        }

        private static int LongestRun(string text, char c)
        {
            int best = 0, run = 0;
            foreach (char x in text)
            {
                run = x == c ? run + 1 : 0;
                if (run > best) best = run;
            }
            return best;
        }

        /// <summary>
        /// A DistilledSkill from loosely named properties (a PSObject from ConvertFrom-Json, a hashtable): names are
        /// matched ignoring case, '_' and '-' (when_to_apply, whenToApply, WhenToApply). Nested values may be
        /// dictionaries (scope: {domain: …}, trigger: {persona, url_pattern, task_keywords}) or sequences.
        /// </summary>
        public static DistilledSkill FromProperties(IEnumerable<KeyValuePair<string, object?>> properties)
        {
            if (properties == null) throw new ArgumentNullException(nameof(properties));
            var map = Fold(properties);
            var skill = new DistilledSkill
            {
                Name = Text(Get(map, "name", "title", "skillname")),
                Description = Text(Get(map, "description", "principle", "lesson", "summary")),
                WhenToApply = Text(Get(map, "whentoapply", "when", "applywhen", "usewhen")),
                Source = Text(Get(map, "source", "kind")),
                Domain = Text(Get(map, "domain")),
                Code = Text(Get(map, "code", "procedure", "example")),
                Fingerprint = Text(Get(map, "fingerprint")),
                Model = Text(Get(map, "model")),
                SourceIds = List(Get(map, "sourceids", "sources")),
            };
            var scope = Get(map, "scope");
            if (scope is IEnumerable<KeyValuePair<string, object?>> scopeMap)
            {
                var domain = Text(Get(Fold(scopeMap), "domain", "name"));
                skill.Scope = domain.Length > 0 ? domain : "global";
                if (skill.Domain.Length == 0) skill.Domain = domain;
            }
            else
            {
                var s = Text(scope);
                skill.Scope = s.Length > 0 ? s : "global";
            }
            var trigger = Get(map, "trigger", "triggers");
            if (trigger is IEnumerable<KeyValuePair<string, object?>> triggerMap)
            {
                var t = Fold(triggerMap);
                skill.Trigger = new SkillTrigger
                {
                    Persona = Text(Get(t, "persona")),
                    UrlPattern = Text(Get(t, "urlpattern", "url")),
                    TaskKeywords = List(Get(t, "taskkeywords", "keywords")),
                };
            }
            return skill;
        }

        private static Dictionary<string, object?> Fold(IEnumerable<KeyValuePair<string, object?>> properties)
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in properties)
            {
                if (p.Key == null) continue;
                var key = new string(p.Key.Where(c => c != '_' && c != '-' && c != ' ').ToArray()).ToLowerInvariant();
                if (!map.ContainsKey(key)) map[key] = p.Value;
            }
            return map;
        }

        private static object? Get(Dictionary<string, object?> map, params string[] keys)
        {
            foreach (var k in keys)
                if (map.TryGetValue(k, out var v) && v != null) return v;
            return null;
        }

        private static string Text(object? value) => value switch
        {
            null => "",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            System.Collections.IEnumerable e when !(value is IEnumerable<KeyValuePair<string, object?>>) =>
                string.Join(", ", e.Cast<object?>().Select(Text).Where(x => x.Length > 0)),
            _ => value.ToString() ?? "",
        };

        private static string[] List(object? value) => value switch
        {
            null => Array.Empty<string>(),
            string s => s.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim()).Where(x => x.Length > 0).ToArray(),
            System.Collections.IEnumerable e => e.Cast<object?>().Select(Text).Select(x => x.Trim()).Where(x => x.Length > 0).ToArray(),
            _ => new[] { Text(value) },
        };
    }
}

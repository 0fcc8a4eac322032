using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.IO;
using SkillForge.Redaction;

namespace SkillForge.Skills
{
    /// <summary>Test-SkillMarkdown: the Agent Skills rules, every problem reported with a code and a line.</summary>
    public static class SkillMarkdownValidator
    {
        public const int MaxNameLength = 64;
        public const int MaxDescriptionLength = 1024;
        public const int MaxCompatibilityLength = 500;
        public const int MaxBodyLines = 500;
        public const int MaxBodyTokens = 5000;
        /// <summary>Files larger than this are not read (a SKILL.md is a few kilobytes; this catches binaries and mistakes).</summary>
        public const long MaxFileBytes = 16 * 1024 * 1024;
        public const string SkillFileName = "SKILL.md";

        /// <summary>The frontmatter keys of the Agent Skills specification.</summary>
        public static readonly IReadOnlyList<string> StandardKeys = new[] { "name", "description", "license", "compatibility", "metadata", "allowed-tools" };

        /// <summary>Keys some agent runtimes understand beyond the specification: accepted with a warning.</summary>
        public static readonly IReadOnlyList<string> RuntimeExtensionKeys = new[]
        {
            "user-invocable", "disable-model-invocation", "argument-hint", "model", "hooks", "context", "agent",
        };

        /// <summary>Leak diagnostics shown for one skill; the rest are counted in one more.</summary>
        public const int MaxLeakDiagnostics = 20;

        /// <summary>
        /// Checks SKILL.md text. folderName, when given, must equal the name (after NFKC). findLeaks: also report
        /// secrets (SF5006, an error) and personal data (SF5007, a warning) that the redaction pass finds; callers
        /// that redact the text themselves before writing it (Export-Skill) turn it off.
        /// </summary>
        public static SkillValidationResult Validate(string content, string? path = null, string? folderName = null, bool strict = false, bool findLeaks = true)
        {
            if (content == null) throw new ArgumentNullException(nameof(content));
            var doc = SkillMarkdownDocument.Parse(content);
            var diagnostics = new List<SkillDiagnostic>(doc.Diagnostics);
            string? name = null, description = null;
            CheckFrontmatter(doc, folderName, diagnostics, ref name, ref description);
            if (doc.ClosingLine >= 0) CheckBody(doc, diagnostics);
            if (findLeaks) CheckLeaks(content, diagnostics);
            return Finish(path, name, description, doc.Text, diagnostics, strict);
        }

        /// <summary>One diagnostic per secret or personal value, with its line and kind; never the value.</summary>
        private static void CheckLeaks(string content, List<SkillDiagnostic> list)
        {
            var findings = Redactor.Find(content);
            int line = 1, position = 0, shown = 0;
            foreach (var f in findings)
            {
                for (; position < f.Start; position++) if (content[position] == '\n') line++;
                if (shown++ == MaxLeakDiagnostics)
                {
                    list.Add(new SkillDiagnostic
                    {
                        Code = SkillDiagnosticCodes.SecretFound, Severity = DiagnosticSeverity.Error, Line = line,
                        Message = $"{findings.Count - MaxLeakDiagnostics} more secrets or personal values follow ({Redactor.Count(findings)} in all).",
                    });
                    break;
                }
                if (f.Category == RedactionCategory.Secret)
                    Error(list, SkillDiagnosticCodes.SecretFound, line,
                        $"The skill holds what looks like a secret ({f.Kind}). Remove it and rotate it if it was real; Export-Skill writes {Redactor.Marker(f.Kind)} in its place.");
                else if (f.Kind == "home-path")
                    Warning(list, SkillDiagnosticCodes.PersonalDataFound, line,
                        "The skill names a user's home folder (/home/<name>, /Users/<name>, C:\\Users\\<name>). Write ~ instead; Export-Skill does.");
                else
                    Warning(list, SkillDiagnosticCodes.PersonalDataFound, line,
                        $"The skill holds personal data ({f.Kind}). Remove it unless it belongs there; Export-Skill writes {Redactor.Marker(f.Kind)} in its place.");
            }
        }

        /// <summary>Checks a SKILL.md file or a skill folder (a folder without SKILL.md is an invalid result, not an exception).</summary>
        public static SkillValidationResult ValidatePath(string path, bool strict = false)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            var full = Path.GetFullPath(path);
            var trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            if (trimmed.Length > 0 && !trimmed.EndsWith(":", StringComparison.Ordinal)) full = trimmed;
            string file;
            string? folderName;
            if (Directory.Exists(full))
            {
                file = Path.Combine(full, SkillFileName);
                folderName = Path.GetFileName(full);
                if (!File.Exists(file))
                {
                    var hint = LooksLikeLibrary(full)
                        ? $" It holds skill folders: to check them all, run Get-ChildItem '{full}' -Directory | Test-SkillMarkdown."
                        : " Every skill folder needs one; add it or remove the folder from the library.";
                    return Failure(full, SkillDiagnosticCodes.MissingSkillFile, $"The folder '{full}' has no {SkillFileName}.{hint}", strict);
                }
            }
            else if (File.Exists(full))
            {
                file = full;
                // The name must match the folder only for a real skill file, not for a draft checked on its own.
                folderName = string.Equals(Path.GetFileName(full), SkillFileName, StringComparison.OrdinalIgnoreCase)
                    ? Path.GetFileName(Path.GetDirectoryName(full))
                    : null;
                if (folderName != null && folderName.Length == 0) folderName = null;
            }
            else
            {
                throw new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                    $"Cannot find '{full}'. Give a SKILL.md file or a skill folder.", path);
            }

            byte[] bytes;
            var kind = FileKind.Of(file);
            if (kind != FileKindValue.Regular && kind != FileKindValue.Unknown)
                return Failure(file, SkillDiagnosticCodes.Unreadable,
                    $"'{file}' is {FileKind.Describe(kind)}, not a regular file, so it was not read (reading it could wait or run for ever). " +
                    "A SKILL.md must be a regular file; if it is a link, check where it points.", strict);
            try
            {
                var info = new FileInfo(file);
                if (info.Length > MaxFileBytes)
                    return TooLarge(file, info.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), strict);
                // Capped by the bytes actually read: the reported length can be wrong (a file growing, a special file).
                using var stream = SourceFiles.OpenRegularFile(file);
                bytes = SourceFiles.ReadAtMost(stream, MaxFileBytes, file);
            }
            catch (SkillForgeException e) when (e.Category == FailureCategory.LimitsExceeded)
            {
                return TooLarge(file, "more than " + MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), strict);
            }
            catch (SkillForgeException e)
            {
                return Failure(file, SkillDiagnosticCodes.Unreadable, e.Message, strict);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Failure(file, SkillDiagnosticCodes.Unreadable, $"Cannot read the file: {e.Message} Check its permissions and that no other program locks it.", strict);
            }

            var text = DecodeUtf8(bytes, out int badOffset);
            if (text == null)
            {
                int line = 1;
                for (int i = 0; i < badOffset && i < bytes.Length; i++) if (bytes[i] == (byte)'\n') line++;
                var result = Failure(file, SkillDiagnosticCodes.InvalidUtf8,
                    $"The file is not valid UTF-8 (first bad byte at offset {badOffset}). Save it as UTF-8; SKILL.md files are always UTF-8.", strict);
                result.Diagnostics[0].Line = line;
                return result;
            }
            return Validate(text, file, folderName, strict);
        }

        private static bool LooksLikeLibrary(string folder)
        {
            try
            {
                return Directory.EnumerateDirectories(folder).Take(50).Any(d => File.Exists(Path.Combine(d, SkillFileName)));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>Decodes strict UTF-8 (a BOM is dropped); null with the offset of the first bad byte when the bytes are not UTF-8.</summary>
        internal static string? DecodeUtf8(byte[] bytes, out int badOffset)
        {
            badOffset = -1;
            int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes, start, bytes.Length - start);
            }
            catch (DecoderFallbackException e)
            {
                badOffset = start + Math.Max(0, e.Index);
                return null;
            }
        }

        /// <summary>Whether text is a valid skill name: 1–64 of a-z, 0-9 and single inner hyphens.</summary>
        public static bool IsValidName(string? name)
        {
            if (string.IsNullOrEmpty(name) || name!.Length > MaxNameLength) return false;
            if (name[0] == '-' || name[name.Length - 1] == '-' || name.IndexOf("--", StringComparison.Ordinal) >= 0) return false;
            foreach (char c in name) if (!IsNameChar(c)) return false;
            return true;
        }

        internal static bool IsNameChar(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';

        private static SkillValidationResult TooLarge(string file, string size, bool strict) =>
            Failure(file, SkillDiagnosticCodes.FileTooLarge,
                $"The file is {size} bytes; a SKILL.md must be under {MaxFileBytes / (1024 * 1024)} MiB. Is this the right file? Move long material into files beside SKILL.md.", strict);

        private static SkillValidationResult Failure(string path, string code, string message, bool strict)
        {
            var diagnostics = new List<SkillDiagnostic>
            {
                new SkillDiagnostic { Code = code, Severity = DiagnosticSeverity.Error, Line = 0, Message = message },
            };
            var result = Finish(path, null, null, null, diagnostics, strict);
            return result;
        }

        private static SkillValidationResult Finish(string? path, string? name, string? description, string? content, List<SkillDiagnostic> diagnostics, bool strict)
        {
            if (strict)
                foreach (var d in diagnostics) d.Severity = DiagnosticSeverity.Error;
            var ordered = diagnostics
                .Select((d, i) => (d, i))
                .OrderBy(x => x.d.Line)
                .ThenBy(x => x.i)
                .Select(x => x.d)
                .ToArray();
            return new SkillValidationResult
            {
                Path = path,
                Name = name,
                Description = description,
                Content = content,
                Diagnostics = ordered,
                IsValid = ordered.All(d => d.Severity != DiagnosticSeverity.Error),
            };
        }

        private static void Error(List<SkillDiagnostic> list, string code, int line, string message) =>
            list.Add(new SkillDiagnostic { Code = code, Severity = DiagnosticSeverity.Error, Line = line, Message = message });

        private static void Warning(List<SkillDiagnostic> list, string code, int line, string message) =>
            list.Add(new SkillDiagnostic { Code = code, Severity = DiagnosticSeverity.Warning, Line = line, Message = message });

        private static string Describe(FrontmatterNode node) => node.Kind switch
        {
            FrontmatterNodeKind.Mapping => "a map",
            FrontmatterNodeKind.Sequence => "a list",
            FrontmatterNodeKind.Alias => "an alias",
            _ => "text",
        };

        private static void CheckFrontmatter(SkillMarkdownDocument doc, string? folderName, List<SkillDiagnostic> list, ref string? name, ref string? description)
        {
            if (doc.ClosingLine < 0 || !doc.YamlParsed && doc.Root == null) return;
            int fenceLine = doc.OpeningLine + 1;
            var root = doc.Root;
            if (root == null || root.Kind != FrontmatterNodeKind.Mapping)
            {
                if (root == null || root.IsNull)
                    Error(list, SkillDiagnosticCodes.NotAMapping, fenceLine,
                        "The frontmatter is empty. Add at least 'name: <skill-name>' and 'description: <what it does and when to use it>'.");
                else
                    Error(list, SkillDiagnosticCodes.NotAMapping, root.Line,
                        $"The frontmatter must be a mapping of 'key: value' lines, not {Describe(root)}.");
                Error(list, SkillDiagnosticCodes.NameMissing, fenceLine, "The required 'name' key is missing. Add 'name: <skill-name>' (lower-case letters, digits and hyphens).");
                Error(list, SkillDiagnosticCodes.DescriptionMissing, fenceLine, "The required 'description' key is missing. Add 'description:' saying what the skill does and when to use it.");
                return;
            }

            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            FrontmatterNode? nameNode = null, descriptionNode = null;
            foreach (var entry in root.Entries)
            {
                var key = entry.Key;
                if (key.Kind != FrontmatterNodeKind.Scalar || key.IsNull)
                {
                    if (key.Kind != FrontmatterNodeKind.Alias)
                        Error(list, SkillDiagnosticCodes.ComplexKey, key.Line, $"A frontmatter key must be plain text, not {(key.IsNull ? "empty" : Describe(key))}.");
                    continue;
                }
                var k = key.Value;
                if (seen.TryGetValue(k, out int firstLine))
                {
                    Error(list, SkillDiagnosticCodes.DuplicateKey, key.Line, $"The key '{k}' appears twice (first on line {firstLine}). Keep one.");
                    continue;
                }
                seen[k] = key.Line;
                var value = entry.Value;
                switch (k)
                {
                    case "name":
                        nameNode = value;
                        break;
                    case "description":
                        descriptionNode = value;
                        break;
                    case "compatibility":
                        CheckOptionalText(list, value, k, SkillDiagnosticCodes.CompatibilityNotText, MaxCompatibilityLength, SkillDiagnosticCodes.CompatibilityTooLong);
                        break;
                    case "license":
                        CheckOptionalText(list, value, k, SkillDiagnosticCodes.LicenseNotText, 0, null);
                        break;
                    case "allowed-tools":
                        if (value.Kind == FrontmatterNodeKind.Mapping || value.Kind == FrontmatterNodeKind.Sequence)
                            Error(list, SkillDiagnosticCodes.AllowedToolsNotText, value.Line,
                                $"'allowed-tools' must be one space-separated string (for example 'allowed-tools: Read Bash(git:*)'), not {Describe(value)}.");
                        break;
                    case "metadata":
                        CheckMetadata(list, value);
                        break;
                    default:
                        if (RuntimeExtensionKeys.Contains(k))
                            Warning(list, SkillDiagnosticCodes.RuntimeExtensionKey, key.Line,
                                $"'{k}' is an agent-runtime extension, not part of the Agent Skills specification; other runtimes ignore it.");
                        else
                            Error(list, SkillDiagnosticCodes.UnknownKey, key.Line, UnknownKeyMessage(k));
                        break;
                }
            }

            name = CheckName(list, nameNode, fenceLine, folderName);
            description = CheckDescription(list, descriptionNode, fenceLine);
        }

        private static string UnknownKeyMessage(string key)
        {
            var folded = key.Trim().ToLowerInvariant().Replace('_', '-').Replace(' ', '-');
            var suggestion = StandardKeys.Concat(RuntimeExtensionKeys).FirstOrDefault(s => s == folded || s.Replace("-", "") == folded.Replace("-", ""));
            var hint = suggestion != null
                ? $" Did you mean '{suggestion}'?"
                : " Move it under 'metadata:' (a map of text values) or remove it.";
            return $"'{key}' is not a SKILL.md frontmatter key (allowed: {string.Join(", ", StandardKeys)}).{hint}";
        }

        private static string? CheckName(List<SkillDiagnostic> list, FrontmatterNode? node, int fenceLine, string? folderName)
        {
            if (node == null || node.IsNull || (node.Kind == FrontmatterNodeKind.Scalar && node.Value.Trim().Length == 0))
            {
                Error(list, SkillDiagnosticCodes.NameMissing, node?.Line ?? fenceLine,
                    "The required 'name' is missing or blank. Add 'name: <skill-name>' (lower-case letters, digits and hyphens, like 'web-search').");
                return null;
            }
            if (node.Kind != FrontmatterNodeKind.Scalar)
            {
                if (node.Kind != FrontmatterNodeKind.Alias)
                    Error(list, SkillDiagnosticCodes.NameNotText, node.Line, $"'name' must be text, not {Describe(node)}.");
                return null;
            }
            var name = node.Value.Trim();
            int length = TextUtil.CodePointLength(name);
            if (length > MaxNameLength)
                Error(list, SkillDiagnosticCodes.NameTooLong, node.Line, $"'name' is {length} characters; the limit is {MaxNameLength}. Shorten it.");
            var bad = new List<string>();
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (IsNameChar(c)) continue;
                string ch = char.IsHighSurrogate(c) && i + 1 < name.Length ? name.Substring(i++, 2) : c.ToString();
                if (!bad.Contains(ch)) bad.Add(ch);
            }
            if (bad.Count > 0)
            {
                var shown = string.Join(" ", bad.Take(10).Select(b => b == " " ? "(space)" : "'" + b + "'"));
                var hint = name.Any(char.IsUpper) ? " Use lower case." : "";
                Error(list, SkillDiagnosticCodes.NameInvalidCharacters, node.Line,
                    $"'name' may hold only lower-case letters a-z, digits and hyphens; it has {shown}.{hint} Suggested name: '{SkillSlug.From(name)}'.");
            }
            if (name.StartsWith("-", StringComparison.Ordinal) || name.EndsWith("-", StringComparison.Ordinal))
                Error(list, SkillDiagnosticCodes.NameEdgeHyphen, node.Line, "'name' must not start or end with a hyphen.");
            if (name.IndexOf("--", StringComparison.Ordinal) >= 0)
                Error(list, SkillDiagnosticCodes.NameDoubleHyphen, node.Line, "'name' must not contain two hyphens in a row.");
            if (folderName != null)
            {
                var folder = folderName.Normalize(NormalizationForm.FormKC);
                if (!string.Equals(folder, name.Normalize(NormalizationForm.FormKC), StringComparison.Ordinal))
                    Error(list, SkillDiagnosticCodes.NameFolderMismatch, node.Line,
                        $"'name' is '{name}' but the skill's folder is '{folderName}'. They must be equal: rename the folder or change the name.");
            }
            return name;
        }

        private static string? CheckDescription(List<SkillDiagnostic> list, FrontmatterNode? node, int fenceLine)
        {
            if (node == null || node.IsNull || (node.Kind == FrontmatterNodeKind.Scalar && node.Value.Trim().Length == 0))
            {
                Error(list, SkillDiagnosticCodes.DescriptionMissing, node?.Line ?? fenceLine,
                    "The required 'description' is missing or blank. Say what the skill does and when to use it.");
                return null;
            }
            if (node.Kind != FrontmatterNodeKind.Scalar)
            {
                if (node.Kind != FrontmatterNodeKind.Alias)
                    Error(list, SkillDiagnosticCodes.DescriptionNotText, node.Line, $"'description' must be text, not {Describe(node)}.");
                return null;
            }
            var description = node.Value.Trim();
            int length = TextUtil.CodePointLength(description);
            if (length > MaxDescriptionLength)
                Error(list, SkillDiagnosticCodes.DescriptionTooLong, node.Line,
                    $"'description' is {length} characters; the limit is {MaxDescriptionLength}. Keep what it does and when to use it; move details into the body.");
            if (description.IndexOf('<') >= 0 || description.IndexOf('>') >= 0)
                Warning(list, SkillDiagnosticCodes.DescriptionAngleBrackets, node.Line,
                    "'description' contains '<' or '>'; some runtimes read them as markup. Rephrase without angle brackets.");
            return description;
        }

        private static void CheckOptionalText(List<SkillDiagnostic> list, FrontmatterNode value, string key, string notTextCode, int maxLength, string? tooLongCode)
        {
            if (value.Kind == FrontmatterNodeKind.Mapping || value.Kind == FrontmatterNodeKind.Sequence)
            {
                Error(list, notTextCode, value.Line, $"'{key}' must be text, not {Describe(value)}.");
                return;
            }
            var text = value.Text?.Trim();
            if (text == null || tooLongCode == null) return;
            int length = TextUtil.CodePointLength(text);
            if (length > maxLength)
                Error(list, tooLongCode, value.Line, $"'{key}' is {length} characters; the limit is {maxLength}. Shorten it.");
        }

        private static void CheckMetadata(List<SkillDiagnostic> list, FrontmatterNode value)
        {
            if (value.IsNull || value.Kind == FrontmatterNodeKind.Alias) return;
            if (value.Kind != FrontmatterNodeKind.Mapping)
            {
                Error(list, SkillDiagnosticCodes.MetadataNotAMap, value.Line,
                    $"'metadata' must be a map of 'key: value' lines indented under it, not {Describe(value)}.");
                return;
            }
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var entry in value.Entries)
            {
                if (entry.Key.Kind != FrontmatterNodeKind.Scalar || entry.Key.IsNull)
                {
                    if (entry.Key.Kind != FrontmatterNodeKind.Alias)
                        Error(list, SkillDiagnosticCodes.MetadataKeyNotText, entry.Key.Line, "A 'metadata' key must be plain text.");
                    continue;
                }
                var k = entry.Key.Value;
                if (seen.TryGetValue(k, out int first))
                    Error(list, SkillDiagnosticCodes.DuplicateKey, entry.Key.Line, $"The metadata key '{k}' appears twice (first on line {first}). Keep one.");
                else
                    seen[k] = entry.Key.Line;
                if (entry.Value.Kind == FrontmatterNodeKind.Mapping || entry.Value.Kind == FrontmatterNodeKind.Sequence)
                    Error(list, SkillDiagnosticCodes.MetadataValueNotScalar, entry.Value.Line,
                        $"The metadata value of '{k}' is {Describe(entry.Value)}; metadata values must be text. Write it as one string (for example comma-separated).");
            }
        }

        private static void CheckBody(SkillMarkdownDocument doc, List<SkillDiagnostic> list)
        {
            int bodyLines = doc.Lines.Length - doc.BodyStartLine;
            var body = string.Join("\n", doc.BodyLines());
            if (body.Trim().Length == 0)
            {
                Warning(list, SkillDiagnosticCodes.BodyEmpty, doc.ClosingLine + 1,
                    "The body after the frontmatter is empty. Add the instructions an agent follows when it uses the skill.");
                return;
            }
            if (bodyLines > MaxBodyLines)
                Warning(list, SkillDiagnosticCodes.BodyTooManyLines, doc.BodyStartLine + MaxBodyLines + 1,
                    $"The body has {bodyLines} lines; keep it under {MaxBodyLines} and move details into files beside SKILL.md.");
            int tokens = TokenEstimator.Estimate(body);
            if (tokens > MaxBodyTokens)
                Warning(list, SkillDiagnosticCodes.BodyTooManyTokens, doc.BodyStartLine + 1,
                    $"The body is about {tokens} tokens; keep it under about {MaxBodyTokens} and move details into files beside SKILL.md.");
        }
    }
}

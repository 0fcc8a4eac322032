using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using SkillForge.Diagnostics;
using SkillForge.IO;
using SkillForge.Redaction;

namespace SkillForge.Skills
{
    /// <summary>What Export-Skill is asked to write.</summary>
    public sealed class SkillWriteRequest
    {
        public string Content { get; set; } = "";
        public IReadOnlyList<string> SourceIds { get; set; } = Array.Empty<string>();
        public string? Fingerprint { get; set; }
        public string? Model { get; set; }
        public DateTimeOffset Date { get; set; } = DateTimeOffset.UtcNow;
        /// <summary>Replace an existing skill of the same name instead of suffixing -2 … -99.</summary>
        public bool Force { get; set; }
        /// <summary>The full evidence, written to references/evidence.md beside SKILL.md; null writes none.</summary>
        public string? Evidence { get; set; }
        /// <summary>Tokens of the sources the skill was built from, for its compression ratio (0: unknown).</summary>
        public int SourceTokens { get; set; }
        /// <summary>Share of the source's failures or documents the skill draws on (0: unknown).</summary>
        public double Coverage { get; set; }
        /// <summary>What the write check replaces in the text and provenance before anything is validated or written.</summary>
        public RedactionMode Redact { get; set; } = RedactionMode.All;
        /// <summary>What was redacted upstream (the prompt the skill came from), added to the SkillFile's count.</summary>
        public RedactionCounts? SourceRedactions { get; set; }
    }

    /// <summary>Where and what Export-Skill will write, decided before anything is written (for -WhatIf).</summary>
    public sealed class SkillWritePlan
    {
        public string Name { get; set; } = "";
        public string Directory { get; set; } = "";
        public string FilePath { get; set; } = "";
        /// <summary>The final text: name rewritten on collision, provenance in metadata.</summary>
        public string Content { get; set; } = "";
        public SkillWriteStatus Status { get; set; }
        public SkillWriteRequest Request { get; set; } = new SkillWriteRequest();
        /// <summary>Provenance as written into the final text's metadata.</summary>
        public string[] SourceIds { get; set; } = Array.Empty<string>();
        public string Fingerprint { get; set; } = "";
        public string? Model { get; set; }
        /// <summary>What the write check replaced in the request's text and provenance.</summary>
        public RedactionCounts Redactions { get; set; } = new RedactionCounts();
    }

    /// <summary>A folder of skills, each in &lt;root&gt;/&lt;name&gt;/SKILL.md.</summary>
    public sealed class SkillLibrary
    {
        /// <summary>The highest suffix tried on a name collision (name, name-2, …, name-99).</summary>
        public const int MaxSuffix = 99;

        /// <summary>Longest source-id list written into the frontmatter; past it the first ids and a count are written.</summary>
        public const int MaxSourceIdsChars = 900;
        public const string SourceCountKey = "skillforge-source-count";
        public const string EvidencePath = "references/evidence.md";

        private static readonly HashSet<string> WindowsDeviceNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "con", "prn", "aux", "nul",
            "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
        };

        private static readonly StringComparison PathComparison =
            Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        public SkillLibrary(string root) => Root = root ?? throw new ArgumentNullException(nameof(root));

        public string Root { get; }

        /// <summary>The full path of the root, without a trailing separator.</summary>
        public string FullRoot
        {
            get
            {
                var full = Path.GetFullPath(Root);
                var trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
                return trimmed.Length == 0 || trimmed.EndsWith(":", StringComparison.Ordinal) ? full : trimmed;
            }
        }

        /// <summary>Called with the temporary file's path after it is written and flushed, before the rename (tests simulate failures here).</summary>
        internal Action<string>? BeforeRename { get; set; }

        /// <summary>Validates and picks the target: the name, the first free name-2 … name-99, or (status Skipped) an
        /// existing copy with the same text and provenance, so re-runs write nothing twice. Throws SkillForgeException (SkillInvalid, SkillInvalidName,
        /// SkillTooManyCollisions, SkillOutsideRoot) instead of planning anything unsafe.</summary>
        public SkillWritePlan Plan(SkillWriteRequest request)
        {
            if (request == null) throw new ArgumentNullException(nameof(request));
            // The write check comes first, so that no error, -WhatIf message or file holds what it replaces.
            var redactions = new RedactionCounts();
            var content = Redactor.Redact(request.Content ?? "", request.Redact, redactions);
            string Clean(string? value) => SkillMarkdownWriter.OneLine(value == null ? null : Redactor.Redact(value, request.Redact, redactions));
            var check = SkillMarkdownValidator.Validate(content, findLeaks: false);
            var nameProblems = check.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Code.StartsWith("SF2", StringComparison.Ordinal))
                .ToList();
            bool hasFrontmatter = !check.Diagnostics.Any(d =>
                d.Code == SkillDiagnosticCodes.MissingOpeningFence || d.Code == SkillDiagnosticCodes.MissingClosingFence || d.Code == SkillDiagnosticCodes.InvalidYaml);
            if (hasFrontmatter && nameProblems.Count > 0)
            {
                var shown = check.Name == null ? "(none)" : "'" + TextUtil.Truncate(check.Name, 80) + "'";
                throw new SkillForgeException(ErrorIds.SkillInvalidName, FailureCategory.InvalidArgument,
                    $"The skill name {shown} cannot be used as a skill folder name, so nothing was written: " +
                    string.Join(" ", nameProblems.Select(d => d.Message)) +
                    " Fix the name in the frontmatter (ConvertTo-SkillSlug makes a valid one).", check.Name ?? (object)content);
            }
            if (!check.IsValid)
                throw new SkillForgeException(ErrorIds.SkillInvalid, FailureCategory.InvalidData,
                    "The SKILL.md is not valid, so nothing was written. " + Summarize(check) +
                    " Fix the text (Test-SkillMarkdown -Content lists every problem) and export again.", check.Name ?? (object)content);
            var name = check.Name!;
            if (WindowsDeviceNames.Contains(name))
                throw new SkillForgeException(ErrorIds.SkillInvalidName, FailureCategory.InvalidArgument,
                    $"The skill name '{name}' is a reserved device name on Windows and cannot be a folder there. Choose another name.", name);

            var doc = SkillMarkdownDocument.Parse(content);
            var updates = new List<KeyValuePair<string, string>>();
            var allIds = (request.SourceIds ?? Array.Empty<string>()).Where(id => !string.IsNullOrWhiteSpace(id))
                .Select(id => Redactor.Redact(id, request.Redact, redactions)).ToList();
            var ids = FirstIds(allIds);
            if (ids.Length > 0) updates.Add(Pair(SkillMarkdownWriter.SourceIdsKey, ids));
            // No frontmatter line may pass 1024 characters: a long list becomes its first ids and a count.
            if (SkillMarkdownWriter.ParseSourceIds(ids).Length < allIds.Count)
                updates.Add(Pair(SourceCountKey, allIds.Count.ToString(CultureInfo.InvariantCulture)));
            var fingerprint = SkillMarkdownWriter.OneLine(request.Fingerprint);
            if (fingerprint.Length > 0) updates.Add(Pair(SkillMarkdownWriter.FingerprintKey, fingerprint));
            var model = Clean(request.Model);
            if (model.Length > 0) updates.Add(Pair(SkillMarkdownWriter.ModelKey, model));
            updates.Add(Pair(SkillMarkdownWriter.CreatedKey,
                request.Date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));

            var root = FullRoot;
            string chosen = name;
            bool exists = false;
            var same = FindSkill(fingerprint, name);
            if (same != null && !request.Force)
            {
                // The same source and name is the same skill: nothing is written twice (a re-run, or a library
                // written by Export-Skill and then by Invoke-SkillCrystallization).
                return Skipped(request, same.Name, Target(root, same.Name), ReadExisting(same.Path) ?? "");
            }
            if (request.Force)
            {
                // -Force replaces the same skill where it is, else the skill of that name.
                if (same != null) chosen = same.Name;
                exists = Occupied(Target(root, chosen));
            }
            else
            {
                // Re-running an export is idempotent: a skill already written with the same text and provenance
                // (whatever its date and suffix) is skipped instead of written again as name-2.
                var wanted = Comparable(FrontmatterRewriter.Rewrite(doc, name, updates));
                int n = 1;
                for (; n <= MaxSuffix; n++)
                {
                    chosen = SkillSlug.WithSuffix(name, n);
                    var candidate = Target(root, chosen);
                    if (!Occupied(candidate)) break;
                    var existing = ReadExisting(Path.Combine(candidate, SkillMarkdownValidator.SkillFileName));
                    if (existing != null && Comparable(existing) == wanted)
                    {
                        var skipped = Skipped(request, chosen, candidate, existing);
                        skipped.Redactions = redactions;
                        return skipped;
                    }
                }
                if (n > MaxSuffix)
                    throw new SkillForgeException(ErrorIds.SkillTooManyCollisions, FailureCategory.LimitsExceeded,
                        $"'{name}' and '{name}-2' … '{SkillSlug.WithSuffix(name, MaxSuffix)}' all exist in '{root}'. " +
                        "Give the skill a different name, remove old copies, or use -Force to replace the first one.", name);
            }
            var directory = Target(root, chosen);

            var final = FrontmatterRewriter.Rewrite(doc, chosen, updates);
            var finalCheck = SkillMarkdownValidator.Validate(final, Path.Combine(directory, SkillMarkdownValidator.SkillFileName), chosen, findLeaks: false);
            if (!finalCheck.IsValid)
                throw new SkillForgeException(ErrorIds.SkillInvalid, FailureCategory.InvalidData,
                    "Adding the name and provenance to the frontmatter would make it invalid, so nothing was written. " + Summarize(finalCheck) +
                    " Write the frontmatter in plain block style ('key: value' lines) and export again.", name);

            var metadata = FrontmatterRewriter.ReadMetadata(SkillMarkdownDocument.Parse(final)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            metadata.TryGetValue(SkillMarkdownWriter.SourceIdsKey, out var finalIds);
            metadata.TryGetValue(SkillMarkdownWriter.FingerprintKey, out var finalFingerprint);
            metadata.TryGetValue(SkillMarkdownWriter.ModelKey, out var finalModel);

            return new SkillWritePlan
            {
                Name = chosen,
                Directory = directory,
                FilePath = Path.Combine(directory, SkillMarkdownValidator.SkillFileName),
                Content = final,
                Status = exists ? SkillWriteStatus.Replaced : SkillWriteStatus.Written,
                Request = request,
                SourceIds = allIds.Count > 0 ? allIds.Select(id => id.Trim()).ToArray() : SkillMarkdownWriter.ParseSourceIds(finalIds),
                Fingerprint = finalFingerprint ?? "",
                Model = string.IsNullOrEmpty(finalModel) ? null : finalModel,
                Redactions = redactions,
            };
        }

        /// <summary>Prefix of the staging folders Commit makes directly in the root (".skillforge-write.&lt;16 hex&gt;.tmp").</summary>
        internal const string StagingPrefix = ".skillforge-write.";

        /// <summary>
        /// Writes the plan atomically; a Skipped plan writes nothing. The text is written and flushed in a fresh staging
        /// folder directly inside the root (checked once), and that folder is renamed to the skill's folder, which is an
        /// exclusive claim: a folder another writer created meanwhile is never replaced, and the export moves on to the
        /// next free name-2 … name-99 instead. After the rename the skill folder is checked again, and a write that a
        /// folder swapped for a link carried out of the library is undone. Throws SkillForgeException (SkillWriteFailed,
        /// SkillOutsideRoot, SkillTooManyCollisions); then nothing is left behind, not even an empty folder.
        /// </summary>
        public SkillFile Commit(SkillWritePlan plan)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            var root = FullRoot;
            var directory = Target(root, Path.GetFileName(plan.Directory));
            if (!string.Equals(directory, Path.GetFullPath(plan.Directory), PathComparison))
                throw OutsideRoot(plan.Directory, root);
            if (plan.Status == SkillWriteStatus.Skipped) return ToSkillFile(plan, Path.Combine(directory, SkillMarkdownValidator.SkillFileName));
            for (int attempt = 0; ; attempt++)
            {
                if (CommitOnce(plan, root))
                {
                    if (!string.IsNullOrEmpty(plan.Request.Evidence)) WriteEvidence(plan.Directory, root, plan.Request.Evidence!);
                    return ToSkillFile(plan, plan.FilePath);
                }
                // Another writer took the name between planning and writing: plan again, which picks the next free
                // suffix (or finds that writer's identical skill and skips).
                if (attempt >= MaxSuffix) throw WriteFailed(plan.FilePath, "other writers kept taking the name", null);
                plan = Plan(plan.Request);
                if (plan.Status == SkillWriteStatus.Skipped) return ToSkillFile(plan, plan.FilePath);
            }
        }

        /// <summary>One try at writing the plan; false when its name was taken meanwhile (nothing written).</summary>
        private bool CommitOnce(SkillWritePlan plan, string root)
        {
            var directory = Target(root, plan.Name);
            var file = Path.Combine(directory, SkillMarkdownValidator.SkillFileName);
            string? staging = null;
            try
            {
                System.IO.Directory.CreateDirectory(root);
                CleanStaleStaging(root);
                staging = Path.Combine(root, StagingPrefix + Guid.NewGuid().ToString("N").Substring(0, 16) + ".tmp");
                System.IO.Directory.CreateDirectory(staging);
                var temp = Path.Combine(staging, SkillMarkdownValidator.SkillFileName);
                var bytes = new UTF8Encoding(false).GetBytes(plan.Content);
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }
                BeforeRename?.Invoke(temp);

                if (plan.Status == SkillWriteStatus.Replaced && File.Exists(file))
                {
                    CheckNotLink(directory, root);
                    var backup = Path.Combine(staging, SkillMarkdownValidator.SkillFileName + ".old");
                    File.Replace(temp, file, backup, true);
                    if (IsLink(directory))
                    {
                        // The folder became a link between the check and the rename: put the old file back.
                        File.Replace(backup, file, null, true);
                        throw LinkRefused(directory, root);
                    }
                    return true;
                }
                for (int tries = 0; tries < 3; tries++)
                {
                    if (!System.IO.Directory.Exists(directory) && !File.Exists(directory) && !IsLink(directory))
                    {
                        try
                        {
                            // rename(2) of a folder never replaces a folder that holds anything, nor a link or a file.
                            System.IO.Directory.Move(staging, directory);
                            staging = null;
                            return true;
                        }
                        catch (IOException) when (System.IO.Directory.Exists(directory) || File.Exists(directory))
                        {
                            // Someone created the folder first: look at what is there now.
                        }
                    }
                    CheckNotLink(directory, root);
                    if (File.Exists(directory))
                        throw WriteFailed(file, $"'{directory}' is a file, not a folder", null);
                    if (System.IO.Directory.Exists(file))
                        throw WriteFailed(file, $"'{file}' is a folder, not a file", null);
                    if (Occupied(directory)) return false;
                    if (!System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
                    {
                        // An empty folder (a crash or an earlier failed write): take its place.
                        try { System.IO.Directory.Delete(directory, false); }
                        catch (IOException) { }
                        continue;
                    }
                    // A folder with other files and no SKILL.md: move the file in, then make sure it stayed inside.
                    try
                    {
                        File.Move(temp, file);
                    }
                    catch (IOException) when (File.Exists(file))
                    {
                        return false;
                    }
                    if (IsLink(directory))
                    {
                        TryDelete(file);
                        throw LinkRefused(directory, root);
                    }
                    return true;
                }
                throw WriteFailed(file, $"the empty folder '{directory}' is in the way and cannot be removed", null);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                throw WriteFailed(file, e.Message, e);
            }
            finally
            {
                if (staging != null) TryDeleteFolder(staging);
            }
        }

        private static SkillForgeException WriteFailed(string file, string reason, Exception? inner) =>
            new SkillForgeException(ErrorIds.SkillWriteFailed, FailureCategory.WriteError,
                $"Could not write '{file}': {reason.TrimEnd('.')}. Nothing was changed there. Check the folder's permissions and free space, and run the export again.", file, inner);

        /// <summary>How old a staging folder must be before Commit treats it as left by a crash and removes it.</summary>
        internal static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(30);

        private bool _cleaned;

        /// <summary>Removes, once per library object, staging folders (and the temporary files of older versions) that a killed export left behind.</summary>
        private void CleanStaleStaging(string root)
        {
            if (_cleaned) return;
            _cleaned = true;
            CleanStaleTemporaryFiles(root, StaleAge);
        }

        /// <summary>
        /// Removes SkillForge's own leftovers older than <paramref name="age"/>: staging folders in the root and
        /// ".SKILL.md.&lt;hex&gt;.tmp" files in skill folders. Returns how many it removed; never throws for IO.
        /// </summary>
        public static int CleanStaleTemporaryFiles(string root, TimeSpan age)
        {
            int removed = 0;
            var cutoff = DateTime.UtcNow - age;
            try
            {
                if (!System.IO.Directory.Exists(root)) return 0;
                foreach (var dir in System.IO.Directory.EnumerateDirectories(root, StagingPrefix + "*.tmp"))
                {
                    if (IsLink(dir) || System.IO.Directory.GetLastWriteTimeUtc(dir) > cutoff) continue;
                    if (TryDeleteFolder(dir)) removed++;
                }
                foreach (var dir in System.IO.Directory.EnumerateDirectories(root))
                {
                    if (IsLink(dir)) continue;
                    foreach (var temp in System.IO.Directory.EnumerateFiles(dir, ".SKILL.md.*.tmp"))
                    {
                        if (File.GetLastWriteTimeUtc(temp) > cutoff) continue;
                        if (TryDelete(temp)) removed++;
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
            }
            return removed;
        }

        /// <summary>
        /// The skills in the library by the fingerprint in their metadata (skillforge-fingerprint): the one rule for
        /// "this skill is already here", compared as <see cref="FindByFingerprint"/> compares. A skill without a fingerprint
        /// is left out; of two with one fingerprint the first by folder name counts. Reads only real folders and regular
        /// SKILL.md files; never throws for IO.
        /// </summary>
        public IReadOnlyDictionary<string, SkillFile> SkillsByFingerprint()
        {
            var found = new Dictionary<string, SkillFile>(StringComparer.OrdinalIgnoreCase);
            foreach (var skill in SkillsWithFingerprint())
                if (!found.ContainsKey(skill.Fingerprint)) found[skill.Fingerprint] = skill;
            return found;
        }

        /// <summary>
        /// Every skill in the library that carries <paramref name="fingerprint"/> (compared without regard to case),
        /// in folder-name order, each with Status Skipped; empty for an empty fingerprint. Several skills share one
        /// when a trace prompt answered with several.
        /// </summary>
        public IReadOnlyList<SkillFile> FindByFingerprint(string? fingerprint)
        {
            var wanted = SkillMarkdownWriter.OneLine(fingerprint);
            if (wanted.Length == 0) return Array.Empty<SkillFile>();
            return SkillsWithFingerprint().Where(s => string.Equals(s.Fingerprint, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        /// <summary>
        /// The skill that a new one named <paramref name="name"/> from the source <paramref name="fingerprint"/>
        /// would be, or null: the same fingerprint in a folder of that name (or its -2 … -99 copies) is the same
        /// skill, whatever its text, date or the order of its source ids. The name takes part because one trace
        /// prompt answers with several skills that share the prompt's fingerprint.
        /// </summary>
        public SkillFile? FindSkill(string? fingerprint, string name)
        {
            foreach (var skill in FindByFingerprint(fingerprint))
            {
                for (int n = 1; n <= MaxSuffix; n++)
                {
                    if (string.Equals(skill.Name, SkillSlug.WithSuffix(name, n), PathComparison)) return skill;
                }
            }
            return null;
        }

        /// <summary>The skills of the library that carry a fingerprint, in folder-name order (real folders only).</summary>
        private IEnumerable<SkillFile> SkillsWithFingerprint()
        {
            var root = FullRoot;
            List<string> folders;
            try
            {
                if (!System.IO.Directory.Exists(root)) yield break;
                folders = System.IO.Directory.EnumerateDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                yield break;
            }
            foreach (var folder in folders)
            {
                var name = Path.GetFileName(folder);
                if (name.StartsWith(".", StringComparison.Ordinal) || IsLink(folder)) continue;
                var text = ReadExisting(Path.Combine(folder, SkillMarkdownValidator.SkillFileName));
                if (text == null) continue;
                var plan = Skipped(new SkillWriteRequest(), name, folder, text);
                if (plan.Fingerprint.Length > 0) yield return ToSkillFile(plan, plan.FilePath);
            }
        }

        private static SkillFile ToSkillFile(SkillWritePlan plan, string file)
        {
            int skillTokens = TokenEstimator.Estimate(plan.Content);
            var evidence = Path.Combine(Path.GetDirectoryName(file) ?? "", EvidencePath.Replace('/', Path.DirectorySeparatorChar));
            var redactions = new RedactionCounts();
            redactions.Add(plan.Request.SourceRedactions);
            redactions.Add(plan.Redactions);
            return new SkillFile
            {
                Name = plan.Name,
                Path = file,
                SourceIds = plan.SourceIds,
                Fingerprint = plan.Fingerprint,
                Model = plan.Model,
                Status = plan.Status,
                CompressionRatio = plan.Request.SourceTokens > 0 && skillTokens > 0 ? Math.Round((double)plan.Request.SourceTokens / skillTokens, 2) : 0,
                Coverage = Math.Round(plan.Request.Coverage, 2),
                EvidencePath = File.Exists(evidence) ? evidence : null,
                Redactions = redactions,
            };
        }

        /// <summary>The formatted ids that fit in MaxSourceIdsChars, in order (at least one).</summary>
        private static string FirstIds(IReadOnlyList<string> ids)
        {
            var shown = new List<string>();
            foreach (var id in ids)
            {
                var candidate = SkillMarkdownWriter.FormatSourceIds(shown.Concat(new[] { id }));
                if (shown.Count > 0 && candidate.Length > MaxSourceIdsChars) break;
                shown.Add(id.Length > MaxSourceIdsChars ? id.Substring(0, MaxSourceIdsChars) : id);
            }
            return SkillMarkdownWriter.FormatSourceIds(shown);
        }

        /// <summary>references/evidence.md beside SKILL.md, written through a temporary file and a rename.</summary>
        private static void WriteEvidence(string directory, string root, string text)
        {
            var folder = Path.Combine(directory, Path.GetDirectoryName(EvidencePath.Replace('/', Path.DirectorySeparatorChar))!);
            CheckNotLink(directory, root);
            System.IO.Directory.CreateDirectory(folder);
            CheckNotLink(folder, root);
            var target = Path.Combine(folder, Path.GetFileName(EvidencePath));
            var temp = Path.Combine(folder, ".evidence.md." + Guid.NewGuid().ToString("N").Substring(0, 16) + ".tmp");
            try
            {
                File.WriteAllBytes(temp, new UTF8Encoding(false).GetBytes(text.Replace("\r\n", "\n")));
                if (File.Exists(target)) File.Replace(temp, target, null, true);
                else File.Move(temp, target);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw WriteFailed(target, e.Message, e);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        private static SkillWritePlan Skipped(SkillWriteRequest request, string name, string directory, string existing)
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in FrontmatterRewriter.ReadMetadata(SkillMarkdownDocument.Parse(existing))) metadata[pair.Key] = pair.Value;
            metadata.TryGetValue(SkillMarkdownWriter.SourceIdsKey, out var ids);
            metadata.TryGetValue(SkillMarkdownWriter.FingerprintKey, out var fingerprint);
            metadata.TryGetValue(SkillMarkdownWriter.ModelKey, out var model);
            return new SkillWritePlan
            {
                Name = name,
                Directory = directory,
                FilePath = Path.Combine(directory, SkillMarkdownValidator.SkillFileName),
                Content = existing,
                Status = SkillWriteStatus.Skipped,
                Request = request,
                SourceIds = SkillMarkdownWriter.ParseSourceIds(ids),
                Fingerprint = (fingerprint ?? "").Trim(),
                Model = string.IsNullOrEmpty(model) ? null : model,
            };
        }

        /// <summary>The text of an existing SKILL.md, or null when it is not a readable UTF-8 file of sensible size.</summary>
        private static string? ReadExisting(string file)
        {
            try
            {
                if (!File.Exists(file) || FileKind.Of(file) != FileKindValue.Regular || new FileInfo(file).Length > SkillMarkdownValidator.MaxFileBytes) return null;
                using var stream = SourceFiles.OpenRegularFile(file);
                return SkillMarkdownValidator.DecodeUtf8(SourceFiles.ReadAtMost(stream, SkillMarkdownValidator.MaxFileBytes, file), out _);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is SkillForgeException)
            {
                return null;
            }
        }

        /// <summary>Text compared for idempotent re-runs: line ends unified, and in the frontmatter the name line and the creation date left out.</summary>
        private static string Comparable(string text)
        {
            var kept = new List<string>();
            int fences = 0;
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
            {
                if (fences < 2 && line.TrimEnd(' ', '\t') == "---") fences++;
                else if (fences == 1 && (line.StartsWith("name:", StringComparison.Ordinal) ||
                                         line.TrimStart().StartsWith(SkillMarkdownWriter.CreatedKey + ":", StringComparison.Ordinal)))
                    continue;
                kept.Add(line);
            }
            return string.Join("\n", kept);
        }

        private static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);

        private static bool Occupied(string directory)
        {
            var file = Path.Combine(directory, SkillMarkdownValidator.SkillFileName);
            return File.Exists(file) || System.IO.Directory.Exists(file);
        }

        /// <summary>root/name as a full path, refused unless it is a direct child of root and not a link elsewhere.</summary>
        private static string Target(string root, string name)
        {
            if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name == "." || name == "..")
                throw OutsideRoot(name, root);
            var full = Path.GetFullPath(Path.Combine(root, name));
            var parent = Path.GetDirectoryName(full);
            if (parent == null || !string.Equals(parent.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar), PathComparison))
                throw OutsideRoot(name, root);
            CheckNotLink(full, root);
            return full;
        }

        private static void CheckNotLink(string directory, string root)
        {
            if (IsLink(directory)) throw LinkRefused(directory, root);
        }

        /// <summary>Whether the path is a symbolic link or junction; false when nothing is there (it may vanish while looking).</summary>
        private static bool IsLink(string path)
        {
            try
            {
                // The attributes come from lstat on Unix, so a link (even a dangling one) shows as a reparse point.
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return false;
            }
        }

        private static SkillForgeException LinkRefused(string directory, string root) =>
            new SkillForgeException(ErrorIds.SkillOutsideRoot, FailureCategory.PermissionDenied,
                $"'{directory}' is a symbolic link or junction; Export-Skill never writes through links, since they can point outside '{root}'. " +
                "Replace the link with a real folder or export to another path.", directory);

        private static SkillForgeException OutsideRoot(string name, string root) =>
            new SkillForgeException(ErrorIds.SkillOutsideRoot, FailureCategory.PermissionDenied,
                $"The skill folder '{name}' would not be directly inside '{root}', so nothing was written. Skill names must be plain folder names.", name);

        private static string Summarize(SkillValidationResult result)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            var shown = errors.Take(10).Select(d => $"{d.Code} (line {d.Line}): {d.Message}");
            var more = errors.Count > 10 ? $" … and {errors.Count - 10} more." : "";
            return string.Join(" ", shown) + more;
        }

        private static bool TryDelete(string path)
        {
            try
            {
                if (!File.Exists(path)) return false;
                File.Delete(path);
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>Deletes one of Commit's staging folders (it only ever holds SKILL.md and its backup).</summary>
        private static bool TryDeleteFolder(string path)
        {
            try
            {
                if (!System.IO.Directory.Exists(path)) return false;
                System.IO.Directory.Delete(path, true);
                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}

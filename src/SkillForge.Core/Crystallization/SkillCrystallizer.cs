using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using SkillForge.Clustering;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Prompts;
using SkillForge.Redaction;
using SkillForge.Skills;

namespace SkillForge.Crystallization
{
    /// <summary>What happened to one cluster in a crystallization run.</summary>
    public sealed class CrystallizationItem
    {
        public CrystallizationItem(MemoryCluster cluster, SkillFile? skill, DistillationResult? result, SkillForgeException? error, IReadOnlyList<string> verboseMessages)
        {
            Cluster = cluster;
            Skill = skill;
            Result = result;
            Error = error;
            VerboseMessages = verboseMessages;
        }

        public MemoryCluster Cluster { get; }
        /// <summary>The skill written, or null when this cluster failed.</summary>
        public SkillFile? Skill { get; }
        public DistillationResult? Result { get; }
        public SkillForgeException? Error { get; }
        /// <summary>What the distillation worker wanted to say verbosely (the caller writes it on its own thread).</summary>
        public IReadOnlyList<string> VerboseMessages { get; }
    }

    /// <summary>
    /// Invoke-SkillCrystallization's engine: clusters docs the ledger does not cover yet, distills each cluster
    /// (bounded parallel), writes each skill atomically through SkillLibrary and records it in the ledger right
    /// away, so an interrupted run loses nothing it already wrote and a re-run distills nothing twice.
    /// Call everything from one thread: items are yielded on the caller's thread.
    /// </summary>
    public sealed class SkillCrystallizer
    {
        private readonly SkillLibrary _library;

        /// <summary>Loads (or starts) the ledger of skillsPath. Throws SkillForgeException (LedgerInvalid) for a corrupt ledger.</summary>
        public SkillCrystallizer(string skillsPath)
        {
            if (string.IsNullOrWhiteSpace(skillsPath)) throw new ArgumentException("A skills folder is required.", nameof(skillsPath));
            SkillsPath = Path.GetFullPath(skillsPath);
            _library = new SkillLibrary(SkillsPath);
            Ledger = CrystallizationLedger.Load(CrystallizationLedger.DefaultPath(SkillsPath));
            Summary = new CrystallizationSummary { SkillsPath = SkillsPath };
        }

        public string SkillsPath { get; }
        public CrystallizationLedger Ledger { get; }
        /// <summary>Running totals; complete once Distill has been enumerated to the end.</summary>
        public CrystallizationSummary Summary { get; }

        /// <summary>What the redaction pass replaces in the prompts and the write check in the skills (default All).</summary>
        public RedactionMode Redact { get; set; } = RedactionMode.All;

        /// <summary>
        /// The clusters still to crystallize: docs the ledger lists or that are tagged 'crystallized' are left out
        /// before clustering (Summary.AlreadyCrystallized counts them), and a cluster the ledger already has is dropped.
        /// </summary>
        public IReadOnlyList<MemoryCluster> FindClusters(IReadOnlyList<MemoryDoc> docs, ClusterOptions options, IOperationSink? sink = null, CancellationToken cancellationToken = default)
        {
            if (docs == null) throw new ArgumentNullException(nameof(docs));
            if (options == null) throw new ArgumentNullException(nameof(options));
            var covered = new HashSet<string>(options.CrystallizedIds ?? new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
            covered.UnionWith(Ledger.CrystallizedDocIds);
            options.CrystallizedIds = covered;
            options.IncludeCrystallized = false;

            Summary.Documents += docs.Count;
            Summary.AlreadyCrystallized += docs.Count(d => covered.Contains(d.Id) || d.HasTag(ExportTagger.CrystallizedTag));

            var clusters = MemoryClusterer.FindAll(docs, options, sink, cancellationToken)
                .Where(c => !Ledger.Contains(c.Fingerprint) && !Ledger.ContainsAnyDoc(c.DocumentIds))
                .ToList();
            Summary.Clusters += clusters.Count;
            return clusters;
        }

        /// <summary>
        /// Distills the clusters with at most throttleLimit in flight and writes each skill as its answer arrives
        /// (in input order), recording it in the ledger's journal at once. A failed cluster is an item with Error; the others go on.
        /// </summary>
        /// <remarks>
        /// The run holds the library's lock (<see cref="LibraryLock"/>; it waits, with a warning on the sink, while another
        /// run holds it), and once it has it, re-reads the ledger: a cluster another run crystallized meanwhile is dropped,
        /// and a cluster whose skill is already on disk (the same fingerprint in its metadata: a run killed between writing
        /// the skill and recording it) is recorded again without distilling. Leftover temporary files are removed, and the
        /// journal is folded into ledger.json when the enumeration ends, however it ends.
        /// </remarks>
        public IEnumerable<CrystallizationItem> Distill(IReadOnlyList<MemoryCluster> clusters, IDistiller distiller, int throttleLimit,
            string model, string? template = null, CancellationToken cancellationToken = default, IOperationSink? sink = null)
        {
            if (clusters == null) throw new ArgumentNullException(nameof(clusters));
            if (distiller == null) throw new ArgumentNullException(nameof(distiller));
            if (Summary.Model.Length == 0) Summary.Model = model ?? "";
            if (clusters.Count == 0) yield break;

            using var held = LibraryLock.Acquire(SkillsPath, sink, cancellationToken);
            try
            {
                Ledger.Reload();
                Ledger.CleanTemporaryFiles();
                SkillLibrary.CleanStaleTemporaryFiles(SkillsPath, SkillLibrary.StaleAge);
                var onDisk = _library.SkillsByFingerprint();

                var byPrompt = new Dictionary<DistillPrompt, MemoryCluster>();
                var early = new List<CrystallizationItem>();
                using var runner = new DistillationRunner(distiller, Math.Max(1, throttleLimit), cancellationToken);
                foreach (var cluster in clusters)
                {
                    if (Ledger.Contains(cluster.Fingerprint) || Ledger.ContainsAnyDoc(cluster.DocumentIds))
                    {
                        // Another run crystallized it after this one looked for clusters.
                        Summary.Clusters--;
                        Summary.AlreadyCrystallized += cluster.Size;
                        continue;
                    }
                    if (onDisk.TryGetValue(cluster.Fingerprint, out var existing))
                    {
                        early.Add(Adopt(cluster, existing, model ?? ""));
                        continue;
                    }
                    DistillPrompt prompt;
                    try
                    {
                        prompt = DistillPromptBuilder.ForCluster(cluster, new DistillPromptOptions { Template = template, Redact = Redact });
                        Summary.Redactions.Add(prompt.Redactions);
                    }
                    catch (SkillForgeException e)
                    {
                        Summary.Failed++;
                        early.Add(new CrystallizationItem(cluster, null, null, e, Array.Empty<string>()));
                        continue;
                    }
                    byPrompt[prompt] = cluster;
                    runner.Enqueue(prompt);
                }
                foreach (var item in early) yield return item;

                foreach (var outcome in runner.DrainAll())
                {
                    var cluster = byPrompt.TryGetValue(outcome.Prompt, out var c) ? c : outcome.Prompt.Cluster ?? new MemoryCluster();
                    if (outcome.Error != null || outcome.Result == null)
                    {
                        Summary.Failed++;
                        yield return new CrystallizationItem(cluster, null, outcome.Result, outcome.Error ?? new SkillForgeException(
                            ErrorIds.DistillEmptyOutput, FailureCategory.InvalidResult,
                            $"No answer came back for cluster {cluster.Fingerprint}; run again to retry it.", cluster), outcome.VerboseMessages);
                        continue;
                    }
                    SkillFile? file = null;
                    SkillForgeException? error = null;
                    try
                    {
                        file = Write(cluster, outcome.Result, model ?? "");
                    }
                    catch (SkillForgeException e)
                    {
                        error = e;
                    }
                    if (file == null)
                    {
                        Summary.Failed++;
                        yield return new CrystallizationItem(cluster, null, outcome.Result, error, outcome.VerboseMessages);
                        continue;
                    }
                    yield return new CrystallizationItem(cluster, file, outcome.Result, null, outcome.VerboseMessages);
                }
            }
            finally
            {
                try
                {
                    Ledger.Compact();
                }
                catch (SkillForgeException e)
                {
                    // Nothing is lost: the journal stays and the next run replays it.
                    sink?.Warning(e.Message);
                }
            }
        }

        /// <summary>A cluster whose skill is already on disk: recorded in the ledger, nothing distilled or written.</summary>
        private CrystallizationItem Adopt(MemoryCluster cluster, SkillFile existing, string model)
        {
            Ledger.Record(new LedgerEntry
            {
                Fingerprint = cluster.Fingerprint,
                DocIds = cluster.DocumentIds.ToArray(),
                SkillPath = RelativeToRoot(existing.Path),
                Model = existing.Model ?? model,
                Date = DateTimeOffset.UtcNow,
            });
            existing.Status = SkillWriteStatus.Skipped;
            return new CrystallizationItem(cluster, existing, null, null,
                new[] { $"Cluster {cluster.Fingerprint}: its skill '{existing.Path}' is already on disk (same fingerprint); recorded it in the ledger without distilling again." });
        }

        /// <summary>Writes one skill and records it in the ledger at once.</summary>
        private SkillFile Write(MemoryCluster cluster, DistillationResult result, string model)
        {
            var usedModel = result.Model.Length > 0 ? result.Model : model ?? "";
            var ids = cluster.DocumentIds.ToArray();
            var plan = _library.Plan(new SkillWriteRequest
            {
                Content = result.Text,
                SourceIds = ids,
                Fingerprint = cluster.Fingerprint,
                Model = usedModel,
                Date = DateTimeOffset.UtcNow,
                Redact = Redact,
                SourceRedactions = result.Prompt.Redactions,
            });
            Summary.Redactions.Add(plan.Redactions);
            var file = _library.Commit(plan);
            if (file.Model == null) file.Model = usedModel;

            Ledger.Record(new LedgerEntry
            {
                Fingerprint = cluster.Fingerprint,
                DocIds = ids,
                SkillPath = RelativeToRoot(file.Path),
                Model = usedModel,
                Date = plan.Request.Date,
            });

            // The same skill already on disk (a ledger lost or moved aside): recorded again, but nothing was written.
            if (file.Status == SkillWriteStatus.Skipped) return file;
            Summary.SkillsWritten++;
            int source = result.Prompt.SourceTokens > 0 ? result.Prompt.SourceTokens : cluster.Documents.Sum(d => TokenEstimator.Estimate(d.Text));
            Summary.SourceTokens += source;
            Summary.SkillTokens += TokenEstimator.Estimate(plan.Content);
            Summary.CompressionRatio = Summary.SkillTokens == 0 ? 0 : Math.Round((double)Summary.SourceTokens / Summary.SkillTokens, 2);
            return file;
        }

        /// <summary>
        /// -UpdateExport: a copy of exportPath with every doc the ledger covers tagged 'crystallized'.
        /// Throws SkillForgeException (ExportUpdateFailed) for the input's own path or a write failure.
        /// </summary>
        public ExportTagResult UpdateExport(string exportPath, string outputPath) =>
            ExportTagger.WriteTaggedCopy(exportPath, outputPath, Ledger.CrystallizedDocIds);

        private string RelativeToRoot(string path)
        {
            var full = Path.GetFullPath(path);
            var root = SkillsPath.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var relative = full.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? full.Substring(root.Length) : full;
            return relative.Replace('\\', '/');
        }
    }
}

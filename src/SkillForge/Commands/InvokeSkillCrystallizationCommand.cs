using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using SkillForge.Clustering;
using SkillForge.Crystallization;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Import;
using SkillForge.Prompts;

namespace SkillForge.Commands
{
    /// <summary>
    /// The memory flow in one command: import, cluster (leaving out what the ledger already covers), distill,
    /// write each skill atomically and record it in &lt;SkillsPath&gt;/.skillforge/ledger.json, so that a re-run
    /// distills nothing twice. Outputs a SkillFile per skill, then a CrystallizationSummary.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "SkillCrystallization", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SkillFile), typeof(CrystallizationSummary))]
    public sealed class InvokeSkillCrystallizationCommand : DistillationCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";
        private const string Activity = "Crystallizing memory clusters";

        private readonly List<MemoryDoc> _docs = new List<MemoryDoc>();
        private readonly List<string> _files = new List<string>();
        private DistillationSettings? _settings;
        private string _skillsRoot = "";
        private string? _updateExportPath;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>MemoryDocs, or objects with Id and Text properties (ConvertFrom-Json, Import-Csv, [pscustomobject]).</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string SkillsPath { get; set; } = "";

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double SimilarityThreshold { get; set; }

        [Parameter]
        [ValidateRange(2, int.MaxValue)]
        public int MinSize { get; set; } = 3;

        [Parameter]
        public SimilarityMethod Similarity { get; set; } = SimilarityMethod.Auto;

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MemoryFieldCompleter))]
        public string Tier { get; set; } = "Core";

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MemoryFieldCompleter))]
        public string? Scope { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? UpdateExport { get; set; }

        protected override void BeginProcessing()
        {
            // Nothing configured is a terminating error before any file is read.
            _settings = ResolveSettings();
            // Output paths are checked before anything is read or spent.
            _skillsRoot = ResolveOutputPath(SkillsPath, "-SkillsPath");
            if (UpdateExport != null) _updateExportPath = ResolveOutputPath(UpdateExport, "-UpdateExport");
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                if (InputObject == null) return;
                // -InputObject given an array (not piped) holds the whole array: take its items.
                if (InputObject.BaseObject is IEnumerable items && !(InputObject.BaseObject is string) && !(InputObject.BaseObject is IDictionary))
                {
                    foreach (var item in items)
                    {
                        if (item != null) AddInput(PSObject.AsPSObject(item));
                    }
                    return;
                }
                AddInput(InputObject);
                return;
            }

            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var file in ResolveFilePaths(literal ? LiteralPath : Path, literal)) ReadExport(file);
        }

        private void AddInput(PSObject input)
        {
            switch (input.BaseObject)
            {
                case MemoryDoc doc:
                    _docs.Add(doc);
                    return;
                case string path:
                    // A path on the pipeline ('./memories.jsonl' | Invoke-SkillCrystallization ...), read as -Path reads it.
                    foreach (var file in ResolveFilePaths(new[] { path }, literal: false)) ReadExport(file);
                    return;
                case FileInfo file:
                    // Get-ChildItem output that the pipeline bound here rather than to -LiteralPath.
                    ReadExport(file.FullName);
                    return;
            }
            try
            {
                _docs.Add(MemoryDocProperties.FromProperties(PSObjectConversion.Properties(input)));
            }
            catch (SkillForgeException e)
            {
                WriteFailure(new SkillForgeException(e.ErrorId, e.Category,
                    e.Message.Replace("Find-MemoryCluster", "Invoke-SkillCrystallization"), input, e));
            }
        }

        private void ReadExport(string file)
        {
            _files.Add(file);
            try
            {
                foreach (var outcome in MemoryExportReader.Read(file, MemoryFormat.Auto, CancellationToken))
                {
                    if (outcome.IsError) WriteRecordError(outcome.Error!);
                    else _docs.Add(outcome.Value!);
                }
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
            }
        }

        protected override void EndProcessing()
        {
            try
            {
                Run();
            }
            finally
            {
                base.EndProcessing();
            }
        }

        private void Run()
        {
            var settings = _settings ?? ResolveSettings();
            var skillsRoot = _skillsRoot;

            SkillCrystallizer crystallizer;
            try
            {
                crystallizer = new SkillCrystallizer(skillsRoot) { Redact = settings.Redact };
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
                return;
            }

            var options = new ClusterOptions
            {
                SimilarityThreshold = MyInvocation.BoundParameters.ContainsKey(nameof(SimilarityThreshold)) ? SimilarityThreshold : (double?)null,
                MinSize = MinSize,
                Method = Similarity,
                Tier = Tier,
                Scope = Scope,
            };

            IReadOnlyList<MemoryCluster> clusters;
            try
            {
                clusters = crystallizer.FindClusters(_docs, options, Sink, CancellationToken);
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
                return;
            }
            WriteVerbose($"{_docs.Count} docs read, {crystallizer.Summary.AlreadyCrystallized} already crystallized, {clusters.Count} new clusters; ledger '{crystallizer.Ledger.Path}'.");

            var model = settings.Offline ? OfflineDistiller.ModelName : settings.Model ?? "";
            var approved = new List<MemoryCluster>();
            foreach (var cluster in clusters)
            {
                var target = $"cluster {Short(cluster.Fingerprint)} around '{cluster.SourceId}' ({cluster.Size} docs, scope '{cluster.Scope}'{PromptTokens(cluster, settings)}) into '{skillsRoot}'";
                string action = settings.Offline ? "Distill offline and write skill" : $"{DescribeSending(settings)}, and write the skill";
                if (ShouldProcess(target, action)) approved.Add(cluster);
            }

            if (approved.Count > 0)
            {
                var distiller = CreateDistiller(settings);
                try
                {
                    int done = 0;
                    Sink.Progress(new OperationProgress(Activity, "Distilling", 0, approved.Count));
                    foreach (var item in crystallizer.Distill(approved, distiller, settings.ThrottleLimit, model, null, CancellationToken, Sink))
                    {
                        foreach (var message in item.VerboseMessages) WriteVerbose(message);
                        if (item.Error != null) WriteFailure(item.Error);
                        else if (item.Skill != null)
                        {
                            WriteRedactionVerbose(item.Skill.Redactions, $"on the way to '{item.Skill.Path}'");
                            WriteObject(item.Skill);
                        }
                        Sink.Progress(new OperationProgress(Activity, "Distilling", ++done, approved.Count));
                    }
                }
                finally
                {
                    (distiller as IDisposable)?.Dispose();
                }
            }

            if (UpdateExport != null) WriteUpdatedExport(crystallizer);

            WriteRedactionVerbose(crystallizer.Summary.Redactions, "in all");
            WriteObject(crystallizer.Summary);
        }

        private void WriteUpdatedExport(SkillCrystallizer crystallizer)
        {
            var output = _updateExportPath ?? ResolveOutputPath(UpdateExport!, "-UpdateExport");
            var sources = _files.Count > 0
                ? _files.Distinct(StringComparer.Ordinal).ToList()
                : _docs.Select(d => d.SourceFile).Where(f => !string.IsNullOrEmpty(f)).Select(f => f!).Distinct(StringComparer.Ordinal).ToList();
            if (sources.Count != 1)
            {
                WriteFailure(new SkillForgeException(ErrorIds.ExportUpdateFailed, FailureCategory.InvalidArgument,
                    sources.Count == 0
                        ? "-UpdateExport needs the export file the docs came from, and these docs carry none. Pass the export with -Path instead of piping objects."
                        : $"-UpdateExport writes a copy of one export, and the docs came from {sources.Count} files. Run once per export file.",
                    UpdateExport));
                return;
            }
            if (!ShouldProcess(output, $"Write a copy of '{sources[0]}' with the '{ExportTagger.CrystallizedTag}' tag on crystallized docs")) return;
            try
            {
                var result = crystallizer.UpdateExport(sources[0], output);
                WriteVerbose($"Wrote '{result.OutputPath}': {result.Tagged} docs newly tagged '{ExportTagger.CrystallizedTag}'.");
                if (result.NotFound.Length > 0 && result.NotFound.Length < crystallizer.Ledger.CrystallizedDocIds.Count)
                {
                    WriteVerbose($"{result.NotFound.Length} crystallized doc ids from the ledger are not in this export (other exports or removed docs).");
                }
                else if (result.NotFound.Length > 0 && result.NotFound.Length == crystallizer.Ledger.CrystallizedDocIds.Count)
                {
                    WriteWarning($"None of the ledger's {result.NotFound.Length} crystallized doc ids were found in '{sources[0]}', so the copy has no new tags. Check that the ids in the export are the ones SkillForge imported.");
                }
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
            }
        }

        /// <summary>
        /// ", about N prompt tokens" for a model run, so -WhatIf shows what would be spent (and whether it fits the
        /// model's context, with a warning when not); empty offline.
        /// </summary>
        private string PromptTokens(MemoryCluster cluster, DistillationSettings settings)
        {
            if (settings.Offline) return "";
            try
            {
                int tokens = DistillPromptBuilder.ForCluster(cluster).EstimatedTokens;
                string overflow = WarnWhenOverContext(settings, $"The prompt for cluster {Short(cluster.Fingerprint)} around '{cluster.SourceId}'", tokens);
                return $", about {tokens} prompt tokens{overflow}";
            }
            catch (SkillForgeException)
            {
                return ""; // the real run reports it for this cluster
            }
        }

        private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint.Substring(0, 12) : fingerprint;
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using SkillForge.Clustering;
using SkillForge.Crystallization;
using SkillForge.Diagnostics;

namespace SkillForge.Commands
{
    /// <summary>
    /// Find-MemoryCluster: groups near-duplicate memory docs (from Import-MemoryExport, ConvertFrom-Json or
    /// Import-Csv) into clusters around their most-accessed doc.
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "MemoryCluster", DefaultParameterSetName = AllSet, SupportsShouldProcess = true)]
    [OutputType(typeof(MemoryCluster))]
    public sealed class FindMemoryClusterCommand : EmbeddingCmdletBase
    {
        private const string AllSet = "All";
        private const string AroundSet = "Around";

        private readonly HashSet<string> _ledgerIds = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>A MemoryDoc, or any object with Id and Text properties (Tier, Scope, Tags, AccessCount, Kind, Embedding optional).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

        /// <summary>Returns only the cluster around this doc.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AroundSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MemoryFieldCompleter))]
        public string Id { get; set; } = "";

        /// <summary>Lowest similarity to the source doc that makes a member; default 0.6 lexical, for embeddings the model's (see the help).</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double SimilarityThreshold { get; set; }

        /// <summary>Smallest cluster, the source doc included.</summary>
        [Parameter]
        [ValidateRange(2, int.MaxValue)]
        public int MinSize { get; set; } = 3;

        [Parameter]
        public SimilarityMethod Similarity { get; set; } = SimilarityMethod.Auto;

        /// <summary>Compare every pair instead of using the candidate index.</summary>
        [Parameter(ParameterSetName = AllSet)]
        public SwitchParameter Exact { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(MemoryFieldCompleter))]
        public string Tier { get; set; } = "Core";

        [Parameter]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(MemoryFieldCompleter))]
        public string? Scope { get; set; }

        [Parameter]
        public SwitchParameter IncludeCrystallized { get; set; }

        /// <summary>A skills folder whose .skillforge/ledger.json lists crystallized docs.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SkillsPath { get; set; }

        /// <summary>A crystallization ledger file.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Ledger { get; set; }

        protected override void BeginProcessing()
        {
            if (SkillsPath != null)
            {
                var folder = ResolveOutputPath(SkillsPath);
                if (!Directory.Exists(folder))
                    ThrowFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                        $"Cannot find the skills folder '{folder}'. Give the folder Export-Skill writes to, or leave -SkillsPath out.", SkillsPath));
                LoadLedger(CrystallizationLedger.DefaultPath(folder));
            }
            if (Ledger != null)
            {
                var file = ResolveOutputPath(Ledger);
                if (!File.Exists(file))
                    ThrowFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                        $"Cannot find the ledger file '{file}'. Give the path of a ledger.json, or use -SkillsPath with the skills folder.", Ledger));
                LoadLedger(file);
            }
        }

        // -InputObject given an array (not piped) holds the whole array: AddInput takes its items.
        protected override void ProcessRecord() => AddInput(InputObject);

        protected override void EndProcessing()
        {
            var options = new ClusterOptions
            {
                SimilarityThreshold = MyInvocation.BoundParameters.ContainsKey(nameof(SimilarityThreshold)) ? SimilarityThreshold : (double?)null,
                MinSize = MinSize,
                Method = Similarity,
                Exact = Exact.IsPresent,
                Tier = Tier,
                Scope = Scope,
                IncludeCrystallized = IncludeCrystallized.IsPresent,
                CrystallizedIds = _ledgerIds,
            };

            try
            {
                IReadOnlyList<MemoryDoc> docs = Docs;
                // -Similarity Embedding embeds the eligible docs that carry no embedding (Auto never does: it stays lexical then).
                var missing = Similarity == SimilarityMethod.Embedding
                    ? Docs.Where(d => (d.Embedding == null || d.Embedding.Length == 0) && MemoryClusterer.IneligibleReason(d, options) == null).ToList()
                    : new List<MemoryDoc>();
                if (missing.Count > 0)
                {
                    // Only docs without any embedding: one a doc brings is its own, whatever model made it.
                    var run = EmbedDocs(missing, force: false);
                    if (run == null) return;
                    var embedded = new Dictionary<MemoryDoc, MemoryDoc>();
                    for (int i = 0; i < missing.Count; i++) embedded[missing[i]] = run.Docs[i];
                    docs = Docs.Select(d => embedded.TryGetValue(d, out var e) ? e : d).ToList();
                }
                if (ParameterSetName == AroundSet)
                {
                    var cluster = MemoryClusterer.FindAround(docs, Id, options, Sink, CancellationToken);
                    if (cluster != null) WriteObject(cluster);
                }
                else
                {
                    foreach (var cluster in MemoryClusterer.FindAll(docs, options, Sink, CancellationToken)) WriteObject(cluster);
                }
            }
            catch (SkillForgeException e) when (e.ErrorId == ErrorIds.ClusterDocNotFound)
            {
                WriteFailure(e);
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                base.EndProcessing();
            }
        }

        private void LoadLedger(string path)
        {
            try
            {
                _ledgerIds.UnionWith(CrystallizationLedger.Load(path).CrystallizedDocIds);
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
            }
        }
    }
}

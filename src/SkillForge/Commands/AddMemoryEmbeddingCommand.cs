using System.Management.Automation;

namespace SkillForge.Commands
{
    /// <summary>
    /// Add-MemoryEmbedding: attaches an embedding to each memory doc in the pipeline (the local model by default,
    /// or an embeddings endpoint), so Find-MemoryCluster -Similarity Embedding can group docs that say the same
    /// thing in other words.
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "MemoryEmbedding", SupportsShouldProcess = true)]
    [OutputType(typeof(MemoryDoc))]
    public sealed class AddMemoryEmbeddingCommand : EmbeddingCmdletBase
    {
        /// <summary>A MemoryDoc, or any object with Id and Text properties.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject InputObject { get; set; } = null!;

        /// <summary>Embed every doc again, even one that already carries an embedding.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord() => AddInput(InputObject);

        protected override void EndProcessing()
        {
            try
            {
                var run = EmbedDocs(Docs, Force.IsPresent);
                if (run == null) return;
                WriteVerbose($"{run.Docs.Count} doc(s): {run.Kept} kept their embedding, {run.Texts} distinct text(s) embedded ({run.CacheHits} from the cache, {run.Computed} computed).");
                foreach (var doc in run.Docs) WriteObject(doc);
            }
            finally
            {
                base.EndProcessing();
            }
        }
    }
}

using System.Management.Automation;
using SkillForge.Infrastructure;
using SkillForge.Skills;

namespace SkillForge.Commands
{
    /// <summary>ConvertTo-SkillSlug: text → a valid skill name (lower-case a-z, 0-9 and single hyphens, at most 64 characters).</summary>
    [Cmdlet(VerbsData.ConvertTo, "SkillSlug")]
    [OutputType(typeof(string))]
    public sealed class ConvertToSkillSlugCommand : SkillForgeCmdlet
    {
        /// <summary>The text to turn into a slug; binds from the pipeline and from a Name property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Name")]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string?[] InputObject { get; set; } = System.Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var text in InputObject ?? new string?[] { null })
                WriteObject(SkillSlug.From(text));
        }
    }
}

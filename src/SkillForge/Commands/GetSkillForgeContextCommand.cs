using System.Management.Automation;
using SkillForge.Distillation;

namespace SkillForge.Commands
{
    /// <summary>
    /// Shows the session defaults the model commands use when no parameter is given: Set-SkillForgeContext's
    /// values, else $env:OPENAI_API_KEY, $env:OPENAI_BASE_URL and $env:SKILLFORGE_MODEL. The key is masked.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SkillForgeContext")]
    [OutputType(typeof(DistillationContext))]
    public sealed class GetSkillForgeContextCommand : Infrastructure.SkillForgeCmdlet
    {
        protected override void EndProcessing()
        {
            WriteObject(DistillationSettingsResolver.Describe(SkillForgeContextStore.Get(), DistillationSettingsResolver.ReadProcessEnvironment()));
            base.EndProcessing();
        }
    }
}

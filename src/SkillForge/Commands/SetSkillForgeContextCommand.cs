using System;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Distillation;

namespace SkillForge.Commands
{
    /// <summary>
    /// Sets the session defaults for the model commands (Invoke-SkillDistillation, Invoke-SkillCrystallization):
    /// model, endpoint, key and limits. Per runspace, in memory only; parameters of a command still win.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SkillForgeContext", DefaultParameterSetName = SetSet)]
    [OutputType(typeof(DistillationContext))]
    public sealed class SetSkillForgeContextCommand : Infrastructure.SkillForgeCmdlet
    {
        private const string SetSet = "Set";

        [Parameter(Position = 0, ParameterSetName = SetSet)]
        [ArgumentCompleter(typeof(ModelNameCompleter))]
        public string? Model { get; set; }

        [Parameter(ParameterSetName = SetSet)]
        public Uri? Endpoint { get; set; }

        /// <summary>SecureString or plain string.</summary>
        [Parameter(ParameterSetName = SetSet)]
        public object? ApiKey { get; set; }

        [Parameter(ParameterSetName = SetSet)]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; }

        [Parameter(ParameterSetName = SetSet)]
        [ValidateRange(0, 20)]
        public int MaxRetryCount { get; set; }

        [Parameter(ParameterSetName = SetSet)]
        [ValidateRange(0.0, 2.0)]
        public float Temperature { get; set; }

        [Parameter(ParameterSetName = SetSet)]
        [ValidateRange(1, 1_000_000)]
        public int MaxOutputTokens { get; set; }

        [Parameter(ParameterSetName = SetSet)]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; }

        /// <summary>Forget every session default first (then apply any other parameters given).</summary>
        [Parameter(ParameterSetName = SetSet)]
        public SwitchParameter Clear { get; set; }

        /// <summary>Output the resulting context.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void EndProcessing()
        {
            var bound = MyInvocation.BoundParameters;
            var context = Clear.IsPresent ? new DistillationOptions() : SkillForgeContextStore.Get();
            try
            {
                var update = new DistillationOptions
                {
                    Model = bound.ContainsKey(nameof(Model)) && !string.IsNullOrWhiteSpace(Model) ? Model!.Trim() : null,
                    Endpoint = bound.ContainsKey(nameof(Endpoint)) && Endpoint != null
                        ? DistillationSettingsResolver.NormalizeEndpoint(Endpoint, "-Endpoint")
                        : null,
                    ApiKey = bound.ContainsKey(nameof(ApiKey)) ? DistillationCmdletBase.ConvertApiKey(ApiKey) : null,
                    TimeoutSec = bound.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : (int?)null,
                    MaxRetryCount = bound.ContainsKey(nameof(MaxRetryCount)) ? MaxRetryCount : (int?)null,
                    Temperature = bound.ContainsKey(nameof(Temperature)) ? Temperature : (float?)null,
                    MaxOutputTokens = bound.ContainsKey(nameof(MaxOutputTokens)) ? MaxOutputTokens : (int?)null,
                    ThrottleLimit = bound.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : (int?)null,
                };
                context.Apply(update);
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
                return;
            }

            SkillForgeContextStore.Set(context);
            var shown = DistillationSettingsResolver.Describe(context, DistillationSettingsResolver.ReadProcessEnvironment());
            WriteVerbose($"Session defaults: model '{shown.Model ?? "(none)"}', endpoint {(shown.Endpoint?.ToString() ?? "(OpenAI)")}, key from {shown.KeySource}" +
                         (shown.MaskedKey.Length > 0 ? $" ({shown.MaskedKey})" : "") + ". Kept in memory for this session only.");
            if (PassThru.IsPresent) WriteObject(shown);
            base.EndProcessing();
        }
    }
}

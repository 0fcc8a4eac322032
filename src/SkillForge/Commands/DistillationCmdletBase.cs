using System;
using System.Management.Automation;
using SkillForge.Distillation;
using SkillForge.Infrastructure;

namespace SkillForge.Commands
{
    /// <summary>
    /// The parameters every command that calls a model shares (Invoke-SkillDistillation,
    /// Invoke-SkillCrystallization), and how they resolve: parameters, then Set-SkillForgeContext,
    /// then $env:OPENAI_API_KEY / $env:OPENAI_BASE_URL / $env:SKILLFORGE_MODEL.
    /// </summary>
    public abstract class DistillationCmdletBase : SkillForgeCmdlet
    {
        [Parameter]
        public string? Model { get; set; }

        [Parameter]
        public Uri? Endpoint { get; set; }

        /// <summary>SecureString or plain string.</summary>
        [Parameter]
        public object? ApiKey { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = DistillationSettings.DefaultTimeoutSec;

        [Parameter]
        [ValidateRange(0, 20)]
        public int MaxRetryCount { get; set; } = DistillationSettings.DefaultMaxRetryCount;

        [Parameter]
        [ValidateRange(0.0, 2.0)]
        public float Temperature { get; set; } = DistillationSettings.DefaultTemperature;

        [Parameter]
        [ValidateRange(1, 1_000_000)]
        public int MaxOutputTokens { get; set; } = DistillationSettings.DefaultMaxOutputTokens;

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = DistillationSettings.DefaultThrottleLimit;

        /// <summary>A Microsoft.Extensions.AI IChatClient to use instead of an endpoint.</summary>
        [Parameter]
        public object? ChatClient { get; set; }

        /// <summary>Use the built-in extractive distiller: no network, deterministic.</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        /// <summary>Settings after parameters, session context and environment. Throws a terminating error when nothing is configured.</summary>
        internal DistillationSettings ResolveSettings() => throw new NotImplementedException();

        /// <summary>The distiller the settings call for (offline, a user's IChatClient, or an endpoint).</summary>
        internal IDistiller CreateDistiller(DistillationSettings settings) => throw new NotImplementedException();
    }
}

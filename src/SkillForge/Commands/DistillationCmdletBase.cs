using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Infrastructure;
using SkillForge.Redaction;

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
        [ArgumentCompleter(typeof(ModelNameCompleter))]
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

        /// <summary>What the redaction pass replaces before anything reaches a model or a skill: All (default), Secrets or None (warns).</summary>
        [Parameter]
        public RedactionMode Redact { get; set; } = RedactionMode.All;

        /// <summary>
        /// Settings after parameters, session context and environment. Throws a terminating error when nothing is
        /// configured, except under -WhatIf: a preview needs no key, and the settings say what is missing.
        /// </summary>
        internal DistillationSettings ResolveSettings()
        {
            try
            {
                var settings = DistillationSettingsResolver.Resolve(BoundOptions(), SkillForgeContextStore.Get(),
                    DistillationSettingsResolver.ReadProcessEnvironment(), preview: WhatIfInEffect);
                settings.Redact = Redact;
                WriteVerbose(DescribeSettings(settings));
                WarnIfRedactionOff(Redact, settings.Offline ? "the skills" : "the requests to the model and the skills");
                return settings;
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
                throw; // ThrowFailure never returns.
            }
        }

        /// <summary>-WhatIf given, or $WhatIfPreference set: ShouldProcess will only describe.</summary>
        private bool WhatIfInEffect =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf)
                ? whatIf is SwitchParameter sw && sw.IsPresent
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>What ShouldProcess names as the action: where the prompt would go, and what is still missing.</summary>
        internal static string DescribeSending(DistillationSettings settings)
        {
            string action = settings.Offline
                ? "Distill offline"
                : settings.ChatClient != null
                    ? $"Send to the given chat client, model '{settings.Model ?? "(client default)"}'"
                    : $"Send to model '{settings.Model ?? "(none set)"}' at {settings.EndpointHost}";
            return settings.NotConfigured == null ? action : $"{action} ({settings.NotConfigured})";
        }

        /// <summary>
        /// Warns when a prompt cannot fit the model's context window (see ModelCatalog), and returns the same words
        /// for the -WhatIf line, or "" when it fits or the window is unknown.
        /// </summary>
        internal string WarnWhenOverContext(DistillationSettings settings, string what, int promptTokens)
        {
            if (settings.Offline) return "";
            var overflow = ModelCatalog.DescribeContextOverflow(settings.Model, promptTokens, settings.MaxOutputTokens);
            if (overflow == null) return "";
            WriteWarning($"{what}: {overflow}, so the model would cut it or refuse it. Split the input into smaller pieces or use a model with a larger context.");
            return "; " + overflow;
        }

        /// <summary>The distiller the settings call for (offline, a user's IChatClient, or an endpoint).</summary>
        internal IDistiller CreateDistiller(DistillationSettings settings)
        {
            try
            {
                // Preview settings cannot distill: resolving again without the preview raises the real error.
                if (settings.NotConfigured != null)
                {
                    settings = DistillationSettingsResolver.Resolve(BoundOptions(), SkillForgeContextStore.Get(),
                        DistillationSettingsResolver.ReadProcessEnvironment());
                    settings.Redact = Redact;
                }
                // Every prompt passes the redaction pass on its way out, whoever built it.
                return RedactingDistiller.Wrap(DistillerFactory.Create(settings), settings.Redact);
            }
            catch (SkillForgeException e)
            {
                ThrowFailure(e);
                throw;
            }
        }

        /// <summary>Only what the caller actually gave: defaults of unbound parameters must not hide the session's values.</summary>
        private DistillationOptions BoundOptions()
        {
            var bound = MyInvocation.BoundParameters;
            return new DistillationOptions
            {
                Model = bound.ContainsKey(nameof(Model)) ? Model : null,
                Endpoint = bound.ContainsKey(nameof(Endpoint)) ? Endpoint : null,
                ApiKey = bound.ContainsKey(nameof(ApiKey)) ? ConvertApiKey(ApiKey) : null,
                TimeoutSec = bound.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : (int?)null,
                MaxRetryCount = bound.ContainsKey(nameof(MaxRetryCount)) ? MaxRetryCount : (int?)null,
                Temperature = bound.ContainsKey(nameof(Temperature)) ? Temperature : (float?)null,
                MaxOutputTokens = bound.ContainsKey(nameof(MaxOutputTokens)) ? MaxOutputTokens : (int?)null,
                ThrottleLimit = bound.ContainsKey(nameof(ThrottleLimit)) ? ThrottleLimit : (int?)null,
                ChatClient = ChatClient is PSObject ps ? ps.BaseObject : ChatClient,
                Offline = Offline.IsPresent,
            };
        }

        /// <summary>A SecureString or a string as plain text (in memory only). Anything else is a terminating error.</summary>
        internal static string? ConvertApiKey(object? value)
        {
            if (value is PSObject ps) value = ps.BaseObject;
            switch (value)
            {
                case null:
                    return null;
                case string text:
                    return text.Length == 0 ? null : text;
                case SecureString secure:
                    if (secure.Length == 0) return null;
                    IntPtr pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                    try { return Marshal.PtrToStringUni(pointer); }
                    finally { Marshal.ZeroFreeGlobalAllocUnicode(pointer); }
                default:
                    throw new SkillForgeException(ErrorIds.DistillInvalidApiKey, FailureCategory.InvalidArgument,
                        $"-ApiKey takes a SecureString (Read-Host -AsSecureString, Get-Secret) or a string, not a {value.GetType().FullName}.",
                        value.GetType().FullName);
            }
        }

        /// <summary>One verbose line: where requests go, which model, where the key came from (masked).</summary>
        internal static string DescribeSettings(DistillationSettings s)
        {
            if (s.Offline) return "Distilling offline with the built-in extractive distiller: no network, no key.";
            if (s.NotConfigured != null) return $"Previewing only: {s.NotConfigured}, so nothing could be sent.";
            if (s.ChatClient != null)
                return $"Distilling through the given chat client ({s.ChatClient.GetType().FullName}), model '{s.Model ?? "(client default)"}'; " +
                       $"timeout {s.TimeoutSec} s per attempt, up to {s.MaxRetryCount} retries, {s.ThrottleLimit} in flight.";
            string key = s.KeySource.StartsWith("none", StringComparison.Ordinal) ? "no key (local endpoint)" : $"key from {s.KeySource} ({s.MaskedKey})";
            return $"Distilling with model '{s.Model}' (from {s.ModelSource}) at {s.EndpointHost} (endpoint from {s.EndpointSource}); {key}; " +
                   $"timeout {s.TimeoutSec} s per attempt, up to {s.MaxRetryCount} retries, {s.ThrottleLimit} in flight, " +
                   $"temperature {s.Temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}, at most {s.MaxOutputTokens} output tokens.";
        }
    }
}

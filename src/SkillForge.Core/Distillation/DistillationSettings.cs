using System;

namespace SkillForge.Distillation
{
    /// <summary>Resolved settings of one distillation run (parameters, then session context, then environment).</summary>
    public sealed class DistillationSettings
    {
        public const float DefaultTemperature = 0.3f;
        public const int DefaultMaxOutputTokens = 4096;
        public const int DefaultTimeoutSec = 120;
        public const int DefaultMaxRetryCount = 3;
        public const int DefaultThrottleLimit = 4;

        public string? Model { get; set; }
        /// <summary>Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1. Null: api.openai.com.</summary>
        public Uri? Endpoint { get; set; }
        /// <summary>Plain key, held only in memory; never printed (see KeySource and MaskedKey).</summary>
        public string? ApiKey { get; set; }
        /// <summary>Where the key came from: "parameter", "context", "OPENAI_API_KEY", or "none".</summary>
        public string KeySource { get; set; } = "none";
        public int TimeoutSec { get; set; } = DefaultTimeoutSec;
        public int MaxRetryCount { get; set; } = DefaultMaxRetryCount;
        public float Temperature { get; set; } = DefaultTemperature;
        public int MaxOutputTokens { get; set; } = DefaultMaxOutputTokens;
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;
        /// <summary>A Microsoft.Extensions.AI IChatClient supplied by the user (typed object so no dependency type leaks out).</summary>
        public object? ChatClient { get; set; }
        public bool Offline { get; set; }
        /// <summary>What the redaction pass replaces before a prompt is sent and in offline answers (the cmdlet's -Redact).</summary>
        public Redaction.RedactionMode Redact { get; set; } = Redaction.RedactionMode.All;

        /// <summary>
        /// Set only by a preview (-WhatIf) resolution: what is missing for a real run ("no API key for api.openai.com
        /// is configured yet"). Such settings can show what would be sent but cannot distill.
        /// </summary>
        public string? NotConfigured { get; set; }

        /// <summary>Where the model came from: "parameter", "context", "SKILLFORGE_MODEL", "default" or "none".</summary>
        public string ModelSource { get; set; } = "none";
        /// <summary>Where the endpoint came from: "parameter", "context", "OPENAI_BASE_URL" or "default".</summary>
        public string EndpointSource { get; set; } = "default";

        /// <summary>The endpoint requests go to (OpenAI's own when none is set).</summary>
        public Uri EffectiveEndpoint => Endpoint ?? DistillationSettingsResolver.OpenAIEndpoint;

        /// <summary>What results and messages name as the endpoint: its host (and port when not the default), or "offline".</summary>
        public string EndpointHost => Offline ? "offline" : DistillationSettingsResolver.DescribeHost(EffectiveEndpoint);

        /// <summary>The key with all but (at most) its last four characters hidden.</summary>
        public string MaskedKey => ApiKeyMask.Mask(ApiKey);

        /// <summary>Per-attempt time limit.</summary>
        public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSec);
    }
}

using System;

namespace SkillForge
{
    /// <summary>The session defaults Set-SkillForgeContext stores and Get-SkillForgeContext shows. Never holds the key in clear.</summary>
    public sealed class DistillationContext
    {
        public string? Model { get; set; }
        public Uri? Endpoint { get; set; }
        /// <summary>"parameter", "context", "OPENAI_API_KEY" or "none".</summary>
        public string KeySource { get; set; } = "none";
        /// <summary>The key masked: "****", plus its last four characters only for a key of 16 or more; empty for no key.</summary>
        public string MaskedKey { get; set; } = "";
        public int TimeoutSec { get; set; }
        public int MaxRetryCount { get; set; }
        public float Temperature { get; set; }
        public int MaxOutputTokens { get; set; }
        public int ThrottleLimit { get; set; }
    }
}

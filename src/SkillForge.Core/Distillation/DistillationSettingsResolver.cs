using System;
using System.Collections.Generic;
using System.Globalization;
using SkillForge.Diagnostics;

namespace SkillForge.Distillation
{
    /// <summary>
    /// One layer of distillation settings: what the caller gave as parameters, or the session defaults of
    /// Set-SkillForgeContext. Null means "not given here".
    /// </summary>
    public sealed class DistillationOptions
    {
        public string? Model { get; set; }
        public Uri? Endpoint { get; set; }
        public string? ApiKey { get; set; }
        public int? TimeoutSec { get; set; }
        public int? MaxRetryCount { get; set; }
        public float? Temperature { get; set; }
        public int? MaxOutputTokens { get; set; }
        public int? ThrottleLimit { get; set; }
        public object? ChatClient { get; set; }
        public bool Offline { get; set; }

        public DistillationOptions Clone() => (DistillationOptions)MemberwiseClone();

        /// <summary>Copies every value <paramref name="other"/> sets over this one's.</summary>
        public void Apply(DistillationOptions other)
        {
            if (other.Model != null) Model = other.Model;
            if (other.Endpoint != null) Endpoint = other.Endpoint;
            if (other.ApiKey != null) ApiKey = other.ApiKey;
            if (other.TimeoutSec.HasValue) TimeoutSec = other.TimeoutSec;
            if (other.MaxRetryCount.HasValue) MaxRetryCount = other.MaxRetryCount;
            if (other.Temperature.HasValue) Temperature = other.Temperature;
            if (other.MaxOutputTokens.HasValue) MaxOutputTokens = other.MaxOutputTokens;
            if (other.ThrottleLimit.HasValue) ThrottleLimit = other.ThrottleLimit;
        }
    }

    /// <summary>
    /// Resolves distillation settings: parameters, then the session defaults (Set-SkillForgeContext), then the
    /// environment ($env:OPENAI_API_KEY, $env:OPENAI_BASE_URL, $env:SKILLFORGE_MODEL). The environment is passed
    /// in as a dictionary so tests need not touch the process's own.
    /// </summary>
    public static class DistillationSettingsResolver
    {
        public const string ApiKeyVariable = "OPENAI_API_KEY";
        public const string BaseUrlVariable = "OPENAI_BASE_URL";
        public const string ModelVariable = "SKILLFORGE_MODEL";

        /// <summary>Sent to local servers that need no key (the OpenAI SDK requires one).</summary>
        public const string LocalPlaceholderKey = "skillforge-local-no-key";

        public static readonly Uri OpenAIEndpoint = new Uri("https://api.openai.com/v1");

        /// <summary>The three variables SkillForge reads, from this process.</summary>
        public static IDictionary<string, string?> ReadProcessEnvironment() => new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [ApiKeyVariable] = Environment.GetEnvironmentVariable(ApiKeyVariable),
            [BaseUrlVariable] = Environment.GetEnvironmentVariable(BaseUrlVariable),
            [ModelVariable] = Environment.GetEnvironmentVariable(ModelVariable),
        };

        /// <summary>
        /// The settings of one run. Throws SkillForgeException (DistillNotConfigured) when no model can be
        /// reached: no key for a remote endpoint, or no model for a non-OpenAI endpoint; DistillInvalidEndpoint
        /// for an endpoint that is not an absolute http(s) URL. With <paramref name="preview"/> (-WhatIf), a missing
        /// key or model is no error: the settings say what is missing (<see cref="DistillationSettings.NotConfigured"/>),
        /// so a preview shows what would be sent with nothing configured.
        /// </summary>
        public static DistillationSettings Resolve(DistillationOptions? parameters, DistillationOptions? context, IDictionary<string, string?>? environment,
            bool preview = false)
        {
            parameters ??= new DistillationOptions();
            context ??= new DistillationOptions();
            environment ??= new Dictionary<string, string?>();

            var settings = new DistillationSettings
            {
                TimeoutSec = parameters.TimeoutSec ?? context.TimeoutSec ?? DistillationSettings.DefaultTimeoutSec,
                MaxRetryCount = parameters.MaxRetryCount ?? context.MaxRetryCount ?? DistillationSettings.DefaultMaxRetryCount,
                Temperature = parameters.Temperature ?? context.Temperature ?? DistillationSettings.DefaultTemperature,
                MaxOutputTokens = parameters.MaxOutputTokens ?? context.MaxOutputTokens ?? DistillationSettings.DefaultMaxOutputTokens,
                ThrottleLimit = parameters.ThrottleLimit ?? context.ThrottleLimit ?? DistillationSettings.DefaultThrottleLimit,
                Offline = parameters.Offline,
                ChatClient = parameters.ChatClient,
            };

            Pick(parameters.Model, context.Model, Env(environment, ModelVariable), ModelVariable, out string? model, out string modelSource);
            settings.Model = model;
            settings.ModelSource = modelSource;

            if (settings.Offline)
            {
                settings.Model ??= "offline";
                settings.EndpointSource = "offline";
                return settings;
            }

            var endpointText = Env(environment, BaseUrlVariable);
            Uri? envEndpoint = null;
            if (parameters.Endpoint == null && context.Endpoint == null && endpointText != null)
                envEndpoint = ParseEndpoint(endpointText, "$env:" + BaseUrlVariable);
            Uri? endpoint = parameters.Endpoint ?? context.Endpoint ?? envEndpoint;
            settings.EndpointSource = parameters.Endpoint != null ? "parameter" : context.Endpoint != null ? "context" : envEndpoint != null ? BaseUrlVariable : "default";
            if (endpoint != null) settings.Endpoint = NormalizeEndpoint(endpoint, settings.EndpointSource == "parameter" ? "-Endpoint" : settings.EndpointSource == "context" ? "the session's endpoint" : "$env:" + BaseUrlVariable);

            Pick(parameters.ApiKey, context.ApiKey, Env(environment, ApiKeyVariable), ApiKeyVariable, out string? key, out string keySource);
            settings.ApiKey = key;
            settings.KeySource = keySource;

            // A user's IChatClient brings its own endpoint and key.
            if (settings.ChatClient != null) return settings;

            bool local = IsLocalEndpoint(settings.EffectiveEndpoint);
            if (settings.ApiKey == null && !local && preview)
            {
                settings.NotConfigured = $"no API key for {DescribeHost(settings.EffectiveEndpoint)} is configured yet";
            }
            else if (settings.ApiKey == null)
            {
                if (!local)
                    throw NotConfigured(settings.Endpoint == null
                        ? "No model endpoint is configured: no API key was given."
                        : $"No API key for {DescribeHost(settings.EffectiveEndpoint)}.");
                settings.ApiKey = LocalPlaceholderKey;
                settings.KeySource = "none (local endpoint)";
            }

            if (settings.Model == null)
            {
                if (settings.Endpoint == null || settings.EffectiveEndpoint.Host.Equals(OpenAIEndpoint.Host, StringComparison.OrdinalIgnoreCase))
                {
                    settings.Model = ModelCatalog.DefaultOpenAIModel;
                    settings.ModelSource = "default";
                }
                else if (preview)
                {
                    settings.NotConfigured = settings.NotConfigured == null ? "no model is set" : settings.NotConfigured + ", and no model is set";
                }
                else
                {
                    throw new SkillForgeException(ErrorIds.DistillNotConfigured, FailureCategory.InvalidArgument,
                        $"No model is set for {DescribeHost(settings.EffectiveEndpoint)}. Give -Model (e.g. -Model llama3.1; for Azure OpenAI the deployment name), " +
                        $"run Set-SkillForgeContext -Model <name>, or set $env:{ModelVariable}. Use -Offline to distill without a model.");
                }
            }
            return settings;
        }

        /// <summary>The session defaults as Get-SkillForgeContext shows them: context first, then environment, key masked.</summary>
        public static DistillationContext Describe(DistillationOptions? context, IDictionary<string, string?>? environment)
        {
            context ??= new DistillationOptions();
            environment ??= new Dictionary<string, string?>();
            Pick(null, context.Model, Env(environment, ModelVariable), ModelVariable, out string? model, out _);
            Pick(null, context.ApiKey, Env(environment, ApiKeyVariable), ApiKeyVariable, out string? key, out string keySource);
            Uri? endpoint = context.Endpoint;
            if (endpoint == null && Env(environment, BaseUrlVariable) is string text && Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed))
            {
                // Shown as Invoke-SkillDistillation would use it; a value it would reject is shown as given.
                try { endpoint = NormalizeEndpoint(parsed, "$env:" + BaseUrlVariable); }
                catch (SkillForgeException)
                {
                    // Shown as given, except for any "user:key@" in it.
                    endpoint = string.IsNullOrEmpty(parsed.UserInfo) ? parsed : new UriBuilder(parsed) { UserName = "", Password = "" }.Uri;
                }
            }
            return new DistillationContext
            {
                Model = model,
                Endpoint = endpoint,
                KeySource = keySource,
                MaskedKey = ApiKeyMask.Mask(key),
                TimeoutSec = context.TimeoutSec ?? DistillationSettings.DefaultTimeoutSec,
                MaxRetryCount = context.MaxRetryCount ?? DistillationSettings.DefaultMaxRetryCount,
                Temperature = context.Temperature ?? DistillationSettings.DefaultTemperature,
                MaxOutputTokens = context.MaxOutputTokens ?? DistillationSettings.DefaultMaxOutputTokens,
                ThrottleLimit = context.ThrottleLimit ?? DistillationSettings.DefaultThrottleLimit,
            };
        }

        /// <summary>127.0.0.1, ::1, localhost (and *.localhost), or Ollama's port 11434: servers that need no key.</summary>
        public static bool IsLocalEndpoint(Uri endpoint)
        {
            if (endpoint == null) return false;
            string host = endpoint.IsAbsoluteUri ? endpoint.Host.Trim('[', ']') : "";
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
            if (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip)) return true;
            return endpoint.IsAbsoluteUri && endpoint.Port == 11434;
        }

        /// <summary>Host, plus the port when it is not the scheme's default.</summary>
        public static string DescribeHost(Uri endpoint) =>
            endpoint.IsAbsoluteUri ? (endpoint.IsDefaultPort ? endpoint.Host : endpoint.Host + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture)) : endpoint.ToString();

        /// <summary>Checks that an endpoint is an absolute http(s) URL without query or credentials, and drops a trailing slash.</summary>
        public static Uri NormalizeEndpoint(Uri endpoint, string what)
        {
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                throw InvalidEndpoint(endpoint.OriginalString, what);
            if (!string.IsNullOrEmpty(endpoint.UserInfo))
                throw new SkillForgeException(ErrorIds.DistillInvalidEndpoint, FailureCategory.InvalidArgument,
                    $"{what} must not carry credentials in the URL. Give the key with -ApiKey instead.", endpoint.Host);
            string text = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new Uri(text, UriKind.Absolute);
        }

        public static Uri ParseEndpoint(string text, string what)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)) throw InvalidEndpoint(text, what);
            return NormalizeEndpoint(uri, what);
        }

        private static SkillForgeException InvalidEndpoint(string text, string what)
        {
            // A rejected URL may still carry "user:key@" before its host: never repeat that part.
            string shown = WithoutCredentials(text);
            return new SkillForgeException(ErrorIds.DistillInvalidEndpoint, FailureCategory.InvalidArgument,
                $"{what} '{TextUtil.Truncate(shown, 200)}' is not an http or https base URL. Give the API base URL, e.g. http://127.0.0.1:11434/v1, " +
                "https://api.openai.com/v1 or https://<resource>.openai.azure.com/openai/v1/.", shown);
        }

        /// <summary>The URL text with anything between "//" and the host's "@" replaced by "****".</summary>
        internal static string WithoutCredentials(string text)
        {
            int scheme = text.IndexOf("//", StringComparison.Ordinal);
            int authority = scheme < 0 ? 0 : scheme + 2;
            int end = text.IndexOfAny(new[] { '/', '?', '#' }, authority);
            int at = text.LastIndexOf('@', end < 0 ? text.Length - 1 : end - 1);
            if (at < authority) return text;
            return text.Substring(0, authority) + "****" + text.Substring(at);
        }

        private static SkillForgeException NotConfigured(string what) =>
            new SkillForgeException(ErrorIds.DistillNotConfigured, FailureCategory.InvalidArgument,
                what + " Do one of: give -ApiKey (and -Model, -Endpoint for another server); run Set-SkillForgeContext -ApiKey <key> -Model <name> " +
                $"once per session; set $env:{ApiKeyVariable} (and $env:{BaseUrlVariable}, $env:{ModelVariable}); point -Endpoint at a local server " +
                "such as Ollama (http://127.0.0.1:11434/v1, no key needed); pass -ChatClient; or use -Offline for the built-in extractive distiller.");

        private static string? Env(IDictionary<string, string?> environment, string name) =>
            environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value!.Trim() : null;

        private static void Pick(string? parameter, string? context, string? environment, string variable, out string? value, out string source)
        {
            if (!string.IsNullOrWhiteSpace(parameter)) { value = parameter!.Trim(); source = "parameter"; }
            else if (!string.IsNullOrWhiteSpace(context)) { value = context!.Trim(); source = "context"; }
            else if (!string.IsNullOrWhiteSpace(environment)) { value = environment; source = variable; }
            else { value = null; source = "none"; }
        }
    }
}

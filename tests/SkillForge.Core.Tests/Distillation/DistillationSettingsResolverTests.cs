using System;
using System.Collections.Generic;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class DistillationSettingsResolverTests
    {
        private static Dictionary<string, string?> Env(string? key = null, string? baseUrl = null, string? model = null) => new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = key,
            ["OPENAI_BASE_URL"] = baseUrl,
            ["SKILLFORGE_MODEL"] = model,
        };

        [Fact]
        public void Parameters_win_over_context_and_context_over_environment()
        {
            var parameters = new DistillationOptions { Model = "param-model", ApiKey = "param-key-0123456789abcd", TimeoutSec = 7 };
            var context = new DistillationOptions { Model = "ctx-model", Endpoint = new Uri("https://ctx.example.com/v1/"), ApiKey = "ctx-key", TimeoutSec = 9, MaxRetryCount = 5, Temperature = 0.9f };
            var env = Env("env-key", "https://env.example.com/v1", "env-model");

            var s = DistillationSettingsResolver.Resolve(parameters, context, env);
            Assert.Equal("param-model", s.Model);
            Assert.Equal("parameter", s.ModelSource);
            Assert.Equal("param-key-0123456789abcd", s.ApiKey);
            Assert.Equal("parameter", s.KeySource);
            Assert.Equal(new Uri("https://ctx.example.com/v1"), s.Endpoint);
            Assert.Equal("context", s.EndpointSource);
            Assert.Equal(7, s.TimeoutSec);
            Assert.Equal(5, s.MaxRetryCount);
            Assert.Equal(0.9f, s.Temperature);
            Assert.Equal(DistillationSettings.DefaultMaxOutputTokens, s.MaxOutputTokens);
            Assert.Equal("ctx.example.com", s.EndpointHost);

            var fromContext = DistillationSettingsResolver.Resolve(null, context, env);
            Assert.Equal("ctx-model", fromContext.Model);
            Assert.Equal("ctx-key", fromContext.ApiKey);
            Assert.Equal("context", fromContext.KeySource);

            var fromEnv = DistillationSettingsResolver.Resolve(null, null, env);
            Assert.Equal("env-model", fromEnv.Model);
            Assert.Equal("SKILLFORGE_MODEL", fromEnv.ModelSource);
            Assert.Equal("env-key", fromEnv.ApiKey);
            Assert.Equal("OPENAI_API_KEY", fromEnv.KeySource);
            Assert.Equal(new Uri("https://env.example.com/v1"), fromEnv.Endpoint);
            Assert.Equal("OPENAI_BASE_URL", fromEnv.EndpointSource);
            Assert.Equal(DistillationSettings.DefaultTimeoutSec, fromEnv.TimeoutSec);
            Assert.Equal(0.3f, fromEnv.Temperature);
        }

        [Fact]
        public void Nothing_configured_is_a_NotConfigured_error_that_names_every_option()
        {
            var e = Assert.Throws<SkillForgeException>(() => DistillationSettingsResolver.Resolve(null, null, Env()));
            Assert.Equal(ErrorIds.DistillNotConfigured, e.ErrorId);
            foreach (var option in new[] { "-ApiKey", "Set-SkillForgeContext", "$env:OPENAI_API_KEY", "$env:OPENAI_BASE_URL", "-Endpoint", "-Offline", "-ChatClient" })
                Assert.Contains(option, e.Message);
            // Invoke-SkillCrystallization resolves its settings the same way: the message names no one cmdlet.
            Assert.DoesNotContain("Invoke-SkillDistillation", e.Message);
        }

        [Theory]
        [InlineData("http://127.0.0.1:11434/v1")]
        [InlineData("http://localhost:8080/v1")]
        [InlineData("http://[::1]:1234/v1")]
        [InlineData("http://gpu-box.lan:11434/v1")]
        public void A_local_endpoint_needs_no_key(string endpoint)
        {
            var s = DistillationSettingsResolver.Resolve(new DistillationOptions { Endpoint = new Uri(endpoint), Model = "Llama3.1:8B" }, null, Env());
            Assert.Equal(DistillationSettingsResolver.LocalPlaceholderKey, s.ApiKey);
            Assert.StartsWith("none", s.KeySource);
            Assert.Equal("Llama3.1:8B", s.Model);
        }

        [Fact]
        public void A_remote_endpoint_without_a_model_is_NotConfigured_but_OpenAI_gets_a_default()
        {
            var e = Assert.Throws<SkillForgeException>(() => DistillationSettingsResolver.Resolve(
                new DistillationOptions { Endpoint = new Uri("https://myres.openai.azure.com/openai/v1/"), ApiKey = "k" }, null, Env()));
            Assert.Equal(ErrorIds.DistillNotConfigured, e.ErrorId);
            Assert.Contains("-Model", e.Message);

            var s = DistillationSettingsResolver.Resolve(null, null, Env(key: "sk-abc"));
            Assert.Equal(ModelCatalog.DefaultOpenAIModel, s.Model);
            Assert.Equal("default", s.ModelSource);
            Assert.Equal("api.openai.com", s.EndpointHost);
        }

        [Fact]
        public void Azure_v1_endpoint_keeps_its_path_without_the_trailing_slash()
        {
            var s = DistillationSettingsResolver.Resolve(
                new DistillationOptions { Endpoint = new Uri("https://myres.openai.azure.com/openai/v1/"), ApiKey = "azure-key", Model = "my-deployment" }, null, Env());
            Assert.Equal("https://myres.openai.azure.com/openai/v1", s.Endpoint!.AbsoluteUri);
            Assert.Equal("myres.openai.azure.com", s.EndpointHost);
        }

        [Theory]
        [InlineData("ftp://example.com/v1")]
        [InlineData("not a url")]
        public void A_bad_base_url_in_the_environment_is_InvalidEndpoint(string value)
        {
            var e = Assert.Throws<SkillForgeException>(() => DistillationSettingsResolver.Resolve(null, null, Env("k", value, "m")));
            Assert.Equal(ErrorIds.DistillInvalidEndpoint, e.ErrorId);
            Assert.Contains("OPENAI_BASE_URL", e.Message);
        }

        [Theory]
        [InlineData("ftp://me:sk-secret-0123456789@example.com/v1")]
        [InlineData("htps://me:sk-secret-0123456789@example.com")]
        [InlineData("me:sk-secret-0123456789@example.com/v1")]
        public void A_rejected_base_url_never_repeats_its_credentials(string value)
        {
            var e = Assert.Throws<SkillForgeException>(() => DistillationSettingsResolver.Resolve(null, null, Env("k", value, "m")));
            Assert.Equal(ErrorIds.DistillInvalidEndpoint, e.ErrorId);
            Assert.DoesNotContain("sk-secret", e.Message);
            Assert.DoesNotContain("sk-secret", e.Target?.ToString() ?? "");
            Assert.Contains("example.com", e.Message);
        }

        [Fact]
        public void The_session_view_of_a_base_url_with_credentials_leaves_them_out()
        {
            var shown = DistillationSettingsResolver.Describe(null, Env(null, "https://me:sk-secret-0123456789@example.com/v1", null));
            Assert.NotNull(shown.Endpoint);
            Assert.DoesNotContain("sk-secret", shown.Endpoint!.ToString());
            Assert.Equal("example.com", shown.Endpoint.Host);
        }

        [Fact]
        public void A_preview_with_nothing_configured_says_what_is_missing_instead_of_failing()
        {
            var s = DistillationSettingsResolver.Resolve(new DistillationOptions { Model = "gpt-4.1" }, null, Env(), preview: true);
            Assert.Equal("gpt-4.1", s.Model);
            Assert.Null(s.ApiKey);
            Assert.Equal("api.openai.com", s.EndpointHost);
            Assert.Contains("no API key for api.openai.com", s.NotConfigured);

            var noModel = DistillationSettingsResolver.Resolve(new DistillationOptions { Endpoint = new Uri("https://models.example.com/v1") }, null, Env(), preview: true);
            Assert.Contains("no API key", noModel.NotConfigured);
            Assert.Contains("no model is set", noModel.NotConfigured);

            // Configured settings are the same with or without the preview.
            var configured = DistillationSettingsResolver.Resolve(null, null, Env(key: "sk-0123456789abcdef"), preview: true);
            Assert.Null(configured.NotConfigured);
            Assert.Equal(ModelCatalog.DefaultOpenAIModel, configured.Model);
        }

        [Fact]
        public void Offline_needs_nothing()
        {
            var s = DistillationSettingsResolver.Resolve(new DistillationOptions { Offline = true }, null, Env());
            Assert.True(s.Offline);
            Assert.Equal("offline", s.EndpointHost);
            Assert.Null(s.ApiKey);
        }

        [Fact]
        public void A_chat_client_needs_no_key_or_endpoint()
        {
            var s = DistillationSettingsResolver.Resolve(new DistillationOptions { ChatClient = new object() }, null, Env());
            Assert.NotNull(s.ChatClient);
            Assert.Null(s.ApiKey);
        }

        [Fact]
        public void Describe_shows_the_session_defaults_with_the_key_masked()
        {
            const string key = "sk-proj-0123456789abcdefWXYZ";
            var c = DistillationSettingsResolver.Describe(new DistillationOptions { Model = "gpt-4.1", ApiKey = key, ThrottleLimit = 8 }, Env(baseUrl: "http://127.0.0.1:1/v1"));
            Assert.Equal("gpt-4.1", c.Model);
            Assert.Equal("context", c.KeySource);
            Assert.Equal("****WXYZ", c.MaskedKey);
            Assert.Equal(8, c.ThrottleLimit);
            Assert.Equal(new Uri("http://127.0.0.1:1/v1"), c.Endpoint);

            var fromEnv = DistillationSettingsResolver.Describe(null, Env(key: "short"));
            Assert.Equal("OPENAI_API_KEY", fromEnv.KeySource);
            Assert.Equal("****", fromEnv.MaskedKey);
            var none = DistillationSettingsResolver.Describe(null, Env());
            Assert.Equal("none", none.KeySource);
            Assert.Equal("", none.MaskedKey);
        }

        [Fact]
        public void Masking_and_scrubbing_never_reveal_more_than_four_characters()
        {
            const string key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";
            Assert.Equal("****6789", ApiKeyMask.Mask(key));
            Assert.Equal("****", ApiKeyMask.Mask("abc"));
            Assert.Equal("", ApiKeyMask.Mask(null));
            string scrubbed = ApiKeyMask.Scrub($"bad key {key}; also sk-proj-abcdefgh... and ...stuvwxyz0123456789", key);
            Assert.DoesNotContain(key, scrubbed);
            Assert.DoesNotContain("abcdefgh", scrubbed);
            Assert.DoesNotContain("stuvwxyz", scrubbed);
        }
    }
}

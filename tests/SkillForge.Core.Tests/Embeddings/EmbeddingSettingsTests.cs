using System;
using System.Collections.Generic;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Embeddings;
using Xunit;

namespace SkillForge.Tests.Embeddings
{
    public class EmbeddingSettingsTests
    {
        private static Dictionary<string, string?> Env(params (string Name, string Value)[] values)
        {
            var env = new Dictionary<string, string?>();
            foreach (var (name, value) in values) env[name] = value;
            return env;
        }

        [Fact]
        public void The_local_model_is_the_default_even_when_a_chat_endpoint_is_configured()
        {
            var s = EmbeddingSettingsResolver.Resolve(null, new DistillationOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") },
                Env(("OPENAI_API_KEY", "sk-x"), ("OPENAI_BASE_URL", "https://api.openai.com/v1")));
            Assert.True(s.Local);
            Assert.Equal(EmbeddingModelCatalog.LocalModel, s.Model);
            Assert.Equal("default", s.ModelSource);
        }

        [Fact]
        public void A_remote_model_takes_the_sessions_endpoint_and_key_before_the_environment()
        {
            var s = EmbeddingSettingsResolver.Resolve(new EmbeddingOptions { Model = "nomic-embed-text" },
                new DistillationOptions { Endpoint = new Uri("http://127.0.0.1:11434/v1/"), ApiKey = "sk-context" },
                Env(("OPENAI_API_KEY", "sk-env"), ("OPENAI_BASE_URL", "https://example.invalid/v1")));
            Assert.False(s.Local);
            Assert.Equal("http://127.0.0.1:11434/v1", s.EffectiveEndpoint.AbsoluteUri.TrimEnd('/'));
            Assert.Equal("context", s.EndpointSource);
            Assert.Equal("sk-context", s.ApiKey);
            Assert.Equal("context", s.KeySource);
        }

        [Fact]
        public void Parameters_win_over_the_embedding_variables()
        {
            var s = EmbeddingSettingsResolver.Resolve(new EmbeddingOptions { Model = "m-param", Endpoint = new Uri("http://localhost:5000/v1") }, null,
                Env((EmbeddingSettingsResolver.ModelVariable, "m-env"), (EmbeddingSettingsResolver.EndpointVariable, "http://127.0.0.1:6000/v1")));
            Assert.Equal("m-param", s.Model);
            Assert.Equal("parameter", s.ModelSource);
            Assert.Equal(5000, s.EffectiveEndpoint.Port);
            Assert.Equal("none (local endpoint)", s.KeySource);
        }

        [Fact]
        public void The_embedding_variables_name_an_endpoint_and_model()
        {
            var s = EmbeddingSettingsResolver.Resolve(null, null,
                Env((EmbeddingSettingsResolver.ModelVariable, "m-env"), (EmbeddingSettingsResolver.EndpointVariable, "http://127.0.0.1:6000/v1")));
            Assert.Equal("m-env", s.Model);
            Assert.Equal(EmbeddingSettingsResolver.ModelVariable, s.ModelSource);
            Assert.Equal(EmbeddingSettingsResolver.EndpointVariable, s.EndpointSource);
        }

        [Fact]
        public void OpenAI_gets_its_default_model_and_needs_a_key()
        {
            var s = EmbeddingSettingsResolver.Resolve(new EmbeddingOptions { Endpoint = new Uri("https://api.openai.com/v1") }, null, Env(("OPENAI_API_KEY", "sk-env")));
            Assert.Equal(EmbeddingModelCatalog.DefaultOpenAIModel, s.Model);
            var e = Assert.Throws<SkillForgeException>(() =>
                EmbeddingSettingsResolver.Resolve(new EmbeddingOptions { Endpoint = new Uri("https://api.openai.com/v1") }, null, Env()));
            Assert.Equal(ErrorIds.EmbeddingNotConfigured, e.ErrorId);
        }

        [Fact]
        public void Another_endpoint_without_a_model_is_an_error_that_names_the_parameter()
        {
            var e = Assert.Throws<SkillForgeException>(() =>
                EmbeddingSettingsResolver.Resolve(new EmbeddingOptions { Endpoint = new Uri("http://127.0.0.1:11434/v1") }, null, Env()));
            Assert.Equal(ErrorIds.EmbeddingNotConfigured, e.ErrorId);
            Assert.Contains("-EmbeddingModel", e.Message);
        }

        [Fact]
        public void Describe_masks_the_key()
        {
            var s = EmbeddingSettingsResolver.Resolve(new EmbeddingOptions { Model = "m", Endpoint = new Uri("https://example.com/v1"), ApiKey = "sk-abcdefghijklmnopqrstuvwxyz" }, null, Env());
            Assert.DoesNotContain("abcdefgh", s.Describe());
            Assert.Contains("wxyz", s.Describe());
        }

        [Theory]
        [InlineData("all-MiniLM-L6-v2", 0.47)]
        [InlineData("ALL-minilm-l6-v2", 0.47)]
        [InlineData("text-embedding-3-small", 0.85)]
        [InlineData(null, 0.85)]
        public void Thresholds_are_per_model(string? model, double expected) =>
            Assert.Equal(expected, EmbeddingModelCatalog.DefaultThreshold(model));
    }
}

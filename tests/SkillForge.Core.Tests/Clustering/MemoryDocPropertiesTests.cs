using System.Collections.Generic;
using SkillForge.Clustering;
using SkillForge.Diagnostics;
using Xunit;

namespace SkillForge.Tests.Clustering
{
    public class MemoryDocPropertiesTests
    {
        private static MemoryDoc From(params (string Name, object? Value)[] properties)
        {
            var list = new List<KeyValuePair<string, object?>>();
            foreach (var (name, value) in properties) list.Add(new KeyValuePair<string, object?>(name, value));
            return MemoryDocProperties.FromProperties(list);
        }

        [Theory]
        [InlineData("access_count")]
        [InlineData("accessCount")]
        [InlineData("AccessCount")]
        [InlineData("ACCESS-COUNT")]
        public void Names_match_in_any_casing_style(string name)
        {
            var doc = From(("ID", "m1"), ("text", "hello"), (name, 42L));
            Assert.Equal(42, doc.AccessCount);
            Assert.Equal("m1", doc.Id);
            Assert.Equal("hello", doc.Text);
        }

        [Fact]
        public void Values_from_ConvertFrom_Json_and_Import_Csv_are_read()
        {
            var json = From(("id", 17L), ("text", "t"), ("tier", "working"), ("scope", "infra"), ("tags", new List<object?> { "a", "crystallized" }),
                ("kind", "fact"), ("access_count", 3.0), ("embedding", new List<object?> { 0.5, 1L, 0.25m }));
            Assert.Equal("17", json.Id);
            Assert.Equal("working", json.Tier);
            Assert.Equal("infra", json.Scope);
            Assert.Equal(new[] { "a", "crystallized" }, json.Tags);
            Assert.True(json.HasTag("crystallized"));
            Assert.Equal("fact", json.Kind);
            Assert.Equal(3, json.AccessCount);
            Assert.Equal(new[] { 0.5f, 1f, 0.25f }, json.Embedding);

            var csv = From(("Id", "m2"), ("Text", "t"), ("Tags", "a, b;c"), ("AccessCount", "12"), ("Embedding", "[0.1, 0.2]"), ("Tier", ""));
            Assert.Equal(new[] { "a", "b", "c" }, csv.Tags);
            Assert.Equal(12, csv.AccessCount);
            Assert.Equal(new[] { 0.1f, 0.2f }, csv.Embedding);
            Assert.Equal("Core", csv.Tier);
        }

        [Fact]
        public void Missing_tier_is_core_and_missing_optional_values_are_empty()
        {
            var doc = From(("id", "x"), ("text", ""));
            Assert.Equal("Core", doc.Tier);
            Assert.Equal("", doc.Scope);
            Assert.Empty(doc.Tags);
            Assert.Null(doc.Embedding);
            Assert.Equal(0, doc.AccessCount);
        }

        [Theory]
        [InlineData(null, "text")]
        [InlineData("", "text")]
        [InlineData("x", null)]
        public void An_object_without_Id_or_Text_is_invalid_input(string? id, string? text)
        {
            var properties = new List<(string, object?)>();
            if (id != null) properties.Add(("Id", id));
            if (text != null) properties.Add(("Text", text));
            var e = Assert.Throws<SkillForgeException>(() => From(properties.ToArray()));
            Assert.Equal(ErrorIds.ClusterInvalidInput, e.ErrorId);
            Assert.Equal(FailureCategory.InvalidData, e.Category);
        }

        [Fact]
        public void Unreadable_numbers_are_invalid_input()
        {
            Assert.Equal(ErrorIds.ClusterInvalidInput, Assert.Throws<SkillForgeException>(() => From(("Id", "x"), ("Text", "t"), ("AccessCount", "many"))).ErrorId);
            Assert.Equal(ErrorIds.ClusterInvalidInput, Assert.Throws<SkillForgeException>(() => From(("Id", "x"), ("Text", "t"), ("Embedding", "0.1,abc"))).ErrorId);
        }

        [Fact]
        public void Number_tags_read_the_same_in_every_culture()
        {
            var saved = System.Globalization.CultureInfo.CurrentCulture;
            try
            {
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
                var list = From(("Id", "m1"), ("Text", "t"), ("Tags", new object?[] { 1.5, "x", null, 2 }));
                Assert.Equal(new[] { "1.5", "x", "2" }, list.Tags);
                var one = From(("Id", "m2"), ("Text", "t"), ("Tags", 0.25));
                Assert.Equal(new[] { "0.25" }, one.Tags);
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = saved;
            }
        }
    }
}

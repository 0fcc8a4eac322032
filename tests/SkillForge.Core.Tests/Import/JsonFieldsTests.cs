using System.Text.Json;
using SkillForge.Import;
using Xunit;

namespace SkillForge.Tests.Import
{
    public class JsonFieldsTests
    {
        [Theory]
        [InlineData("access_count", "accesscount")]
        [InlineData("accessCount", "accesscount")]
        [InlineData("AccessCount", "accesscount")]
        [InlineData("access-count", "accesscount")]
        [InlineData("_id", "id")]
        [InlineData("Übung_Zähler", "Übungzähler")]
        public void Normalize_lowercases_ascii_and_drops_separators(string name, string expected) =>
            Assert.Equal(expected, JsonFields.Normalize(name));

        [Theory]
        [InlineData("access_count", "AccessCount", true)]
        [InlineData("accessCount", "access-count", true)]
        [InlineData("created_at", "createdAt", true)]
        [InlineData("access_count", "accessCounts", false)]
        [InlineData("", "_", true)]
        [InlineData("id", "ids", false)]
        public void NamesMatch_compares_normalised_names(string a, string b, bool expected) =>
            Assert.Equal(expected, JsonFields.NamesMatch(a, b));

        [Fact]
        public void TryGet_finds_the_field_in_any_style_and_prefers_earlier_names()
        {
            using var doc = JsonDocument.Parse("{\"Content\":\"alias\",\"AccessCount\":4,\"TEXT\":\"canonical\",\"gone\":null}");
            var root = doc.RootElement;

            Assert.True(JsonFields.TryGet(root, out var count, "access_count"));
            Assert.Equal(4, count.GetInt32());
            Assert.True(JsonFields.TryGet(root, out var text, "text", "content"));
            Assert.Equal("canonical", text.GetString());
            Assert.True(JsonFields.TryGet(root, out var content, "body", "content"));
            Assert.Equal("alias", content.GetString());
            Assert.False(JsonFields.TryGet(root, out _, "gone"));
            Assert.False(JsonFields.TryGet(root, out _, "missing"));
        }

        [Fact]
        public void GetString_returns_strings_numbers_and_booleans_as_text()
        {
            using var doc = JsonDocument.Parse("{\"id\":1042,\"name\":\"n\",\"ok\":true,\"list\":[1]}");
            Assert.Equal("1042", JsonFields.GetString(doc.RootElement, "ID"));
            Assert.Equal("n", JsonFields.GetString(doc.RootElement, "Name"));
            Assert.Equal("true", JsonFields.GetString(doc.RootElement, "ok"));
            Assert.Null(JsonFields.GetString(doc.RootElement, "list"));
            Assert.Null(JsonFields.GetString(doc.RootElement, "absent"));
        }

        [Fact]
        public void TryGet_on_a_non_object_finds_nothing()
        {
            using var doc = JsonDocument.Parse("[1,2]");
            Assert.False(JsonFields.TryGet(doc.RootElement, out _, "id"));
        }
    }
}

using SkillForge.IO;
using System.Text.Json;
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

namespace SkillForge.Tests.Import
{
    public class Iso8601FastPathTests
    {
        [Theory]
        [InlineData("2025-03-04T05:06:07Z")]
        [InlineData("2025-03-04T05:06:07")]
        [InlineData("2025-03-04 05:06:07")]
        [InlineData("2025-03-04T05:06:07.1Z")]
        [InlineData("2025-03-04T05:06:07.123456789Z")]
        [InlineData("2025-03-04T07:06:07+02:00")]
        [InlineData("2025-03-04T01:36:07-0330")]
        [InlineData("2024-02-29T23:59:59.9999999+14:00")]
        [InlineData("0001-01-01T00:00:00Z")]
        public void Agrees_with_DateTimeOffset_TryParse(string text)
        {
            Assert.True(SkillForge.Import.Formats.SkillForgeRecordMapper.TryParseIso8601(System.Text.Encoding.ASCII.GetBytes(text), out var fast));
            Assert.True(System.DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var slow));
            Assert.Equal(slow, fast);
            Assert.Equal(slow.Offset, fast.Offset);
        }

        [Theory]
        [InlineData("2025-02-29T05:06:07Z")]
        [InlineData("2025-13-04T05:06:07Z")]
        [InlineData("2025-03-04T24:06:07Z")]
        [InlineData("2025-03-04T05:06:60Z")]
        [InlineData("2025-03-04")]
        [InlineData("2025-03-04T05:06:07.Z")]
        [InlineData("2025-03-04T05:06:07+2:00")]
        [InlineData("2025-03-04T05:06:07 UTC")]
        [InlineData("0001-01-01T00:00:00+01:00")]
        [InlineData("2025-03-04T05:06:07+14:30")]
        [InlineData("2025-03-04T05:06:07-1445")]
        public void Leaves_other_shapes_to_the_general_parser(string text) =>
            Assert.False(SkillForge.Import.Formats.SkillForgeRecordMapper.TryParseIso8601(System.Text.Encoding.ASCII.GetBytes(text), out _));
    }
}

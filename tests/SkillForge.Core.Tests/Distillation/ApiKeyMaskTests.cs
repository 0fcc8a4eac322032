using System;
using System.Text;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class ApiKeyMaskTests
    {
        private const string Key = "sk-test-Ab3dEf6hIj9kLm2nOp5q";

        [Theory]
        [InlineData("as written: {0}")]
        [InlineData("upper-cased: {1}")]
        [InlineData("spaced out: {2}")]
        [InlineData("base64: {3}")]
        [InlineData("basic auth header: Basic {4}")]
        [InlineData("url-safe base64 after a prefix: {5}")]
        public void Scrub_hides_the_key_however_a_server_echoes_it(string format)
        {
            string spaced = string.Join(" ", Key.ToCharArray());
            string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key));
            string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Key));
            string urlSafe = Convert.ToBase64String(Encoding.UTF8.GetBytes("Bearer " + Key)).Replace('+', '-').Replace('/', '_');
            string text = string.Format(format, Key, Key.ToUpperInvariant(), spaced, base64, basic, urlSafe);

            string scrubbed = ApiKeyMask.Scrub(text, Key);

            Assert.DoesNotContain("Ab3dEf6h", scrubbed, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("A b 3 d E f", scrubbed, StringComparison.OrdinalIgnoreCase);
            // No long run of the key's base64 survives either.
            string b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key));
            for (int i = 4; i + 12 <= b64.Length - 4; i++) Assert.DoesNotContain(b64.Substring(i, 12), scrubbed);
            Assert.StartsWith(format.Substring(0, format.IndexOf('{')), scrubbed);
        }

        [Fact]
        public void Scrub_leaves_other_text_alone()
        {
            Assert.Equal("The server had an error.", ApiKeyMask.Scrub("The server had an error.", Key));
        }
    }
}

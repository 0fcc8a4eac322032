using SkillForge.Clustering;
using Xunit;

namespace SkillForge.Tests
{
    public class FingerprintTests
    {
        [Fact]
        public void Fingerprint_is_order_invariant_and_distinguishes_sets()
        {
            var a = ClusterFingerprint.Compute(new[] { "doc-1", "doc-2", "doc-3" });
            var b = ClusterFingerprint.Compute(new[] { "doc-3", "doc-1", "doc-2" });
            var c = ClusterFingerprint.Compute(new[] { "doc-1", "doc-2", "doc-4" });
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
            Assert.Equal(64, a.Length);
        }

        [Fact]
        public void Fingerprint_is_stable_across_processes()
        {
            // Pinned value: a change here breaks every ledger users already have.
            Assert.Equal(TextUtil.Sha256Hex("1:a\n1:b\n"), ClusterFingerprint.Compute(new[] { "b", "a" }));
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SkillForge.Clustering
{
    /// <summary>The stable identity of a set of memory docs.</summary>
    public static class ClusterFingerprint
    {
        /// <summary>
        /// SHA-256 (lower-case hex) of the ordinal-sorted, de-duplicated ids, each prefixed by its length
        /// so that no two different id sets share a preimage. Same result in every process and on every machine.
        /// </summary>
        public static string Compute(IEnumerable<string> ids)
        {
            var sorted = ids.Distinct(StringComparer.Ordinal).OrderBy(id => id, StringComparer.Ordinal);
            var sb = new StringBuilder();
            foreach (var id in sorted) sb.Append(id.Length).Append(':').Append(id).Append('\n');
            return TextUtil.Sha256Hex(sb.ToString());
        }
    }
}

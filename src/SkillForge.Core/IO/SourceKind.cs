using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.Traces;

namespace SkillForge.IO
{
    /// <summary>
    /// Tells a memory export from a trace, so each import refuses the other's files with the cmdlet that reads them,
    /// instead of turning 211 memories into 211 trace events of kind 'procedure'. Both SkillForge formats are JSON
    /// records with a "kind" field; a trace record also carries what an agent did (trace_id, action_id, tool, data,
    /// timestamp), a memory record only what it remembers (a text, with a tier, scope or access count).
    /// </summary>
    public static class SourceKind
    {
        private static readonly string[] TraceFields =
        {
            TraceFieldNames.TraceId, TraceFieldNames.ActionId, TraceFieldNames.Tool, TraceFieldNames.Data, TraceFieldNames.Timestamp,
        };

        private static readonly string[] MemoryFields = { "text", "tier", "scope", "accesscount" };

        /// <summary>True when the sample's first record is a memory (fields of a memory, none of a trace).</summary>
        public static bool LooksLikeMemoryExport(SourceSample sample)
        {
            var fields = FirstRecordFields(sample);
            return fields.Contains("text") && fields.Intersect(MemoryFields).Count() >= 2 && !fields.Intersect(TraceFields).Any();
        }

        /// <summary>
        /// Import-Trace's error for a file Auto took for a SkillForge trace that is a memory export, or null.
        /// </summary>
        public static SkillForgeException? MemoryExportGivenToImportTrace(SourceSample sample, string path)
        {
            if (!LooksLikeMemoryExport(sample)) return null;
            return new SkillForgeException(ErrorIds.TraceIsMemoryExport, FailureCategory.InvalidData,
                $"'{path}' is a memory export (records with a text, tier and scope), not a trace, so no events were read from it. " +
                "Read it with Import-MemoryExport; if it really is a trace, name the format with -Format.", path);
        }

        /// <summary>Import-MemoryExport's error for a file no memory format took that is a trace, or null.</summary>
        public static SkillForgeException? TraceGivenToImportMemoryExport(SourceSample sample, string path)
        {
            var trace = TraceReader.Detect(sample);
            if (trace == null) return null;
            return new SkillForgeException(ErrorIds.ImportIsTrace, FailureCategory.InvalidData,
                $"'{path}' is a trace ({trace.Format} format), not a memory export, so no memory docs were read from it. " +
                "Read it with Import-Trace (then Split-Trace and New-DistillPrompt).", path);
        }

        /// <summary>The top-level field names (normalised) of the first record the sample shows; empty when none parses.</summary>
        internal static HashSet<string> FirstRecordFields(SourceSample sample)
        {
            var fields = new HashSet<string>(StringComparer.Ordinal);
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(sample.Head));
            var records = new JsonRecordReader(stream, SkillForgeWrapperNames, null, CancellationToken.None) { CheckLines = false };
            while (records.MoveNext())
            {
                if (records.Error != null)
                {
                    if (records.Error.EndsInput) break;
                    continue;
                }
                try
                {
                    using var doc = JsonDocument.Parse(records.RecordMemory);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) return fields;
                    foreach (var property in doc.RootElement.EnumerateObject()) fields.Add(TraceFieldNames.Normalize(property.Name));
                }
                catch (JsonException)
                {
                    continue;
                }
                return fields;
            }
            return fields;
        }

        // The wrappers either SkillForge format may use around its records.
        private static readonly string[] SkillForgeWrapperNames = { "memories", "docs", "items", TraceFieldNames.Events };
    }
}

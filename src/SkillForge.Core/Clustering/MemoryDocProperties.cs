using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SkillForge.Diagnostics;

namespace SkillForge.Clustering
{
    /// <summary>
    /// Builds a MemoryDoc from any property bag (an object from ConvertFrom-Json or Import-Csv, a hashtable),
    /// matching names in PascalCase, camelCase or snake_case (AccessCount, accessCount, access_count).
    /// </summary>
    public static class MemoryDocProperties
    {
        private static readonly Dictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "Id", ["docid"] = "Id", ["memoryid"] = "Id",
            ["text"] = "Text", ["content"] = "Text",
            ["tier"] = "Tier",
            ["scope"] = "Scope",
            ["tags"] = "Tags",
            ["kind"] = "Kind",
            ["accesscount"] = "AccessCount",
            ["embedding"] = "Embedding",
            ["embeddingmodel"] = "EmbeddingModel",
            ["createdat"] = "CreatedAt",
            ["sourcefile"] = "SourceFile",
            ["sourceline"] = "SourceLine",
        };

        /// <summary>
        /// The doc the properties describe. Values may be strings, numbers, or sequences (tags, embedding);
        /// a comma- or semicolon-separated string also gives tags, and "[0.1, 0.2]" or "0.1,0.2" an embedding.
        /// Tier defaults to Core. Throws SkillForgeException (ErrorIds.ClusterInvalidInput) when Id or Text is
        /// missing or a value cannot be read.
        /// </summary>
        public static MemoryDoc FromProperties(IEnumerable<KeyValuePair<string, object?>> properties)
        {
            if (properties == null) throw new ArgumentNullException(nameof(properties));
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var p in properties)
            {
                if (p.Key == null) continue;
                if (Names.TryGetValue(Canonical(p.Key), out var name) && !values.ContainsKey(name)) values[name] = p.Value;
            }

            string? id = Scalar(values, "Id");
            string? text = Scalar(values, "Text");
            if (string.IsNullOrWhiteSpace(id))
                throw Invalid("The input object has no Id (or it is empty). Find-MemoryCluster needs an Id and a Text on every object: pipe MemoryDocs from Import-MemoryExport, or objects with Id and Text properties.");
            if (text == null)
                throw Invalid($"The input object '{id}' has no Text. Find-MemoryCluster needs an Id and a Text on every object.");

            var doc = new MemoryDoc
            {
                Id = id!,
                Text = text,
                Tier = string.IsNullOrWhiteSpace(Scalar(values, "Tier")) ? "Core" : Scalar(values, "Tier")!.Trim(),
                Scope = Scalar(values, "Scope") ?? "",
                Kind = Scalar(values, "Kind") ?? "",
                Tags = Tags(values.TryGetValue("Tags", out var tags) ? tags : null),
                SourceFile = Scalar(values, "SourceFile"),
            };

            var access = Scalar(values, "AccessCount");
            if (!string.IsNullOrWhiteSpace(access))
            {
                if (!double.TryParse(access, NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || count < 0 || double.IsInfinity(count))
                    throw Invalid($"Doc '{id}' has AccessCount '{access}', which is not a whole number of 0 or more. Fix the value or leave it out.");
                doc.AccessCount = (long)Math.Min(long.MaxValue, Math.Floor(count));
            }

            var line = Scalar(values, "SourceLine");
            if (!string.IsNullOrWhiteSpace(line) && long.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var lineNumber))
                doc.SourceLine = lineNumber;

            var created = Scalar(values, "CreatedAt");
            if (values.TryGetValue("CreatedAt", out var createdValue) && createdValue is DateTimeOffset dto) doc.CreatedAt = dto;
            else if (createdValue is DateTime dt) doc.CreatedAt = new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt);
            else if (!string.IsNullOrWhiteSpace(created) && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                doc.CreatedAt = parsed;

            doc.Embedding = Embedding(id!, values.TryGetValue("Embedding", out var embedding) ? embedding : null);
            if (doc.Embedding != null && !string.IsNullOrWhiteSpace(Scalar(values, "EmbeddingModel"))) doc.EmbeddingModel = Scalar(values, "EmbeddingModel")!.Trim();
            return doc;
        }

        private static string Canonical(string name)
        {
            var chars = new char[name.Length];
            int k = 0;
            foreach (char c in name)
                if (c != '_' && c != '-' && c != ' ') chars[k++] = char.ToLowerInvariant(c);
            return new string(chars, 0, k);
        }

        private static string? Scalar(Dictionary<string, object?> values, string name)
        {
            if (!values.TryGetValue(name, out var v) || v == null) return null;
            return v switch
            {
                string s => s,
                _ => Convert.ToString(v, CultureInfo.InvariantCulture),
            };
        }

        private static string[] Tags(object? value)
        {
            switch (value)
            {
                case null:
                    return Array.Empty<string>();
                case string s:
                    return s.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries)
                        .Select(t => t.Trim()).Where(t => t.Length > 0).ToArray();
                case IEnumerable sequence:
                    return sequence.Cast<object?>().Select(t => Convert.ToString(t, CultureInfo.InvariantCulture)?.Trim() ?? "").Where(t => t.Length > 0).ToArray();
                default:
                    var one = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "";
                    return one.Length == 0 ? Array.Empty<string>() : new[] { one };
            }
        }

        private static float[]? Embedding(string id, object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case float[] floats:
                    return floats.Length == 0 ? null : floats;
                case string s:
                    s = s.Trim().TrimStart('[').TrimEnd(']');
                    if (s.Trim().Length == 0) return null;
                    var parts = s.Split(new[] { ',', ';', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                    var parsed = new float[parts.Length];
                    for (int i = 0; i < parts.Length; i++)
                        if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out parsed[i]) || float.IsNaN(parsed[i]) || float.IsInfinity(parsed[i]))
                            throw Invalid($"Doc '{id}' has an embedding value '{parts[i]}' that is not a number. Give the embedding as numbers, or leave it out.");
                    return parsed;
                case IEnumerable sequence:
                    var list = new List<float>();
                    foreach (var item in sequence)
                    {
                        float f;
                        switch (item)
                        {
                            case float x: f = x; break;
                            case double x: f = (float)x; break;
                            case decimal x: f = (float)x; break;
                            case int x: f = x; break;
                            case long x: f = x; break;
                            case string x when float.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var y): f = y; break;
                            default:
                                throw Invalid($"Doc '{id}' has an embedding value '{item}' that is not a number. Give the embedding as numbers, or leave it out.");
                        }
                        if (float.IsNaN(f) || float.IsInfinity(f))
                            throw Invalid($"Doc '{id}' has an embedding value that is not finite. Give finite numbers, or leave the embedding out.");
                        list.Add(f);
                    }
                    return list.Count == 0 ? null : list.ToArray();
                default:
                    throw Invalid($"Doc '{id}' has an embedding of type {value.GetType().Name}; give an array of numbers.");
            }
        }

        private static SkillForgeException Invalid(string message) =>
            new SkillForgeException(ErrorIds.ClusterInvalidInput, FailureCategory.InvalidData, message);
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using SkillForge.Diagnostics;

namespace SkillForge.Commands
{
    /// <summary>
    /// Turns PowerShell objects (PSCustomObject from ConvertFrom-Json or [pscustomobject], hashtables, arrays)
    /// into plain .NET graphs (Dictionary, List, scalars) that Core can read without knowing PowerShell.
    /// </summary>
    internal static class PSObjectConversion
    {
        private const int MaxDepth = 64;

        /// <summary>The object's properties by name: a dictionary's entries, or a PSObject's properties.</summary>
        public static List<KeyValuePair<string, object?>> Properties(PSObject input)
        {
            var result = new List<KeyValuePair<string, object?>>();
            if (input.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                    result.Add(new KeyValuePair<string, object?>(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", ToPlain(entry.Value, 0)));
                return result;
            }
            foreach (var property in input.Properties)
            {
                object? value;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                    continue; // a getter that throws: the property is simply not there
                }
                result.Add(new KeyValuePair<string, object?>(property.Name, ToPlain(value, 0)));
            }
            return result;
        }

        /// <summary>A property's value, or null when the object has no property of that name (any case).</summary>
        public static object? Property(PSObject input, string name)
        {
            if (input.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                    if (string.Equals(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture), name, StringComparison.OrdinalIgnoreCase))
                        return Unwrap(entry.Value);
                return null;
            }
            var property = input.Properties[name];
            if (property == null) return null;
            try
            {
                return Unwrap(property.Value);
            }
            catch (GetValueException)
            {
                return null;
            }
        }

        public static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

        private const string DeserializedPrefix = "Deserialized.";

        /// <summary>
        /// The SkillForge type an object is, or was before serialization ("SkillForge.MemoryDoc" for a MemoryDoc and
        /// for a Deserialized.SkillForge.MemoryDoc from Start-Job or Import-Clixml); null for anything else.
        /// </summary>
        public static string? SkillForgeTypeName(PSObject input)
        {
            if (input.BaseObject.GetType().Namespace == nameof(SkillForge)) return input.BaseObject.GetType().FullName;
            foreach (var name in input.TypeNames)
            {
                var plain = name.StartsWith(DeserializedPrefix, StringComparison.Ordinal) ? name.Substring(DeserializedPrefix.Length) : name;
                if (plain.StartsWith(nameof(SkillForge) + ".", StringComparison.Ordinal) && plain.IndexOf('.', nameof(SkillForge).Length + 1) < 0) return plain;
            }
            return null;
        }

        /// <summary>
        /// The object as a <typeparamref name="T"/>: itself, or, when it went through serialization (Start-Job,
        /// Import-Clixml, a remote session), a new one rebuilt from its properties, nested SkillForge objects and
        /// arrays of them included. Null when it is neither.
        /// </summary>
        public static T? Rehydrate<T>(object? input) where T : class => Rehydrate(input, typeof(T), 0) as T;

        /// <summary>As <see cref="Rehydrate{T}"/> for a type known at run time.</summary>
        public static object? Rehydrate(object? input, Type type) => Rehydrate(input, type, 0);

        private static object? Rehydrate(object? input, Type type, int depth)
        {
            if (input == null) return null;
            var inner = Unwrap(input);
            if (type.IsInstanceOfType(inner)) return inner;
            if (!(input is PSObject pso) || depth > MaxDepth || SkillForgeTypeName(pso) != type.FullName) return null;
            var result = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                if (property.SetMethod == null || !property.SetMethod.IsPublic || property.GetIndexParameters().Length > 0) continue;
                var given = pso.Properties[property.Name];
                if (given == null) continue;
                object? value;
                try { value = given.Value; }
                catch (GetValueException) { continue; }
                property.SetValue(result, ConvertRehydrated(value, property.PropertyType, depth + 1));
            }
            return result;
        }

        private static object? ConvertRehydrated(object? value, Type type, int depth)
        {
            if (value == null) return null;
            if (type.IsArray && type.GetElementType()!.Namespace == nameof(SkillForge) && !type.GetElementType()!.IsEnum)
            {
                var element = type.GetElementType()!;
                var items = new List<object?>();
                foreach (var item in Items(value))
                {
                    var rebuilt = Rehydrate(item, element, depth);
                    // Serialization deeper than its -Depth keeps only each object's text ("mem-bill-001"): say so
                    // instead of going on with an empty cluster.
                    if (rebuilt == null && item != null)
                        throw new SkillForgeException(ErrorIds.InputIncomplete, FailureCategory.InvalidData,
                            $"This {type.GetElementType()!.Name} list came back from serialization as text only ('{TextUtil.Truncate(Convert.ToString(Unwrap(item), System.Globalization.CultureInfo.InvariantCulture) ?? "", 40)}'), " +
                            "without its properties, so it cannot be used. Serialize with a larger depth (Export-Clixml -Depth 6), or pass the objects directly.", item);
                    items.Add(rebuilt);
                }
                var array = Array.CreateInstance(element, items.Count);
                for (int i = 0; i < items.Count; i++) array.SetValue(items[i], i);
                return array;
            }
            if (type.Namespace == nameof(SkillForge) && type.IsClass) return Rehydrate(value, type, depth);
            var target = Nullable.GetUnderlyingType(type) ?? type;
            // A DateTimeOffset comes back as a property bag whose text is in the current culture: use its ticks.
            if (target == typeof(DateTimeOffset) && value is PSObject bag && !(bag.BaseObject is DateTimeOffset) &&
                Property(bag, nameof(DateTimeOffset.UtcTicks)) is long ticks)
            {
                var offset = Property(bag, nameof(DateTimeOffset.Offset)) is TimeSpan o ? o : TimeSpan.Zero;
                return new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset);
            }
            try
            {
                return LanguagePrimitives.ConvertTo(value, type, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (PSInvalidCastException e)
            {
                throw new SkillForgeException(ErrorIds.InputIncomplete, FailureCategory.InvalidData,
                    $"A value came back from serialization as a {Unwrap(value)?.GetType().Name ?? "null"} that cannot be read as a {type.Name} ({e.Message}). " +
                    "Pass the objects directly, or serialize them with Export-Clixml -Depth 6.", value, e);
            }
        }

        /// <summary>
        /// The items of an array or list given to -InputObject by name (-InputObject $a, $b), which the pipeline
        /// would have sent one at a time; a single object (string, dictionary, PSCustomObject) as itself.
        /// </summary>
        public static IEnumerable<object?> Items(object? value)
        {
            var inner = Unwrap(value);
            if (inner is IEnumerable items && !(inner is string) && !(inner is IDictionary))
            {
                foreach (var item in items) yield return item;
            }
            else
            {
                yield return value;
            }
        }

        /// <summary>A plain graph: PSCustomObject and dictionaries become Dictionary, collections List, scalars stay.</summary>
        public static object? ToPlain(object? value, int depth)
        {
            if (value == null) return null;
            if (depth > MaxDepth) return value.ToString();
            if (value is PSObject pso)
            {
                if (pso.BaseObject is PSCustomObject)
                {
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var property in pso.Properties)
                    {
                        object? v;
                        try { v = property.Value; }
                        catch (GetValueException) { continue; }
                        map[property.Name] = ToPlain(v, depth + 1);
                    }
                    return map;
                }
                value = pso.BaseObject;
            }
            switch (value)
            {
                case string _:
                    return value;
                case IDictionary dictionary:
                    var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (DictionaryEntry entry in dictionary)
                        map[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? ""] = ToPlain(entry.Value, depth + 1);
                    return map;
                case IEnumerable list:
                    var items = new List<object?>();
                    foreach (var item in list) items.Add(ToPlain(item, depth + 1));
                    return items;
                default:
                    return value;
            }
        }
    }
}

namespace SkillForge.Commands
{
    /// <summary>
    /// On a parameter typed as a SkillForge class: the same object after Start-Job or Import-Clixml
    /// (Deserialized.SkillForge.X) binds too, rebuilt from its properties.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class RehydrateAttribute : ArgumentTransformationAttribute
    {
        private readonly Type _type;

        public RehydrateAttribute(Type type) => _type = type;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            try
            {
                return PSObjectConversion.Rehydrate(inputData, _type) ?? inputData;
            }
            catch (SkillForgeException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

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

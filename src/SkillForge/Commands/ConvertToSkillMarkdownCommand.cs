using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Skills;

namespace SkillForge.Commands
{
    /// <summary>ConvertTo-SkillMarkdown: DistilledSkill (or an object with name/description/when_to_apply…) → SKILL.md text.</summary>
    [Cmdlet(VerbsData.ConvertTo, "SkillMarkdown")]
    [OutputType(typeof(string))]
    public sealed class ConvertToSkillMarkdownCommand : SkillForgeCmdlet
    {
        private const int MaxDepth = 8;

        /// <summary>A DistilledSkill, or any object or hashtable with name, description, when_to_apply, scope, source, domain, trigger and code.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public object InputObject { get; set; } = null!;

        protected override void ProcessRecord()
        {
            foreach (var item in PSObjectConversion.Items(InputObject))
            {
                if (item != null) ConvertOne(item);
            }
        }

        private void ConvertOne(object input)
        {
            var skill = ToDistilledSkill(input);
            if (skill == null)
            {
                WriteFailure(new SkillForgeException(ErrorIds.SkillUnsupportedInput, FailureCategory.InvalidArgument,
                    $"ConvertTo-SkillMarkdown takes DistilledSkill objects (from ConvertFrom-SkillJson) or objects with a 'description' or 'when_to_apply' property (and usually 'name'); got {Describe(input)}.",
                    input));
                return;
            }
            WriteObject(SkillMarkdownWriter.ToMarkdown(skill));
        }

        internal static string Describe(object? value)
        {
            var inner = value is PSObject ps ? ps.BaseObject : value;
            return inner == null ? "nothing" : inner is string ? "a string" : "a " + inner.GetType().Name;
        }

        /// <summary>The DistilledSkill an input stands for, or null when it has neither a description nor a when-to-apply.</summary>
        internal static DistilledSkill? ToDistilledSkill(object? input)
        {
            var inner = input is PSObject ps ? ps.BaseObject : input;
            if (inner is DistilledSkill skill) return skill;
            if (inner == null || inner is string || inner.GetType().IsPrimitive) return null;
            var properties = ToProperties(input!, 0);
            if (properties == null) return null;
            var result = SkillMarkdownWriter.FromProperties(properties);
            // A name alone is not a skill (a FileInfo has a Name too): require what it does or when it applies.
            return result.Description.Trim().Length == 0 && result.WhenToApply.Trim().Length == 0 ? null : result;
        }

        /// <summary>An object's properties (a PSObject's, a hashtable's entries) as name/value pairs, nested objects converted the same way.</summary>
        internal static List<KeyValuePair<string, object?>>? ToProperties(object input, int depth)
        {
            var inner = input is PSObject ps ? ps.BaseObject : input;
            var list = new List<KeyValuePair<string, object?>>();
            if (inner is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                    list.Add(new KeyValuePair<string, object?>(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "", ToValue(entry.Value, depth + 1)));
                return list;
            }
            var wrapped = input as PSObject ?? PSObject.AsPSObject(input);
            foreach (var property in wrapped.Properties)
            {
                if (!property.IsGettable) continue;
                object? value;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                    continue;
                }
                list.Add(new KeyValuePair<string, object?>(property.Name, ToValue(value, depth + 1)));
            }
            return list;
        }

        private static object? ToValue(object? value, int depth)
        {
            var inner = value is PSObject ps ? ps.BaseObject : value;
            if (inner == null || inner is string || inner.GetType().IsPrimitive || inner is decimal) return inner;
            if (depth > MaxDepth) return inner.ToString();
            if (inner is IDictionary || inner is PSCustomObject || value is PSObject && inner is PSCustomObject)
                return ToProperties(value!, depth);
            if (inner is IEnumerable enumerable)
            {
                var items = new List<object?>();
                foreach (var item in enumerable) items.Add(ToValue(item, depth + 1));
                return items;
            }
            if (inner is SkillTrigger trigger)
            {
                return new List<KeyValuePair<string, object?>>
                {
                    new KeyValuePair<string, object?>("persona", trigger.Persona),
                    new KeyValuePair<string, object?>("url_pattern", trigger.UrlPattern),
                    new KeyValuePair<string, object?>("task_keywords", trigger.TaskKeywords),
                };
            }
            return inner;
        }
    }
}

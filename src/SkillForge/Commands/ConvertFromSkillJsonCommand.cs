using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Skills;

namespace SkillForge.Commands
{
    /// <summary>ConvertFrom-SkillJson: DistilledSkill objects out of a model's JSON answer.</summary>
    [Cmdlet(VerbsData.ConvertFrom, "SkillJson")]
    [OutputType(typeof(DistilledSkill))]
    public sealed class ConvertFromSkillJsonCommand : SkillForgeCmdlet
    {
        private readonly List<string> _strings = new List<string>();

        /// <summary>An answer: a string, a DistillationResult, or any object with a Text property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        public object? InputObject { get; set; }

        private sealed class Answer
        {
            public string Text = "";
            public string? Name;
            public string[] SourceIds = Array.Empty<string>();
            public string Fingerprint = "";
            public string Model = "";
            public string? DefaultSource;
            public bool ExpectsMarkdown;
            public object? Target;
        }

        protected override void ProcessRecord()
        {
            foreach (var item in PSObjectConversion.Items(InputObject)) Take(item);
        }

        private void Take(object? given)
        {
            object? input = PSObjectConversion.Unwrap(given);
            switch (input)
            {
                case string text:
                    // Kept until the end: lines from Get-Content may be one answer (see EndProcessing).
                    _strings.Add(text);
                    return;
                case DistillationResult result:
                    Convert(new Answer
                    {
                        Text = result.Text ?? "",
                        Name = "prompt " + Short(result.Fingerprint),
                        SourceIds = result.SourceIds ?? Array.Empty<string>(),
                        Fingerprint = result.Fingerprint ?? "",
                        Model = result.Model ?? "",
                        DefaultSource = DefaultSourceFor(result.Prompt?.Kind),
                        ExpectsMarkdown = result.Prompt != null && result.Prompt.Kind == DistillPromptKind.MemoryCluster &&
                                          result.Prompt.ExpectedOutput == DistillOutputKind.SkillMarkdown,
                        Target = result,
                    });
                    return;
            }

            var pso = given as PSObject ?? (given != null ? PSObject.AsPSObject(given) : null);
            if (pso != null && PSObjectConversion.Property(pso, "Text") is object textValue)
            {
                Convert(new Answer
                {
                    Text = textValue.ToString() ?? "",
                    SourceIds = Strings(PSObjectConversion.Property(pso, "SourceIds")),
                    Fingerprint = PSObjectConversion.Property(pso, "Fingerprint")?.ToString() ?? "",
                    Model = PSObjectConversion.Property(pso, "Model")?.ToString() ?? "",
                    Target = given,
                });
                return;
            }

            string type = input == null ? "null" : input.GetType().FullName ?? "an object";
            WriteFailure(new SkillForgeException(ErrorIds.SkillJsonInvalidInput, FailureCategory.InvalidArgument,
                $"ConvertFrom-SkillJson takes strings, DistillationResults (from Invoke-SkillDistillation) or objects with a Text property, not {type}.",
                given));
        }

        protected override void EndProcessing()
        {
            if (_strings.Count == 1)
            {
                Convert(new Answer { Text = _strings[0], Target = _strings[0] });
            }
            else if (_strings.Count > 1)
            {
                // Several strings: separate answers when each holds skills on its own; otherwise, when together they
                // parse, the lines of one answer (Get-Content without -Raw).
                var parsed = new List<IReadOnlyList<Outcome<DistilledSkill>>?>();
                foreach (var s in _strings)
                {
                    try { parsed.Add(SkillJsonParser.Parse(s)); }
                    catch (SkillForgeException) { parsed.Add(null); }
                }
                bool allParsed = parsed.All(p => p != null);
                IReadOnlyList<Outcome<DistilledSkill>>? joined = null;
                string joinedText = string.Join("\n", _strings);
                if (!allParsed)
                {
                    try { joined = SkillJsonParser.Parse(joinedText); }
                    catch (SkillForgeException) { joined = null; }
                }
                if (joined != null)
                {
                    WriteVerbose($"Read the {_strings.Count} input strings as the lines of one answer.");
                    Write(joined, new Answer { Text = joinedText, Target = joinedText });
                }
                else
                {
                    foreach (var s in _strings) Convert(new Answer { Text = s, Target = s });
                }
            }
            base.EndProcessing();
        }

        private void Convert(Answer answer)
        {
            IReadOnlyList<Outcome<DistilledSkill>> outcomes;
            try
            {
                outcomes = SkillJsonParser.Parse(answer.Text, answer.Name, answer.DefaultSource);
            }
            catch (SkillForgeException e) when (answer.ExpectsMarkdown)
            {
                WriteFailure(new SkillForgeException(ErrorIds.SkillJsonInvalidInput, FailureCategory.InvalidArgument,
                    $"This answer ({answer.Name}) is to a memory-cluster prompt, which asks for a SKILL.md, not a JSON array of skills. " +
                    "Pipe it to Export-Skill (or Test-SkillMarkdown) instead; ConvertFrom-SkillJson reads the answers to trace prompts.",
                    answer.Target, e));
                return;
            }
            catch (SkillForgeException e)
            {
                WriteFailure(new SkillForgeException(e.ErrorId, e.Category, e.Message, answer.Target, e));
                return;
            }
            Write(outcomes, answer);
        }

        private void Write(IReadOnlyList<Outcome<DistilledSkill>> outcomes, Answer answer)
        {
            if (outcomes.Count == 0)
                WriteWarning($"The answer{(answer.Name != null ? " from " + answer.Name : "")} is an empty JSON array: the model distilled no skills from it.");
            foreach (var outcome in outcomes)
            {
                if (outcome.IsError)
                {
                    var error = outcome.Error!;
                    WriteFailure(new SkillForgeException(error.ErrorId, FailureCategory.InvalidData, error.Message, error.Snippet ?? answer.Target));
                    continue;
                }
                var skill = outcome.Value!;
                skill.SourceIds = answer.SourceIds;
                skill.Fingerprint = answer.Fingerprint;
                skill.Model = answer.Model;
                WriteObject(skill);
            }
        }

        private static string? DefaultSourceFor(DistillPromptKind? kind) => kind switch
        {
            DistillPromptKind.TraceSuccess => "success",
            DistillPromptKind.TraceFailure => "failure",
            _ => null,
        };

        private static string Short(string? fingerprint) =>
            string.IsNullOrEmpty(fingerprint) ? "(no fingerprint)" : fingerprint!.Substring(0, Math.Min(12, fingerprint.Length));

        private static string[] Strings(object? value)
        {
            switch (value)
            {
                case null: return Array.Empty<string>();
                case string s: return s.Length == 0 ? Array.Empty<string>() : new[] { s };
                case System.Collections.IEnumerable items:
                    var list = new List<string>();
                    foreach (var item in items)
                    {
                        var text = PSObjectConversion.Unwrap(item)?.ToString();
                        if (!string.IsNullOrEmpty(text)) list.Add(text!);
                    }
                    return list.ToArray();
                default: return new[] { value.ToString() ?? "" };
            }
        }
    }
}

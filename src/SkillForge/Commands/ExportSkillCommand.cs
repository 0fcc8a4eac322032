using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Redaction;
using SkillForge.Skills;

namespace SkillForge.Commands
{
    /// <summary>Export-Skill: validates SKILL.md text and writes it atomically to &lt;Path&gt;/&lt;name&gt;/SKILL.md with provenance.</summary>
    [Cmdlet(VerbsData.Export, "Skill", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SkillFile))]
    public sealed class ExportSkillCommand : SkillForgeCmdlet
    {
        private const string InputObjectSet = "InputObject";
        private const string ContentSet = "Content";

        private SkillLibrary? _library;

        /// <summary>The skills folder (created when missing); each skill goes to &lt;Path&gt;/&lt;name&gt;/SKILL.md.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>SKILL.md text, a SkillValidationResult, a DistillationResult, a DistilledSkill, or an object with Text or Content.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNull]
        public object InputObject { get; set; } = null!;

        /// <summary>SKILL.md text to write.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ContentSet)]
        [AllowEmptyString]
        public string Content { get; set; } = "";

        /// <summary>Replace an existing skill of the same name instead of writing &lt;name&gt;-2, -3, ….</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Ids of the memories or trace events the skill came from (overrides what the input carries).</summary>
        [Parameter]
        public string[]? SourceId { get; set; }

        /// <summary>Fingerprint of the source cluster or trace (overrides what the input carries).</summary>
        [Parameter]
        public string? Fingerprint { get; set; }

        /// <summary>The model that wrote the skill (overrides what the input carries).</summary>
        [Parameter]
        public string? Model { get; set; }

        /// <summary>What the write check replaces before a skill is written: All (default), Secrets (keeps personal data) or None (warns).</summary>
        [Parameter]
        public RedactionMode Redact { get; set; } = RedactionMode.All;

        protected override void BeginProcessing()
        {
            _library = new SkillLibrary(ResolveOutputPath(Path, "-Path"));
            WarnIfRedactionOff(Redact, "the skills written");
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ContentSet)
            {
                Export(null);
                return;
            }
            foreach (var item in PSObjectConversion.Items(InputObject))
            {
                if (item != null) Export(item);
            }
        }

        private void Export(object? input)
        {
            var library = _library ?? throw new InvalidOperationException("BeginProcessing did not run.");
            SkillWriteRequest request;
            try
            {
                request = input == null ? new SkillWriteRequest { Content = Content ?? "" } : ToRequest(input);
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
                return;
            }
            if (SourceId != null && SourceId.Length > 0) request.SourceIds = SourceId;
            if (!string.IsNullOrWhiteSpace(Fingerprint)) request.Fingerprint = Fingerprint;
            if (!string.IsNullOrWhiteSpace(Model)) request.Model = Model;
            request.Force = Force;
            request.Date = DateTimeOffset.UtcNow;
            request.Redact = Redact;

            try
            {
                var plan = library.Plan(request);
                if (plan.Status == SkillWriteStatus.Skipped)
                {
                    // Nothing to write: the same skill with the same provenance is already there (an idempotent re-run).
                    WriteVerbose($"Skipped '{plan.FilePath}': it already holds this skill.");
                    WriteObject(library.Commit(plan));
                    return;
                }
                if (!ShouldProcess(plan.FilePath, plan.Status == SkillWriteStatus.Replaced ? "Replace skill" : "Write skill")) return;
                var file = library.Commit(plan);
                WriteVerbose($"{file.Status} '{file.Path}'.");
                WriteRedactionVerbose(plan.Redactions, $"from the text written to '{file.Path}'");
                WriteObject(file);
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
            }
        }

        private static SkillWriteRequest ToRequest(object input)
        {
            var inner = input is PSObject ps ? ps.BaseObject : input;
            switch (inner)
            {
                case string text:
                    return new SkillWriteRequest { Content = text };
                case System.IO.FileSystemInfo item:
                    // A SKILL.md (or any draft file) or a skill folder from Get-ChildItem: read as Test-SkillMarkdown reads it.
                    var read = SkillMarkdownValidator.ValidatePath(item.FullName);
                    return new SkillWriteRequest
                    {
                        Content = read.Content ?? throw new SkillForgeException(ErrorIds.SkillInvalid, FailureCategory.InvalidData,
                            $"'{item.FullName}' cannot be exported: {read.Diagnostics.Select(d => d.Message).FirstOrDefault() ?? "it could not be read."}", item),
                    };
                case SkillValidationResult result:
                    return new SkillWriteRequest
                    {
                        Content = result.Content ?? throw new SkillForgeException(ErrorIds.SkillInvalid, FailureCategory.InvalidData,
                            $"'{result.Path}' could not be read, so there is nothing to export. Fix the problem Test-SkillMarkdown reported.", result),
                    };
                case DistillationResult distillation:
                    return new SkillWriteRequest
                    {
                        Content = distillation.Text,
                        SourceIds = distillation.SourceIds ?? Array.Empty<string>(),
                        Fingerprint = distillation.Fingerprint,
                        Model = distillation.Model,
                        Evidence = distillation.Evidence,
                        SourceTokens = distillation.Prompt.SourceTokens > 0 ? distillation.Prompt.SourceTokens : 0,
                        Coverage = distillation.Coverage,
                        SourceRedactions = distillation.Prompt?.Redactions,
                    };
                case DistilledSkill skill:
                    return FromSkill(skill);
            }

            var properties = ConvertToSkillMarkdownCommand.ToProperties(input, 0) ?? new List<KeyValuePair<string, object?>>();
            string? Find(params string[] names) => properties
                .Where(p => names.Any(n => string.Equals(n, p.Key, StringComparison.OrdinalIgnoreCase)))
                .Select(p => p.Value as string)
                .FirstOrDefault(v => v != null);
            var content = Find("Text", "Content");
            if (content != null)
            {
                var ids = properties.FirstOrDefault(p => string.Equals(p.Key, "SourceIds", StringComparison.OrdinalIgnoreCase)).Value;
                return new SkillWriteRequest
                {
                    Content = content,
                    SourceIds = ids is string s ? s.Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).ToArray()
                        : ids is IEnumerable<object?> list ? list.Select(x => x?.ToString() ?? "").Where(x => x.Length > 0).ToArray()
                        : Array.Empty<string>(),
                    Fingerprint = Find("Fingerprint"),
                    Model = Find("Model"),
                };
            }
            var distilled = ConvertToSkillMarkdownCommand.ToDistilledSkill(input);
            if (distilled != null) return FromSkill(distilled);
            throw new SkillForgeException(ErrorIds.SkillUnsupportedInput, FailureCategory.InvalidArgument,
                $"Export-Skill takes SKILL.md text, a SkillValidationResult, a DistillationResult, a DistilledSkill or an object with a Text or Content property; got {ConvertToSkillMarkdownCommand.Describe(input)}.",
                input);
        }

        private static SkillWriteRequest FromSkill(DistilledSkill skill) => new SkillWriteRequest
        {
            Content = SkillMarkdownWriter.ToMarkdown(skill),
            SourceIds = skill.SourceIds ?? Array.Empty<string>(),
            Fingerprint = skill.Fingerprint,
            Model = skill.Model,
        };
    }
}

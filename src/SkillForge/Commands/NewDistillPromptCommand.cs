using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Prompts;
using SkillForge.Redaction;

namespace SkillForge.Commands
{
    /// <summary>New-DistillPrompt: the prompt that asks a model to distil a memory cluster, a trace pattern or a trace partition into skills.</summary>
    [Cmdlet(VerbsCommon.New, "DistillPrompt", DefaultParameterSetName = BuiltInSet)]
    [OutputType(typeof(DistillPrompt))]
    public sealed class NewDistillPromptCommand : SkillForgeCmdlet
    {
        private const string BuiltInSet = "BuiltIn";
        private const string TemplateSet = "Template";
        private const string TemplatePathSet = "TemplatePath";

        private DistillPromptOptions _options = new DistillPromptOptions();

        /// <summary>A MemoryCluster (Find-MemoryCluster), a TracePattern (Find-TracePattern) or a TracePartition (Split-Trace).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>Your own instructions in place of the built-in ones; {{sources}} marks where the sources go.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TemplateSet)]
        [ValidateNotNullOrEmpty]
        public string? Template { get; set; }

        /// <summary>A file holding the template (UTF-8).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TemplatePathSet)]
        [ValidateNotNullOrEmpty]
        public string? TemplatePath { get; set; }

        /// <summary>Only the prompt for this side of each trace partition.</summary>
        [Parameter]
        public TraceOutcome Outcome { get; set; }

        /// <summary>Most estimated tokens of one trace prompt (default 12000); the trace is sampled, never cut at its tail.</summary>
        [Parameter]
        [ValidateRange(500, int.MaxValue)]
        public int MaxPromptTokens { get; set; } = DistillPromptOptions.DefaultMaxPromptTokens;

        /// <summary>What the redaction pass replaces in the quoted sources: All (default), Secrets (keeps personal data) or None (warns).</summary>
        [Parameter]
        public RedactionMode Redact { get; set; } = RedactionMode.All;

        protected override void BeginProcessing()
        {
            string? template = Template;
            if (ParameterSetName == TemplatePathSet)
            {
                string path = ResolveOutputPath(TemplatePath!, "-TemplatePath");
                try
                {
                    template = File.ReadAllText(path);
                }
                catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
                {
                    ThrowFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                        $"Template file '{path}' does not exist. Check -TemplatePath.", TemplatePath, e));
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    ThrowFailure(new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                        $"Template file '{path}' cannot be read: {e.Message}", TemplatePath, e));
                }
            }

            if (template != null)
            {
                try
                {
                    PromptTemplate.Validate(template);
                }
                catch (SkillForgeException e)
                {
                    ThrowFailure(e);
                }
            }
            _options = new DistillPromptOptions { Template = template, MaxPromptTokens = MaxPromptTokens, Redact = Redact };
            WarnIfRedactionOff(Redact, "the prompts");
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            object input = InputObject.BaseObject;
            if (input is IEnumerable items && !(input is string) && !(input is IDictionary))
            {
                foreach (var item in items) Build(item is PSObject pso ? pso.BaseObject : item, item);
                return;
            }
            Build(input, InputObject);
        }

        private void Build(object? input, object? target)
        {
            try
            {
                // Clusters and partitions that went through Start-Job or Import-Clixml come back as property bags.
                if (target is PSObject serialized && !(input is MemoryCluster) && !(input is TracePartition))
                    input = (object?)PSObjectConversion.Rehydrate<MemoryCluster>(serialized) ?? PSObjectConversion.Rehydrate<TracePartition>(serialized) ?? input;
                switch (input)
                {
                    case MemoryCluster cluster:
                        Write(DistillPromptBuilder.ForCluster(cluster, _options));
                        break;
                    case TracePattern pattern:
                        WriteObject(DistillPromptBuilder.ForPattern(pattern, _options));
                        break;
                    case TracePartition partition:
                        bool all = !MyInvocation.BoundParameters.ContainsKey(nameof(Outcome));
                        var prompts = DistillPromptBuilder.ForPartition(partition, _options,
                            success: all || Outcome == TraceOutcome.Success,
                            failure: all || Outcome == TraceOutcome.Failure);
                        if (prompts.Count == 0)
                            WriteVerbose($"Trace '{partition.TraceId}' has no {(all ? "successful or failed" : Outcome == TraceOutcome.Success ? "successful" : "failed")} actions: no prompt.");
                        foreach (var prompt in prompts) Write(prompt);
                        break;
                    default:
                        string type = input == null ? "null" : input.GetType().FullName ?? "an object";
                        WriteFailure(new SkillForgeException(ErrorIds.PromptInvalidInput, FailureCategory.InvalidArgument,
                            $"New-DistillPrompt takes MemoryCluster objects (from Find-MemoryCluster), TracePattern objects (from Find-TracePattern) or TracePartition objects (from Split-Trace), not {type}.",
                            target));
                        break;
                }
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
            }
        }

        private void Write(DistillPrompt prompt)
        {
            WriteRedactionVerbose(prompt.Redactions, $"from the sources of {Distillation.ChatClientDistiller.Label(prompt)}");
            WriteObject(prompt);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Distillation;

namespace SkillForge.Commands
{
    /// <summary>
    /// Sends DistillPrompts to a model (any OpenAI-compatible endpoint, a user's chat client, or the offline
    /// distiller) and outputs a DistillationResult per prompt, in input order, with at most -ThrottleLimit
    /// requests in flight.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "SkillDistillation", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
    [OutputType(typeof(DistillationResult))]
    public sealed class InvokeSkillDistillationCommand : DistillationCmdletBase
    {
        private const string InputObjectSet = "InputObject";
        private const string TextSet = "Text";
        private const string ProgressActivity = "Distilling skills";

        private DistillationSettings? _settings;
        private IDistiller? _distiller;
        private DistillationRunner? _runner;
        private int _failed;

        /// <summary>The prompt to send (from New-DistillPrompt).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [Rehydrate(typeof(DistillPrompt))]
        public DistillPrompt? InputObject { get; set; }

        /// <summary>A prompt's text, for prompts that are not DistillPrompt objects (ConvertFrom-Json, Import-Csv).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [Alias("Prompt")]
        [ValidateNotNullOrEmpty]
        public string? Text { get; set; }

        /// <summary>With -Text: the kind of prompt (default MemoryCluster).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        public DistillPromptKind Kind { get; set; } = DistillPromptKind.MemoryCluster;

        /// <summary>With -Text: the answer expected (default: SkillMarkdown for MemoryCluster, SkillJsonArray for traces).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        public DistillOutputKind? ExpectedOutput { get; set; }

        /// <summary>With -Text: the ids of the sources the prompt was built from (kept on the result).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        public string[]? SourceIds { get; set; }

        /// <summary>With -Text: the prompt's fingerprint (kept on the result).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        public string? Fingerprint { get; set; }

        /// <summary>
        /// With -Text: the memory cluster the prompt was built from, which -Offline distills from. Binds by name, so a
        /// DistillPrompt read back with Import-Clixml or from Start-Job keeps its sources.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        public PSObject? Cluster { get; set; }

        /// <summary>With -Text: the trace partition the prompt was built from, as -Cluster is for memory prompts.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        public PSObject? Partition { get; set; }

        /// <summary>With -Text: estimated tokens of the source material, for the compression ratio.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = TextSet)]
        [ValidateRange(0, int.MaxValue)]
        public int SourceTokens { get; set; }

        protected override void BeginProcessing()
        {
            _settings = ResolveSettings();
            // A -WhatIf preview with nothing configured sends nothing, so it needs no distiller.
            if (_settings.NotConfigured == null) StartRunner();
        }

        private void StartRunner()
        {
            _distiller = CreateDistiller(_settings!);
            _runner = new DistillationRunner(_distiller, _settings!.ThrottleLimit, CancellationToken);
        }

        protected override void ProcessRecord()
        {
            DistillPrompt? prompt;
            try
            {
                prompt = ParameterSetName == TextSet ? PromptFromText() : InputObject;
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
                return;
            }
            if (prompt == null || string.IsNullOrWhiteSpace(prompt.Text))
            {
                WriteFailure(new SkillForgeException(ErrorIds.DistillInvalidPrompt, FailureCategory.InvalidArgument,
                    "The prompt has no text, so there is nothing to send. Build prompts with New-DistillPrompt, or give -Text.", (object?)prompt ?? InputObject));
                return;
            }

            int tokens = prompt.EstimatedTokens > 0 ? prompt.EstimatedTokens : TokenEstimator.Estimate(prompt.Text);
            string label = ChatClientDistiller.Label(prompt);
            string overflow = WarnWhenOverContext(_settings!, label, tokens);
            string target = string.Format(CultureInfo.InvariantCulture, "{0} (~{1} tokens, expects {3}{2})",
                label, tokens, overflow, prompt.ExpectedOutput == DistillOutputKind.SkillMarkdown ? "a SKILL.md" : "a JSON array");
            if (!ShouldProcess(target, DescribeSending(_settings!))) return;

            if (_runner == null) StartRunner();
            _runner!.Enqueue(prompt);
            Write(_runner.DrainCompleted());
        }

        protected override void EndProcessing()
        {
            try
            {
                if (_runner != null) Write(_runner.DrainAll());
                if (_failed > 0 && _runner != null)
                    WriteVerbose($"{_failed} of {_runner.Queued} prompt(s) failed; see the errors for each.");
            }
            finally
            {
                Release();
                base.EndProcessing();
            }
        }

        private DistillPrompt PromptFromText()
        {
            var expected = ExpectedOutput ?? (Kind == DistillPromptKind.MemoryCluster ? DistillOutputKind.SkillMarkdown : DistillOutputKind.SkillJsonArray);
            return new DistillPrompt
            {
                Kind = Kind,
                ExpectedOutput = expected,
                Text = Text ?? "",
                SourceIds = SourceIds ?? Array.Empty<string>(),
                Fingerprint = string.IsNullOrEmpty(Fingerprint) ? TextUtil.Sha256Hex(Text ?? "") : Fingerprint!,
                EstimatedTokens = TokenEstimator.Estimate(Text),
                SourceTokens = SourceTokens,
                Cluster = PSObjectConversion.Rehydrate<MemoryCluster>(Cluster),
                Partition = PSObjectConversion.Rehydrate<TracePartition>(Partition),
            };
        }

        /// <summary>Writes drained outcomes on the pipeline thread: verbose lines, then the result or the error.</summary>
        private void Write(IEnumerable<DistillationOutcome> outcomes)
        {
            foreach (var outcome in outcomes)
            {
                foreach (var message in outcome.VerboseMessages) WriteVerbose(message);
                if (outcome.Result != null)
                {
                    WriteObject(outcome.Result);
                }
                else if (outcome.Error != null)
                {
                    _failed++;
                    WriteFailure(outcome.Error);
                }
                if (_runner!.Queued > 1)
                    Sink.Progress(new OperationProgress(ProgressActivity, "Prompts answered", _runner.Drained, _runner.Queued));
            }
        }

        protected override void ReleaseResources() => Release();

        private void Release()
        {
            _runner?.Dispose();
            _runner = null;
            (_distiller as IDisposable)?.Dispose();
            _distiller = null;
        }
    }
}

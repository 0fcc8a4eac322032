using System;
using System.IO;
using SkillForge.Crystallization;
using System.Management.Automation;
using SkillForge.Diagnostics;
using SkillForge.Infrastructure;
using SkillForge.Skills;

namespace SkillForge.Commands
{
    /// <summary>Test-SkillMarkdown: checks SKILL.md files, skill folders or text against the Agent Skills rules.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "SkillMarkdown", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(SkillValidationResult), typeof(bool))]
    public sealed class TestSkillMarkdownCommand : SkillForgeCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string ContentSet = "Content";

        private bool _allValid = true;

        /// <summary>SKILL.md files or skill folders; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = System.Array.Empty<string>();

        /// <summary>SKILL.md files or skill folders, taken literally; binds FullName/PSPath from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = System.Array.Empty<string>();

        /// <summary>SKILL.md text to check.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ContentSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public string Content { get; set; } = "";

        /// <summary>Return one bool: whether every input is valid.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Treat warnings as errors.</summary>
        [Parameter]
        public SwitchParameter Strict { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ContentSet)
            {
                // A piped string that names an existing file or folder is a path ('./x/SKILL.md' | Test-SkillMarkdown),
                // as for Import-MemoryExport; SKILL.md text always has a line break, a path never.
                if (MyInvocation.ExpectingInput && ExistingPath(Content) is string path)
                    Check(new[] { path }, literal: true);
                else
                    Emit(SkillMarkdownValidator.Validate(Content ?? "", null, null, Strict));
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            Check(literal ? LiteralPath : Path, literal);
        }

        private string? ExistingPath(string? text)
        {
            if (string.IsNullOrWhiteSpace(text) || text!.IndexOfAny(new[] { '\n', '\r' }) >= 0 || text.Length > 4096) return null;
            try
            {
                var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(text);
                return File.Exists(full) || Directory.Exists(full) ? full : null;
            }
            catch (Exception e) when (e is ItemNotFoundException || e is ProviderNotFoundException || e is System.Management.Automation.DriveNotFoundException ||
                                      e is NotSupportedException || e is ArgumentException || e is PSInvalidOperationException)
            {
                return null;
            }
        }

        private void Check(string[] paths, bool literal)
        {
            foreach (var given in paths)
            {
                bool matched = false;
                foreach (var path in ResolveFilePaths(new[] { given }, literal))
                {
                    matched = true;
                    if (CancellationToken.IsCancellationRequested) throw new PipelineStoppedException();
                    // An audit (Get-ChildItem ./skills -Directory | Test-SkillMarkdown) also sees the ledger folder,
                    // which is visible on Windows: it is SkillForge's state, not a broken skill.
                    if (Directory.Exists(path) && string.Equals(System.IO.Path.GetFileName(System.IO.Path.GetFullPath(path).TrimEnd('/', '\\')),
                            CrystallizationLedger.StateFolderName, StringComparison.Ordinal))
                    {
                        WriteVerbose($"Skipping '{path}': it holds SkillForge's crystallization ledger, not a skill.");
                        continue;
                    }
                    try
                    {
                        Emit(SkillMarkdownValidator.ValidatePath(path, Strict));
                    }
                    catch (SkillForgeException e)
                    {
                        _allValid = false;
                        WriteFailure(e);
                    }
                }
                // A path that matched nothing was reported as an error; it is not a valid skill either.
                if (!matched) _allValid = false;
            }
        }

        protected override void EndProcessing()
        {
            if (Quiet) WriteObject(_allValid);
            base.EndProcessing();
        }

        private void Emit(SkillValidationResult result)
        {
            if (!result.IsValid) _allValid = false;
            if (!Quiet) WriteObject(result);
            else WriteVerbose($"{result.Path ?? "(content)"}: {(result.IsValid ? "valid" : result.ErrorCount + " error(s)")}");
        }
    }
}

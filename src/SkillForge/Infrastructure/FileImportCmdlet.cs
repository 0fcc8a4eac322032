using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using SkillForge.Diagnostics;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// What Import-MemoryExport and Import-Trace share: -Path (wildcards) and -LiteralPath (binds FullName/PSPath
    /// from Get-ChildItem), and a streaming loop in which a bad record is a non-terminating error with file and
    /// line, a file that cannot be read is an error for that file, and the next file is still read.
    /// </summary>
    public abstract class FileImportCmdlet<T> : SkillForgeCmdlet where T : class
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>Files to read; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Files taken exactly as written (no wildcards); binds FullName/PSPath from Get-ChildItem.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>"memory docs", "events": how the verbose summary names what was read.</summary>
        protected abstract string ItemName { get; }

        /// <summary>Streams one file's records. May throw SkillForgeException for a file that cannot be read at all.</summary>
        protected abstract IEnumerable<Outcome<T>> ReadFile(string file);

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (var file in ResolveFilePaths(literal ? LiteralPath : Path, literal))
                ImportFile(file);
        }

        private void ImportFile(string file)
        {
            long items = 0, errors = 0;
            try
            {
                foreach (var outcome in ReadFile(file))
                {
                    if (outcome.IsError)
                    {
                        errors++;
                        WriteRecordError(outcome.Error!);
                    }
                    else
                    {
                        items++;
                        WriteObject(outcome.Value);
                    }
                }
                WriteVerbose($"'{file}': {items} {ItemName} read" + (errors > 0 ? $", {errors} bad records reported." : "."));
            }
            catch (SkillForgeException e)
            {
                WriteFailure(e);
            }
            catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                WriteFailure(new SkillForgeException(ErrorIds.FileUnreadable, FailureCategory.ReadError,
                    $"'{file}' could not be read to the end ({e.Message}); the {items} {ItemName} before that point were imported. " +
                    "Check that the file (or its gzip compression) is complete.", file, e));
            }
        }
    }
}

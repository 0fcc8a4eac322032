using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Infrastructure
{
    /// <summary>
    /// Base of every SkillForge cmdlet: a cancellation source that Ctrl+C cancels, errors built from
    /// Core's SkillForgeException/RecordError with stable ErrorIds, and path resolution.
    /// </summary>
    public abstract class SkillForgeCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private CmdletSink? _sink;

        /// <summary>Cancelled by StopProcessing (Ctrl+C); pass it to every Core call that can take long.</summary>
        protected CancellationToken CancellationToken => _cancellation.Token;

        /// <summary>Verbose, warning and progress output for Core. Use from the pipeline thread only.</summary>
        internal IOperationSink Sink => _sink ??= new CmdletSink(this);

        protected override void StopProcessing()
        {
            // Ctrl+C arrives on another thread and can race with Dispose at the very end of the pipeline.
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        protected override void EndProcessing() => _sink?.Complete();

        /// <summary>
        /// PowerShell calls this when the pipeline ends, also after Ctrl+C or a terminating error, when
        /// EndProcessing never runs: release what the command holds (in-flight requests, clients), then the token.
        /// </summary>
        public void Dispose()
        {
            try
            {
                ReleaseResources();
            }
            finally
            {
                _cancellation.Dispose();
            }
        }

        /// <summary>Override to release what BeginProcessing/ProcessRecord acquired; runs once, from Dispose.</summary>
        protected virtual void ReleaseResources()
        {
        }

        internal static ErrorRecord ToErrorRecord(SkillForgeException e) =>
            new ErrorRecord(e, e.ErrorId, ToCategory(e.Category), e.Target)
            {
                ErrorDetails = new ErrorDetails(e.Message),
            };

        /// <summary>One bad item: reported, and the batch goes on.</summary>
        internal void WriteFailure(SkillForgeException e) => WriteError(ToErrorRecord(e));

        /// <summary>One bad record in a file: reported with file and line, the rest still read.</summary>
        internal void WriteRecordError(RecordError error)
        {
            // Under -ErrorAction Stop this error ends the import, so nothing after the record was read.
            string message = StopsOnError ? GoesOnClause.Replace(error.Message, StoppedClause) : error.Message;
            var exception = new SkillForgeException(error.ErrorId, FailureCategory.InvalidData, message, error.Snippet);
            var record = new ErrorRecord(exception, error.ErrorId, ErrorCategory.InvalidData, (object?)error.Snippet ?? error.SourceFile);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = StopsOnError
                    ? "Fix or remove that record and import again; the import stopped there (-ErrorAction Stop)."
                    : "Fix or remove that record; the other records were imported.",
            };
            WriteError(record);
        }

        // What Core's record messages say about the rest of the file when the import goes on.
        private static readonly System.Text.RegularExpressions.Regex GoesOnClause = new System.Text.RegularExpressions.Regex(
            "the other (records|lines) were imported|the rest of the file was read", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        private const string StoppedClause = "the import stopped there (-ErrorAction Stop), so only the records before it were imported";

        /// <summary>-ErrorAction Stop given, or $ErrorActionPreference Stop: the first error ends the command.</summary>
        private bool StopsOnError =>
            MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var given)
                ? given is ActionPreference action && action == ActionPreference.Stop
                : GetVariableValue("ErrorActionPreference") is ActionPreference preference && preference == ActionPreference.Stop;

        /// <summary>Stops the whole command (missing endpoint, key or folder).</summary>
        internal void ThrowFailure(SkillForgeException e) => ThrowTerminatingError(ToErrorRecord(e));

        /// <summary>The warning -Redact None earns: what goes out unredacted.</summary>
        internal void WarnIfRedactionOff(Redaction.RedactionMode mode, string what)
        {
            if (mode == Redaction.RedactionMode.None)
                WriteWarning($"-Redact None: the redaction pass is off, so secrets and personal data in the sources go into {what} as they are. Leave -Redact out (All) or use -Redact Secrets to keep only personal data.");
        }

        /// <summary>Verbose counts by kind (never a value) when the redaction pass replaced anything.</summary>
        internal void WriteRedactionVerbose(RedactionCounts counts, string where)
        {
            if (counts.Total > 0) WriteVerbose($"Redacted {counts} {where}.");
        }

        /// <summary>
        /// Resolves -Path (wildcards) or -LiteralPath to file-system paths. A path that matches nothing is a
        /// non-terminating error (SkillForge.Io.FileNotFound) and the other paths are still returned.
        /// </summary>
        internal IEnumerable<string> ResolveFilePaths(IEnumerable<string> paths, bool literal)
        {
            foreach (var path in paths)
            {
                List<string> resolved = new List<string>();
                try
                {
                    ProviderInfo provider;
                    if (literal)
                    {
                        resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                    }
                    else
                    {
                        resolved.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider));
                        // A wildcard that matches nothing resolves to nothing, without an exception: say so.
                        if (resolved.Count == 0)
                            throw new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                                $"No file matches '{path}'. Check the pattern and the folder.", path);
                    }
                    if (provider.Name != "FileSystem")
                        throw new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.InvalidArgument,
                            $"'{path}' is a {provider.Name} path, not a file-system path. Give a path to a file.", path);
                }
                catch (ItemNotFoundException e)
                {
                    WriteFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                        $"Cannot find '{path}'. Check the path; use -LiteralPath for names with [ or ].", path, e));
                    continue;
                }
                catch (SessionStateException e)
                {
                    // A drive or provider that does not exist (Z:\x.json, Foo::bar).
                    WriteFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.ObjectNotFound,
                        $"Cannot find '{path}': {e.Message}", path, e));
                    continue;
                }
                catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is System.IO.IOException || e is PSInvalidOperationException)
                {
                    WriteFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.InvalidArgument,
                        $"'{path}' is not a usable file path: {e.Message}", path, e));
                    continue;
                }
                catch (SkillForgeException e)
                {
                    WriteFailure(e);
                    continue;
                }

                foreach (var r in resolved) yield return r;
            }
        }

        /// <summary>Resolves an output folder (need not exist yet) to a file-system path.</summary>
        /// <remarks>
        /// A path on another provider, a missing drive or an invalid path stops the command (a terminating error
        /// naming <paramref name="parameterName"/> when given): nothing can be written there.
        /// </remarks>
        internal string ResolveOutputPath(string path, string? parameterName = null)
        {
            string what = parameterName == null ? $"'{path}'" : $"{parameterName} '{path}'";
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (Exception e) when (e is SessionStateException || e is ArgumentException || e is NotSupportedException || e is PSInvalidOperationException)
            {
                ThrowFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.InvalidArgument,
                    $"{what} cannot be used: {e.Message} Give a folder or file on a file-system drive.", path, e));
                throw; // ThrowFailure never returns.
            }
            if (provider.Name != "FileSystem")
                ThrowFailure(new SkillForgeException(ErrorIds.FileNotFound, FailureCategory.InvalidArgument,
                    $"{what} is a {provider.Name} path. Give a folder or file on a file-system drive.", path));
            return resolved;
        }

        private static ErrorCategory ToCategory(FailureCategory category) => category switch
        {
            FailureCategory.InvalidData => ErrorCategory.InvalidData,
            FailureCategory.InvalidArgument => ErrorCategory.InvalidArgument,
            FailureCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
            FailureCategory.ResourceExists => ErrorCategory.ResourceExists,
            FailureCategory.PermissionDenied => ErrorCategory.PermissionDenied,
            FailureCategory.AuthenticationError => ErrorCategory.AuthenticationError,
            FailureCategory.LimitsExceeded => ErrorCategory.LimitsExceeded,
            FailureCategory.OperationTimeout => ErrorCategory.OperationTimeout,
            FailureCategory.ConnectionError => ErrorCategory.ConnectionError,
            FailureCategory.InvalidResult => ErrorCategory.InvalidResult,
            FailureCategory.OperationStopped => ErrorCategory.OperationStopped,
            FailureCategory.WriteError => ErrorCategory.WriteError,
            FailureCategory.ReadError => ErrorCategory.ReadError,
            _ => ErrorCategory.NotSpecified,
        };
    }
}

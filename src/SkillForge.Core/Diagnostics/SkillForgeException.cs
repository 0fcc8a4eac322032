using System;

namespace SkillForge.Diagnostics
{
    /// <summary>Mirrors the PowerShell ErrorCategory values SkillForge uses, so Core stays free of PowerShell types.</summary>
    public enum FailureCategory
    {
        InvalidData,
        InvalidArgument,
        ObjectNotFound,
        ResourceExists,
        PermissionDenied,
        AuthenticationError,
        LimitsExceeded,
        OperationTimeout,
        ConnectionError,
        InvalidResult,
        NotSpecified,
        OperationStopped,
        WriteError,
        ReadError,
    }

    /// <summary>
    /// A failure with a stable ErrorId (see <see cref="ErrorIds"/>) and the item that caused it.
    /// Cmdlets turn it into an ErrorRecord; messages say what to do next.
    /// </summary>
    public class SkillForgeException : Exception
    {
        public SkillForgeException(string errorId, FailureCategory category, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            Target = target;
        }

        public string ErrorId { get; }
        public FailureCategory Category { get; }
        public object? Target { get; }
    }
}

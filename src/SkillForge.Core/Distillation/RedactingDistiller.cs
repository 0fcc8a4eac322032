using System;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Redaction;

namespace SkillForge.Distillation
{
    /// <summary>
    /// Puts every prompt through the redaction pass before the distiller it wraps sees it, whoever built the
    /// prompt (New-DistillPrompt already redacts; a prompt given as -Text or read back from JSON may not be).
    /// A prompt with nothing to replace goes on as it is; otherwise a copy with the redacted text and the counts
    /// added to its Redactions. Verbose output says how many of each kind, never what.
    /// </summary>
    public sealed class RedactingDistiller : IVerboseDistiller, IDisposable
    {
        private readonly IDistiller _inner;
        private readonly RedactionMode _mode;

        public RedactingDistiller(IDistiller inner, RedactionMode mode)
        {
            _inner = inner ?? throw new ArgumentNullException(nameof(inner));
            _mode = mode;
        }

        /// <summary>The distiller itself for -Redact None; otherwise the distiller behind the redaction pass.</summary>
        public static IDistiller Wrap(IDistiller distiller, RedactionMode mode) =>
            mode == RedactionMode.None ? distiller : new RedactingDistiller(distiller, mode);

        public IDistiller Inner => _inner;

        public Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken) =>
            DistillAsync(prompt, _ => { }, cancellationToken);

        public Task<DistillationResult> DistillAsync(DistillPrompt prompt, Action<string> verbose, CancellationToken cancellationToken)
        {
            if (prompt == null) throw new ArgumentNullException(nameof(prompt));
            verbose ??= _ => { };
            var sent = Redact(prompt, _mode, out var found);
            if (found.Total > 0) verbose($"Redacted {found} from {ChatClientDistiller.Label(prompt)} before sending it.");
            return _inner is IVerboseDistiller v ? v.DistillAsync(sent, verbose, cancellationToken) : _inner.DistillAsync(sent, cancellationToken);
        }

        /// <summary>The prompt with its text redacted (a copy when anything was found; the prompt itself otherwise).</summary>
        public static DistillPrompt Redact(DistillPrompt prompt, RedactionMode mode, out RedactionCounts found)
        {
            found = new RedactionCounts();
            string text = Redactor.Redact(prompt.Text ?? "", mode, found);
            if (found.Total == 0) return prompt;
            var copy = prompt.Copy();
            copy.Text = text;
            copy.Redactions = new RedactionCounts();
            copy.Redactions.Add(prompt.Redactions);
            copy.Redactions.Add(found);
            return copy;
        }

        public void Dispose() => (_inner as IDisposable)?.Dispose();
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SkillForge.Diagnostics;

namespace SkillForge.Distillation
{
    /// <summary>The answer (or failure) for one prompt, plus what the worker wanted to say verbosely.</summary>
    public sealed class DistillationOutcome
    {
        public DistillationOutcome(DistillPrompt prompt, DistillationResult? result, SkillForgeException? error, IReadOnlyList<string> verboseMessages)
        {
            Prompt = prompt;
            Result = result;
            Error = error;
            VerboseMessages = verboseMessages;
        }

        public DistillPrompt Prompt { get; }
        public DistillationResult? Result { get; }
        public SkillForgeException? Error { get; }
        public IReadOnlyList<string> VerboseMessages { get; }
    }

    /// <summary>
    /// Runs prompts through a distiller with at most ThrottleLimit in flight. Workers never write to the
    /// pipeline: outcomes are drained by the caller's thread, in input order. Identical prompts are sent once.
    /// </summary>
    public sealed class DistillationRunner : IDisposable
    {
        private readonly IDistiller _distiller;
        private readonly SemaphoreSlim _slots;
        private readonly CancellationTokenSource _cancellation;
        private readonly List<Entry> _entries = new List<Entry>();
        private readonly Dictionary<string, Entry> _byKey = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private int _next;
        private bool _disposed;

        public DistillationRunner(IDistiller distiller, int throttleLimit, CancellationToken cancellationToken)
        {
            _distiller = distiller ?? throw new ArgumentNullException(nameof(distiller));
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "ThrottleLimit must be at least 1.");
            ThrottleLimit = throttleLimit;
            _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public int ThrottleLimit { get; }

        /// <summary>Prompts queued so far.</summary>
        public int Queued => _entries.Count;

        /// <summary>Outcomes handed out so far.</summary>
        public int Drained => _next;

        /// <summary>Distinct requests started (duplicates share one).</summary>
        public int DistinctRequests => _byKey.Count;

        /// <summary>One request, shared by every input with the same prompt.</summary>
        private sealed class Work
        {
            public Work(DistillPrompt prompt, Task<DistillationOutcome> task)
            {
                Prompt = prompt;
                Task = task;
            }

            public DistillPrompt Prompt { get; }
            public Task<DistillationOutcome> Task { get; }
        }

        private sealed class Entry
        {
            public Entry(DistillPrompt prompt, Work work, int firstIndex)
            {
                Prompt = prompt;
                Work = work;
                FirstIndex = firstIndex;
            }

            public DistillPrompt Prompt { get; }
            public Work Work { get; }
            /// <summary>Index of the input this one duplicates, or its own index.</summary>
            public int FirstIndex { get; }
        }

        /// <summary>Queues a prompt; it starts as soon as a slot is free.</summary>
        public void Enqueue(DistillPrompt prompt)
        {
            if (prompt == null) throw new ArgumentNullException(nameof(prompt));
            if (_disposed) throw new ObjectDisposedException(nameof(DistillationRunner));
            string key = ((int)prompt.Kind).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" +
                         ((int)prompt.ExpectedOutput).ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + prompt.Text;
            if (_byKey.TryGetValue(key, out var original))
            {
                _entries.Add(new Entry(prompt, original.Work, original.FirstIndex));
                return;
            }
            var token = _cancellation.Token;
            var work = new Work(prompt, Task.Run(() => RunAsync(prompt, token)));
            var entry = new Entry(prompt, work, _entries.Count);
            _byKey[key] = entry;
            _entries.Add(entry);
        }

        /// <summary>Outcomes ready now, in input order, without blocking.</summary>
        public IEnumerable<DistillationOutcome> DrainCompleted()
        {
            while (_next < _entries.Count && _entries[_next].Work.Task.IsCompleted)
            {
                var entry = _entries[_next++];
                yield return OutcomeFor(entry);
            }
        }

        /// <summary>Waits for the rest and yields them in input order. Cancellation ends it at once, without the outcomes still due.</summary>
        public IEnumerable<DistillationOutcome> DrainAll()
        {
            while (_next < _entries.Count)
            {
                var entry = _entries[_next];
                try
                {
                    entry.Work.Task.Wait(_cancellation.Token);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                catch (AggregateException)
                {
                    // RunAsync turns every failure into an outcome; a faulted task is reported below.
                }
                if (_cancellation.IsCancellationRequested) yield break;
                _next++;
                yield return OutcomeFor(entry);
            }
        }

        /// <summary>Cancels whatever is still running.</summary>
        public void Cancel() => _cancellation.Cancel();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            // Anything not drained by now is abandoned: stop it rather than let it spend tokens.
            if (_next < _entries.Count)
            {
                try { _cancellation.Cancel(); }
                catch (ObjectDisposedException) { }
            }
            _cancellation.Dispose();
            // Workers may still be releasing their slot; the semaphore holds no OS handle until one waits on
            // AvailableWaitHandle, so leaving it to the collector is safe.
        }

        private async Task<DistillationOutcome> RunAsync(DistillPrompt prompt, CancellationToken token)
        {
            var verbose = new ConcurrentQueue<string>();
            void Say(string m) => verbose.Enqueue(m);
            bool entered = false;
            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
                entered = true;
                var result = _distiller is IVerboseDistiller v
                    ? await v.DistillAsync(prompt, Say, token).ConfigureAwait(false)
                    : await _distiller.DistillAsync(prompt, token).ConfigureAwait(false);
                return new DistillationOutcome(prompt, result, null, verbose.ToArray());
            }
            catch (SkillForgeException e)
            {
                return new DistillationOutcome(prompt, null, e, verbose.ToArray());
            }
            catch (OperationCanceledException e)
            {
                return new DistillationOutcome(prompt, null,
                    new DistillException(ErrorIds.DistillCancelled, FailureCategory.OperationStopped,
                        $"Distillation of {ChatClientDistiller.Label(prompt)} was cancelled.", prompt, inner: e), verbose.ToArray());
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                return new DistillationOutcome(prompt, null,
                    new DistillException(ErrorIds.DistillFailed, FailureCategory.NotSpecified,
                        $"Distillation of {ChatClientDistiller.Label(prompt)} failed: {e.GetType().Name}: {e.Message}", prompt, inner: e), verbose.ToArray());
            }
            finally
            {
                if (entered) _slots.Release();
            }
        }

        private DistillationOutcome OutcomeFor(Entry entry)
        {
            var task = entry.Work.Task;
            DistillationOutcome outcome = task.Status == TaskStatus.RanToCompletion
                ? task.Result
                : new DistillationOutcome(entry.Work.Prompt, null,
                    new DistillException(ErrorIds.DistillFailed, FailureCategory.NotSpecified,
                        $"Distillation of {ChatClientDistiller.Label(entry.Work.Prompt)} failed: {task.Exception?.GetBaseException().Message}", entry.Work.Prompt),
                    Array.Empty<string>());
            if (ReferenceEquals(entry.Prompt, entry.Work.Prompt)) return outcome;

            // A duplicate: the same answer, tied to this input's own prompt object.
            var note = new List<string> { $"{ChatClientDistiller.Label(entry.Prompt)}: same prompt as input {entry.FirstIndex + 1}; its answer is reused, nothing sent again." };
            if (outcome.Result != null)
            {
                var copy = Copy(outcome.Result, entry.Prompt);
                return new DistillationOutcome(entry.Prompt, copy, null, note);
            }
            var error = outcome.Error is DistillException de ? de.ForPrompt(entry.Prompt)
                : outcome.Error != null ? new SkillForgeException(outcome.Error.ErrorId, outcome.Error.Category, outcome.Error.Message, entry.Prompt, outcome.Error)
                : null;
            return new DistillationOutcome(entry.Prompt, null, error, note);
        }

        private static DistillationResult Copy(DistillationResult r, DistillPrompt prompt) => new DistillationResult
        {
            Prompt = prompt,
            Text = r.Text,
            Name = r.Name,
            Model = r.Model,
            Endpoint = r.Endpoint,
            InputTokens = r.InputTokens,
            OutputTokens = r.OutputTokens,
            Duration = r.Duration,
            FinishReason = r.FinishReason,
            Retries = r.Retries,
            Repaired = r.Repaired,
            CompressionRatio = r.CompressionRatio,
        };
    }
}

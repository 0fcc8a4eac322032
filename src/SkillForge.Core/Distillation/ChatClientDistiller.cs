using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using SkillForge.Diagnostics;
using SkillForge.Skills;

namespace SkillForge.Distillation
{
    /// <summary>How ChatClientDistiller calls its client.</summary>
    public sealed class ChatClientDistillerOptions
    {
        /// <summary>Sent as ChatOptions.ModelId; null leaves the client's own default.</summary>
        public string? Model { get; set; }
        /// <summary>Named in results and messages (host[:port], or the client's provider).</summary>
        public string EndpointHost { get; set; } = "";
        public float Temperature { get; set; } = DistillationSettings.DefaultTemperature;
        public int MaxOutputTokens { get; set; } = DistillationSettings.DefaultMaxOutputTokens;
        /// <summary>Limit per attempt (connecting, waiting and streaming the whole answer).</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(DistillationSettings.DefaultTimeoutSec);
        public DistillRetryPolicy RetryPolicy { get; set; } = new DistillRetryPolicy(DistillationSettings.DefaultMaxRetryCount);
        /// <summary>Only used to scrub the key from every message; never sent anywhere by this class.</summary>
        public string? ApiKey { get; set; }
        /// <summary>Whether the distiller disposes the client when it is disposed.</summary>
        public bool OwnsClient { get; set; }
    }

    /// <summary>
    /// Distills prompts through any Microsoft.Extensions.AI IChatClient: streams the answer, retries what is
    /// worth retrying (honouring the server's wait), limits each attempt to the timeout, checks SKILL.md answers
    /// and runs one repair round for an invalid one. Every failure is a DistillException naming the prompt.
    /// </summary>
    public sealed class ChatClientDistiller : IVerboseDistiller, IDisposable
    {
        private readonly IChatClient _client;
        private readonly ChatClientDistillerOptions _options;

        public ChatClientDistiller(IChatClient client, ChatClientDistillerOptions options)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _options = options ?? throw new ArgumentNullException(nameof(options));
        }

        public ChatClientDistillerOptions Options => _options;

        public Task<DistillationResult> DistillAsync(DistillPrompt prompt, CancellationToken cancellationToken) =>
            DistillAsync(prompt, _ => { }, cancellationToken);

        public async Task<DistillationResult> DistillAsync(DistillPrompt prompt, Action<string> verbose, CancellationToken cancellationToken)
        {
            if (prompt == null) throw new ArgumentNullException(nameof(prompt));
            verbose ??= _ => { };
            void Say(string message) => verbose(ApiKeyMask.Scrub(message, _options.ApiKey));

            var clock = Stopwatch.StartNew();
            var messages = new List<ChatMessage> { new ChatMessage(ChatRole.User, prompt.Text) };
            string label = Label(prompt);

            var first = await SendAsync(prompt, messages, label, Say, retriesSoFar: 0, cancellationToken).ConfigureAwait(false);
            var result = new DistillationResult
            {
                Prompt = prompt,
                // The name the user asked for, as typed; the server's own id only when none was given.
                Model = _options.Model ?? first.Model ?? "",
                Endpoint = _options.EndpointHost,
                InputTokens = first.InputTokens,
                OutputTokens = first.OutputTokens,
                FinishReason = first.FinishReason ?? "",
                Retries = first.Retries,
            };
            int finalOutputTokens = first.OutputTokens;

            if (prompt.ExpectedOutput == DistillOutputKind.SkillMarkdown)
            {
                string skill = SkillAnswer.StripFence(first.Text);
                var validation = SkillAnswer.Validate(skill);
                if (!validation.IsValid)
                {
                    Say($"{label}: the answer is not a valid SKILL.md ({validation.ErrorCount} error(s)); asking the model to repair it.");
                    messages.Add(new ChatMessage(ChatRole.Assistant, first.Text));
                    messages.Add(new ChatMessage(ChatRole.User, SkillAnswer.RepairRequest(validation)));
                    var second = await SendAsync(prompt, messages, label + " (repair)", Say, first.Retries, cancellationToken).ConfigureAwait(false);
                    result.InputTokens += second.InputTokens;
                    result.OutputTokens += second.OutputTokens;
                    result.Retries = second.Retries;
                    result.FinishReason = second.FinishReason ?? result.FinishReason;
                    result.Repaired = true;
                    finalOutputTokens = second.OutputTokens;
                    skill = SkillAnswer.StripFence(second.Text);
                    validation = SkillAnswer.Validate(skill);
                    if (!validation.IsValid)
                    {
                        var problems = new StringBuilder();
                        foreach (var d in validation.Diagnostics)
                            if (d.Severity == DiagnosticSeverity.Error) problems.Append(problems.Length > 0 ? "; " : "").Append(d.Code).Append(' ').Append(d.Message);
                        throw Fail(prompt, ErrorIds.DistillInvalidSkill, FailureCategory.InvalidResult,
                            $"{_options.EndpointHost} model '{ModelName(result.Model)}' did not return a valid SKILL.md for {label}, even after a repair round " +
                            $"({problems}). Try another -Model, or -Offline. The answer was:\n{second.Text}", null, second.Text, result.Retries);
                    }
                }
                result.Text = skill;
                result.Name = validation.Name;
            }
            else
            {
                result.Text = first.Text;
            }

            result.Duration = clock.Elapsed;
            result.CompressionRatio = finalOutputTokens > 0 ? Math.Round((double)prompt.SourceTokens / finalOutputTokens, 2) : 0;
            Say(string.Format(CultureInfo.InvariantCulture, "{0}: done in {1:0.00} s, {2} input / {3} output tokens, {4} retr{5}{6}.",
                label, result.Duration.TotalSeconds, result.InputTokens, result.OutputTokens, result.Retries, result.Retries == 1 ? "y" : "ies",
                result.Repaired ? ", repaired" : ""));
            return result;
        }

        public void Dispose()
        {
            if (_options.OwnsClient) _client.Dispose();
        }

        private sealed class Answer
        {
            public string Text = "";
            public string? FinishReason;
            public string? Model;
            public int InputTokens;
            public int OutputTokens;
            public int Retries;
        }

        /// <summary>One request with retries. Returns a non-empty answer or throws DistillException.</summary>
        private async Task<Answer> SendAsync(DistillPrompt prompt, List<ChatMessage> messages, string label, Action<string> say, int retriesSoFar, CancellationToken cancellationToken)
        {
            var policy = _options.RetryPolicy;
            var chatOptions = new ChatOptions
            {
                ModelId = _options.Model,
                MaxOutputTokens = _options.MaxOutputTokens,
                Temperature = ModelCatalog.AcceptsTemperature(_options.Model) ? _options.Temperature : (float?)null,
            };
            int retries = retriesSoFar;
            int used = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var attemptClock = Stopwatch.StartNew();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(_options.Timeout);
                var sb = new StringBuilder();
                var answer = new Answer { Retries = retries };
                long? inTokens = null, outTokens = null;
                double? firstTokenMs = null;
                DistillFailure? failure = null;
                try
                {
                    await StreamAsync(messages, chatOptions, sb, answer, (i, o) => { inTokens = i ?? inTokens; outTokens = o ?? outTokens; },
                        () => firstTokenMs ??= attemptClock.Elapsed.TotalMilliseconds, attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw Fail(prompt, ErrorIds.DistillCancelled, FailureCategory.OperationStopped, $"Distillation of {label} was cancelled.", null, null, retries);
                }
                catch (OperationCanceledException e) when (attempt.IsCancellationRequested)
                {
                    failure = new DistillFailure(DistillFailureKind.Timeout, null,
                        string.Format(CultureInfo.InvariantCulture, "no complete answer within {0:0.#} s", _options.Timeout.TotalSeconds), null, e);
                }
                catch (Exception e) when (!(e is OutOfMemoryException))
                {
                    if (cancellationToken.IsCancellationRequested)
                        throw Fail(prompt, ErrorIds.DistillCancelled, FailureCategory.OperationStopped, $"Distillation of {label} was cancelled.", null, null, retries);
                    failure = attempt.IsCancellationRequested && !(e is StreamTruncatedException)
                        ? new DistillFailure(DistillFailureKind.Timeout, null,
                            string.Format(CultureInfo.InvariantCulture, "no complete answer within {0:0.#} s", _options.Timeout.TotalSeconds), null, e)
                        : DistillFailure.Classify(e, sb.Length > 0, DateTimeOffset.UtcNow);
                }

                if (failure == null)
                {
                    answer.Text = sb.ToString();
                    if (answer.Text.Trim().Length == 0)
                        throw Fail(prompt, ErrorIds.DistillEmptyOutput, FailureCategory.InvalidResult,
                            $"{_options.EndpointHost} model '{ModelName(answer.Model)}' returned an empty answer for {label} (finish reason '{answer.FinishReason ?? "none"}'). " +
                            DistillFailureAdvice(DistillFailureKind.EmptyOutput), null, answer.Text, retries);
                    answer.InputTokens = inTokens.HasValue ? (int)inTokens.Value : EstimateInput(messages);
                    answer.OutputTokens = outTokens.HasValue ? (int)outTokens.Value : TokenEstimator.Estimate(answer.Text);
                    answer.Retries = retries;
                    say(string.Format(CultureInfo.InvariantCulture,
                        "{0}: {1} answered in {2:0} ms (first token after {3:0} ms), finish reason {4}, {5} input / {6} output tokens{7}.",
                        label, _options.EndpointHost, attemptClock.Elapsed.TotalMilliseconds,
                        firstTokenMs ?? 0,
                        answer.FinishReason ?? "none", answer.InputTokens, answer.OutputTokens,
                        inTokens.HasValue ? "" : " (estimated)"));
                    if (answer.FinishReason == "length")
                        say($"{label}: the answer hit the -MaxOutputTokens limit ({_options.MaxOutputTokens}) and may be cut short.");
                    return answer;
                }

                used++;
                if (!failure.IsRetryable || used > policy.MaxRetries)
                {
                    bool gaveUp = failure.IsRetryable && policy.MaxRetries > 0;
                    string partial = sb.ToString();
                    throw Fail(prompt, failure.ErrorId, failure.Category,
                        Describe(failure, label) + (gaveUp ? $" Gave up after {retries} retr{(retries == 1 ? "y" : "ies")}." : "") + " " + failure.Advice,
                        failure.StatusCode, partial.Length > 0 ? partial : null, retries, failure.Exception);
                }

                var delay = policy.GetDelay(used, failure.RetryAfter);
                say(string.Format(CultureInfo.InvariantCulture, "{0}: {1}; retry {2} of {3} in {4:0.0} s{5}.",
                    label, Describe(failure, label: null), used, policy.MaxRetries, delay.TotalSeconds,
                    failure.RetryAfter.HasValue ? " (as the server asked)" : ""));
                retries++;
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw Fail(prompt, ErrorIds.DistillCancelled, FailureCategory.OperationStopped, $"Distillation of {label} was cancelled.", null, null, retries);
                }
            }
        }

        /// <summary>
        /// The most characters an answer may have before reading stops: 8 per allowed output token (tokens average about
        /// 4 characters, so twice that), plus 4096, and never more than a SKILL.md may hold. A server that ignores
        /// max_tokens cannot make SkillForge hold or write an answer of any size.
        /// </summary>
        internal static int MaxAnswerChars(int? maxOutputTokens) =>
            (int)Math.Min(SkillMarkdownValidator.MaxFileBytes, 8L * Math.Max(1, maxOutputTokens ?? DistillationSettings.DefaultMaxOutputTokens) + 4096);

        /// <summary>Streams one answer into <paramref name="sb"/>. Returns as soon as the token is cancelled, whatever the client does.</summary>
        private async Task StreamAsync(List<ChatMessage> messages, ChatOptions options, StringBuilder sb, Answer answer,
            Action<long?, long?> usage, Action onToken, CancellationToken token)
        {
            var enumerator = _client.GetStreamingResponseAsync(messages, options, token).GetAsyncEnumerator(token);
            bool abandoned = false;
            // Completes when the token is cancelled: raced against every read the client does not finish at once.
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = token.Register(() => cancelled.TrySetResult(true));
            try
            {
                while (true)
                {
                    var next = enumerator.MoveNextAsync();
                    bool more;
                    if (next.IsCompleted)
                    {
                        more = next.Result;
                    }
                    else
                    {
                        var pending = next.AsTask();
                        if (await Task.WhenAny(pending, cancelled.Task).ConfigureAwait(false) != pending)
                        {
                            // The client ignores cancellation: leave it behind, observed, and stop now.
                            abandoned = true;
                            _ = pending.ContinueWith(t => { _ = t.Exception; _ = enumerator.DisposeAsync(); }, TaskScheduler.Default);
                            token.ThrowIfCancellationRequested();
                        }
                        more = await pending.ConfigureAwait(false);
                    }
                    if (!more) break;

                    var update = enumerator.Current;
                    if (update == null) continue;
                    if (update.ModelId != null) answer.Model = update.ModelId;
                    if (update.FinishReason.HasValue) answer.FinishReason = update.FinishReason.Value.Value;
                    foreach (var content in update.Contents)
                    {
                        if (content is TextContent text && !string.IsNullOrEmpty(text.Text))
                        {
                            onToken();
                            sb.Append(text.Text);
                            if (sb.Length > MaxAnswerChars(options.MaxOutputTokens))
                                throw new AnswerTooLongException(
                                    $"the answer grew past {MaxAnswerChars(options.MaxOutputTokens)} characters, far more than -MaxOutputTokens {options.MaxOutputTokens} allows, so reading it stopped");
                        }
                        else if (content is UsageContent u && u.Details != null)
                        {
                            usage(u.Details.InputTokenCount, u.Details.OutputTokenCount);
                        }
                    }
                }
            }
            finally
            {
                if (!abandoned)
                {
                    try { await enumerator.DisposeAsync().ConfigureAwait(false); }
                    catch (Exception e) when (e is OperationCanceledException || e is ObjectDisposedException || e is System.IO.IOException || e is InvalidOperationException) { }
                }
            }
        }

        private string Describe(DistillFailure failure, string? label)
        {
            string where = _options.EndpointHost.Length > 0 ? _options.EndpointHost : "the chat client";
            string what = failure.StatusCode.HasValue
                ? $"{where} answered HTTP {failure.StatusCode.Value.ToString(CultureInfo.InvariantCulture)} ({KindText(failure.Kind)})"
                : $"{where}: {KindText(failure.Kind)}";
            string forWhat = label != null ? $" for {label} (model '{ModelName(_options.Model)}')" : "";
            string server = string.IsNullOrWhiteSpace(failure.ServerMessage) ? "" : ": " + TextUtil.Truncate(failure.ServerMessage.Trim(), 1000);
            return what + forWhat + server + (server.EndsWith(".", StringComparison.Ordinal) ? "" : ".");
        }

        private static string KindText(DistillFailureKind kind) => kind switch
        {
            DistillFailureKind.RateLimited => "rate limited",
            DistillFailureKind.QuotaExceeded => "quota exceeded",
            DistillFailureKind.Unauthorized => "unauthorized",
            DistillFailureKind.Forbidden => "forbidden",
            DistillFailureKind.BadRequest => "bad request",
            DistillFailureKind.NotFound => "not found",
            DistillFailureKind.ServerError => "server error",
            DistillFailureKind.ConnectionFailed => "connection failed",
            DistillFailureKind.Timeout => "timed out",
            DistillFailureKind.Truncated => "answer stream cut short",
            DistillFailureKind.EmptyOutput => "empty answer",
            DistillFailureKind.Cancelled => "cancelled",
            _ => "request failed",
        };

        private static string DistillFailureAdvice(DistillFailureKind kind) =>
            new DistillFailure(kind, null, "", null, null).Advice;

        private DistillException Fail(DistillPrompt prompt, string errorId, FailureCategory category, string message, int? status, string? raw, int retries, Exception? inner = null) =>
            new DistillException(errorId, category, ApiKeyMask.Scrub(message, _options.ApiKey), prompt, status,
                raw == null ? null : ApiKeyMask.Scrub(raw, _options.ApiKey), retries, inner == null ? null : new ScrubbedException(inner, _options.ApiKey));

        private static int EstimateInput(List<ChatMessage> messages)
        {
            int total = 0;
            foreach (var m in messages) total += TokenEstimator.Estimate(m.Text) + 4;
            return total;
        }

        private static string ModelName(string? model) => string.IsNullOrEmpty(model) ? "(client default)" : model!;

        /// <summary>How messages name a prompt: its kind and the start of its fingerprint.</summary>
        public static string Label(DistillPrompt prompt)
        {
            string fp = prompt.Fingerprint ?? "";
            string id = fp.Length > 12 ? fp.Substring(0, 12) : fp;
            return id.Length > 0 ? $"{prompt.Kind} prompt {id}" : $"{prompt.Kind} prompt";
        }
    }

    /// <summary>An inner exception's type and message with the key removed (the original may quote a server's answer).</summary>
    public sealed class ScrubbedException : Exception
    {
        public ScrubbedException(Exception original, string? apiKey)
            : base(original.GetType().FullName + ": " + ApiKeyMask.Scrub(original.Message, apiKey),
                   original.InnerException == null ? null : new ScrubbedException(original.InnerException, apiKey))
        {
            OriginalType = original.GetType().FullName ?? original.GetType().Name;
        }

        public string OriginalType { get; }
    }
}

using System;
using System.ClientModel;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using SkillForge.Diagnostics;

namespace SkillForge.Distillation
{
    /// <summary>The kinds of failure a model call can have; each maps to one ErrorId.</summary>
    public enum DistillFailureKind
    {
        RateLimited, QuotaExceeded, Unauthorized, Forbidden, BadRequest, NotFound, ServerError,
        ConnectionFailed, Timeout, Truncated, EmptyOutput, Cancelled, Failed,
        /// <summary>The server answered with something that is not chat-completions JSON (a malformed stream event).</summary>
        InvalidResponse,
        /// <summary>The answer grew past what -MaxOutputTokens allows (with margin): reading stopped.</summary>
        AnswerTooLong,
    }

    /// <summary>One classified failure of one attempt: what happened, whether to retry, and the server's hint.</summary>
    public sealed class DistillFailure
    {
        public DistillFailure(DistillFailureKind kind, int? statusCode, string serverMessage, TimeSpan? retryAfter, Exception? exception)
        {
            Kind = kind;
            StatusCode = statusCode;
            ServerMessage = serverMessage;
            RetryAfter = retryAfter;
            Exception = exception;
        }

        public DistillFailureKind Kind { get; }
        public int? StatusCode { get; }
        /// <summary>What the server (or the transport) said, not yet scrubbed of the key.</summary>
        public string ServerMessage { get; }
        public TimeSpan? RetryAfter { get; }
        public Exception? Exception { get; }

        /// <summary>429 (not an exhausted quota), 5xx, connection failures, timeouts and cut streams are retried; the rest never.</summary>
        public bool IsRetryable => Kind == DistillFailureKind.RateLimited || Kind == DistillFailureKind.ServerError
            || Kind == DistillFailureKind.ConnectionFailed || Kind == DistillFailureKind.Timeout || Kind == DistillFailureKind.Truncated;

        public string ErrorId => Kind switch
        {
            DistillFailureKind.RateLimited => ErrorIds.DistillRateLimited,
            DistillFailureKind.QuotaExceeded => ErrorIds.DistillQuotaExceeded,
            DistillFailureKind.Unauthorized => ErrorIds.DistillUnauthorized,
            DistillFailureKind.Forbidden => ErrorIds.DistillForbidden,
            DistillFailureKind.BadRequest => ErrorIds.DistillBadRequest,
            DistillFailureKind.NotFound => ErrorIds.DistillNotFound,
            DistillFailureKind.ServerError => ErrorIds.DistillServerError,
            DistillFailureKind.ConnectionFailed => ErrorIds.DistillConnectionFailed,
            DistillFailureKind.Timeout => ErrorIds.DistillTimeout,
            DistillFailureKind.Truncated => ErrorIds.DistillTruncated,
            DistillFailureKind.EmptyOutput => ErrorIds.DistillEmptyOutput,
            DistillFailureKind.Cancelled => ErrorIds.DistillCancelled,
            DistillFailureKind.InvalidResponse => ErrorIds.DistillInvalidResponse,
            DistillFailureKind.AnswerTooLong => ErrorIds.DistillAnswerTooLong,
            _ => ErrorIds.DistillFailed,
        };

        public FailureCategory Category => Kind switch
        {
            DistillFailureKind.RateLimited => FailureCategory.LimitsExceeded,
            DistillFailureKind.QuotaExceeded => FailureCategory.LimitsExceeded,
            DistillFailureKind.Unauthorized => FailureCategory.AuthenticationError,
            DistillFailureKind.Forbidden => FailureCategory.PermissionDenied,
            DistillFailureKind.BadRequest => FailureCategory.InvalidArgument,
            DistillFailureKind.NotFound => FailureCategory.ObjectNotFound,
            DistillFailureKind.ConnectionFailed => FailureCategory.ConnectionError,
            DistillFailureKind.Timeout => FailureCategory.OperationTimeout,
            DistillFailureKind.Truncated => FailureCategory.InvalidResult,
            DistillFailureKind.EmptyOutput => FailureCategory.InvalidResult,
            DistillFailureKind.Cancelled => FailureCategory.OperationStopped,
            DistillFailureKind.InvalidResponse => FailureCategory.InvalidResult,
            DistillFailureKind.AnswerTooLong => FailureCategory.LimitsExceeded,
            _ => FailureCategory.NotSpecified,
        };

        /// <summary>What the user can do about it, in one sentence.</summary>
        public string Advice => Kind switch
        {
            DistillFailureKind.RateLimited => "Lower -ThrottleLimit, raise -MaxRetryCount, or try again later.",
            DistillFailureKind.QuotaExceeded => "The account's quota is used up; retrying will not help. Check the plan and billing of the account behind the key.",
            DistillFailureKind.Unauthorized => "Check the API key (-ApiKey, Set-SkillForgeContext -ApiKey or $env:OPENAI_API_KEY) and that it belongs to this endpoint.",
            DistillFailureKind.Forbidden => "The key is valid but may not use this model or resource; check its permissions or choose another -Model.",
            DistillFailureKind.BadRequest => "The server rejected the request; check -Model, -Temperature and -MaxOutputTokens for this server.",
            DistillFailureKind.NotFound => "Check -Model (for Azure OpenAI, the deployment name) and that -Endpoint is the API base URL ending in /v1.",
            DistillFailureKind.ServerError => "The server failed; try again later or raise -MaxRetryCount.",
            DistillFailureKind.ConnectionFailed => "Check -Endpoint and that the server is running and reachable.",
            DistillFailureKind.Timeout => "Raise -TimeoutSec, or check that the server is not overloaded.",
            DistillFailureKind.Truncated => "The answer stream was cut before it ended; try again, or raise -MaxRetryCount.",
            DistillFailureKind.EmptyOutput => "The model returned nothing; try another -Model or check the prompt.",
            DistillFailureKind.Cancelled => "The run was stopped.",
            DistillFailureKind.InvalidResponse => "Check that -Endpoint is an OpenAI-compatible chat-completions API (its base URL, ending in /v1) and that -Model names a chat model.",
            DistillFailureKind.AnswerTooLong => "The server ignores the output token limit; check -Model and the server, or raise -MaxOutputTokens if such long skills are wanted.",
            _ => "See the inner exception for details.",
        };

        /// <summary>Classifies what a chat client threw. <paramref name="receivedOutput"/>: the answer had started.</summary>
        public static DistillFailure Classify(Exception exception, bool receivedOutput, DateTimeOffset now)
        {
            // Unwrap aggregate/target-invocation wrappers to the first meaningful failure.
            var ex = exception;
            while ((ex is AggregateException || ex is TargetInvocationException) && ex.InnerException != null) ex = ex.InnerException;

            if (ex is StreamTruncatedException)
                return new DistillFailure(DistillFailureKind.Truncated, null, ex.Message, null, ex);

            if (ex is ClientResultException cre && cre.Status > 0)
                return FromStatus(cre.Status, ReadServerMessage(cre), ReadRetryAfter(cre, now), ex);

            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e is HttpRequestException hre)
                {
                    int? status = ReadHttpStatus(hre);
                    if (status.HasValue && status.Value >= 400) return FromStatus(status.Value, hre.Message, null, ex);
                    break;
                }
            }

            // A stream event that is not JSON: the SDK's parser throws JsonException (sometimes wrapped).
            for (Exception? e = ex; e != null; e = e.InnerException)
                if (e is JsonException)
                    return new DistillFailure(DistillFailureKind.InvalidResponse, null, "the server sent an answer that is not valid JSON (" + InnermostMessage(e) + ")", null, ex);

            bool transport = false;
            for (Exception? e = ex; e != null; e = e.InnerException)
                if (e is HttpRequestException || e is IOException || e is SocketException || e is WebException
                    || (e is ClientResultException c && c.Status == 0))
                    transport = true;

            if (transport)
            {
                string message = InnermostMessage(ex);
                return receivedOutput
                    ? new DistillFailure(DistillFailureKind.Truncated, null, "the connection closed before the answer ended (" + message + ")", null, ex)
                    : new DistillFailure(DistillFailureKind.ConnectionFailed, null, message, null, ex);
            }

            return new DistillFailure(DistillFailureKind.Failed, null, ex.GetType().Name + ": " + ex.Message, null, ex);
        }

        /// <summary>Maps an HTTP error status (and the error body's code) to a failure.</summary>
        public static DistillFailure FromStatus(int status, string serverMessage, TimeSpan? retryAfter, Exception? exception)
        {
            DistillFailureKind kind;
            if (status == 429)
                kind = IsQuotaMessage(serverMessage) ? DistillFailureKind.QuotaExceeded : DistillFailureKind.RateLimited;
            else if (status == 401) kind = DistillFailureKind.Unauthorized;
            else if (status == 403) kind = DistillFailureKind.Forbidden;
            else if (status == 404) kind = DistillFailureKind.NotFound;
            else if (status == 408) kind = DistillFailureKind.Timeout;
            else if (status >= 500) kind = DistillFailureKind.ServerError;
            else kind = DistillFailureKind.BadRequest;
            return new DistillFailure(kind, status, serverMessage, retryAfter, exception);
        }

        private static bool IsQuotaMessage(string serverMessage) =>
            serverMessage.IndexOf("insufficient_quota", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>The error body's message, type and code ("message (type: code)"), or the exception's message.</summary>
        private static string ReadServerMessage(ClientResultException e)
        {
            string? body = null;
            try
            {
                var response = e.GetRawResponse();
                if (response != null)
                {
                    try { body = response.Content?.ToString(); }
                    catch (InvalidOperationException) { body = null; }
                    if (string.IsNullOrEmpty(body) && response.ContentStream != null)
                    {
                        try
                        {
                            response.BufferContent();
                            body = response.Content?.ToString();
                        }
                        catch (Exception inner) when (inner is InvalidOperationException || inner is IOException || inner is NotSupportedException || inner is ObjectDisposedException)
                        {
                            body = null;
                        }
                    }
                }
            }
            catch (InvalidOperationException)
            {
                body = null;
            }
            return DescribeErrorBody(body) ?? e.Message;
        }

        /// <summary>Reads an OpenAI-style error body {"error":{"message","type","code"}} into one line.</summary>
        public static string? DescribeErrorBody(string? body)
        {
            if (string.IsNullOrWhiteSpace(body)) return null;
            try
            {
                using var doc = JsonDocument.Parse(body!);
                var root = doc.RootElement;
                var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var err) ? err : root;
                if (error.ValueKind == JsonValueKind.String) return error.GetString();
                if (error.ValueKind != JsonValueKind.Object) return TextUtil.Truncate(body!.Trim(), 500);
                string message = Str(error, "message") ?? "";
                var tags = new List<string>();
                string? type = Str(error, "type");
                string? code = Str(error, "code");
                if (!string.IsNullOrEmpty(type)) tags.Add("type " + type);
                if (!string.IsNullOrEmpty(code) && code != type) tags.Add("code " + code);
                string text = tags.Count > 0 ? $"{message} ({string.Join(", ", tags)})" : message;
                return string.IsNullOrWhiteSpace(text) ? TextUtil.Truncate(body!.Trim(), 500) : text;
            }
            catch (JsonException)
            {
                return TextUtil.Truncate(body!.Trim(), 500);
            }
        }

        private static string? Str(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null) : null;

        private static TimeSpan? ReadRetryAfter(ClientResultException e, DateTimeOffset now)
        {
            try
            {
                var response = e.GetRawResponse();
                if (response == null) return null;
                response.Headers.TryGetValue("retry-after-ms", out string? ms);
                response.Headers.TryGetValue("Retry-After", out string? after);
                return DistillRetryPolicy.ParseRetryAfter(ms, after, now);
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>HttpRequestException.StatusCode exists from .NET 5; read it without depending on it.</summary>
        private static int? ReadHttpStatus(HttpRequestException e)
        {
            var property = e.GetType().GetProperty("StatusCode");
            if (property?.GetValue(e) is HttpStatusCode code) return (int)code;
            return null;
        }

        private static string InnermostMessage(Exception e)
        {
            var parts = new List<string>();
            for (Exception? x = e; x != null && parts.Count < 3; x = x.InnerException)
                if (!string.IsNullOrWhiteSpace(x.Message) && !parts.Contains(x.Message)) parts.Add(x.Message.Trim());
            return string.Join(" ", parts);
        }
    }

    /// <summary>The answer stream ended without its end marker (no finish reason and no [DONE]).</summary>
    public sealed class StreamTruncatedException : IOException
    {
        public StreamTruncatedException(string message) : base(message) { }
    }
}

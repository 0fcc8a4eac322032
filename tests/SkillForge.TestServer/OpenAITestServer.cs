using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SkillForge.TestServer
{
    /// <summary>One request the server received.</summary>
    public sealed class LoggedRequest
    {
        public DateTimeOffset ReceivedAt { get; set; }
        /// <summary>The order of arrival (1, 2, ...): order requests by this, never by their timestamps.</summary>
        public long Sequence { get; set; }
        public string Method { get; set; } = "";
        /// <summary>The path with repeated slashes collapsed (what routing uses).</summary>
        public string Path { get; set; } = "";
        /// <summary>The path exactly as the client sent it.</summary>
        public string RawPath { get; set; } = "";
        public string Model { get; set; } = "";
        public bool Stream { get; set; }
        public bool IncludeUsage { get; set; }
        public string? Authorization { get; set; }
        public double? Temperature { get; set; }
        public int? MaxTokens { get; set; }
        /// <summary>Role and content of every message, in order.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Messages { get; set; } = Array.Empty<KeyValuePair<string, string>>();
        public string Body { get; set; } = "";
        /// <summary>The status the server answered with (200 for a stream, even one cut later).</summary>
        public int Status { get; set; }

        public string FirstUserMessage => Messages.FirstOrDefault(m => m.Key == "user").Value ?? "";
    }

    /// <summary>
    /// A real HTTP server on 127.0.0.1 (a free port unless one is given) that speaks the OpenAI chat-completions
    /// wire format: POST /v1/chat/completions (SSE when "stream": true, JSON otherwise) and GET /v1/models;
    /// GET /v1/requests returns the request log as JSON for tests that run it as a process.
    /// Behaviour comes from the model name or the X-Test-Behaviour header (see <see cref="Behaviour"/>).
    /// </summary>
    public sealed class OpenAITestServer : IDisposable, IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<LoggedRequest> _log = new ConcurrentQueue<LoggedRequest>();
        private readonly ConcurrentDictionary<string, int> _counters = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private int _disposed;
        private int _inFlight;
        private int _maxInFlight;
        private long _sequence;
        // Per model name (the behaviour text): requests being answered now and the most at once, so a test
        // measures its own concurrency even while other tests use the server.
        private readonly ConcurrentDictionary<string, ConcurrencyCount> _perModel = new ConcurrentDictionary<string, ConcurrencyCount>(StringComparer.Ordinal);

        private sealed class ConcurrencyCount
        {
            public int InFlight;
            public int Peak;
        }

        private OpenAITestServer(WebApplication app, Uri baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        /// <summary>The API base URL, e.g. http://127.0.0.1:41234/v1 (what -Endpoint takes).</summary>
        public Uri BaseUrl { get; }

        public int Port => BaseUrl.Port;

        /// <summary>Every request received so far, oldest first.</summary>
        public IReadOnlyList<LoggedRequest> Requests => _log.ToArray();

        /// <summary>The most chat-completion requests that were being answered at the same time.</summary>
        public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

        /// <summary>The most chat-completion requests for this model name that were being answered at the same time.</summary>
        public int MaxConcurrentRequestsFor(string model)
        {
            if (!_perModel.TryGetValue(model, out var count)) return 0;
            lock (count) return count.Peak;
        }

        /// <summary>Forgets the request log, the failure counters and the concurrency peak.</summary>
        public void Reset()
        {
            while (_log.TryDequeue(out _)) { }
            _counters.Clear();
            _perModel.Clear();
            Interlocked.Exchange(ref _maxInFlight, 0);
        }

        /// <summary>Chat-completion requests received for one model name.</summary>
        public int CountRequests(string model) => _log.Count(r => r.Model == model && r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));

        /// <summary>Starts a server; port 0 picks a free one.</summary>
        public static OpenAITestServer Start(int port = 0)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Array.Empty<string>() });
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, port);
                k.AddServerHeader = false;
                k.Limits.MinResponseDataRate = null;
            });
            var app = builder.Build();
            OpenAITestServer? server = null;
            app.Run(ctx => server!.HandleAsync(ctx));
            app.StartAsync().GetAwaiter().GetResult();
            var address = ((IServer)app.Services.GetService(typeof(IServer))!).Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var bound = new Uri(address);
            server = new OpenAITestServer(app, new Uri($"http://127.0.0.1:{bound.Port}/v1"));
            return server;
        }

        public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            _stopping.Cancel();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            {
                try { await _app.StopAsync(timeout.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { }
            }
            await _app.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }

        private async Task HandleAsync(HttpContext ctx)
        {
            string path = "/" + string.Join("/", (ctx.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries));
            var entry = new LoggedRequest
            {
                ReceivedAt = DateTimeOffset.UtcNow,
                Sequence = Interlocked.Increment(ref _sequence),
                Method = ctx.Request.Method,
                Path = path,
                RawPath = ctx.Request.Path.Value ?? "",
                Authorization = ctx.Request.Headers.Authorization.FirstOrDefault(),
            };

            if (HttpMethods.IsGet(ctx.Request.Method) && path.EndsWith("/models", StringComparison.Ordinal))
            {
                entry.Status = 200;
                _log.Enqueue(entry);
                await WriteJsonAsync(ctx, 200, w =>
                {
                    w.WriteString("object", "list");
                    w.WriteStartArray("data");
                    foreach (var m in Behaviour.KnownModels)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", m);
                        w.WriteString("object", "model");
                        w.WriteNumber("created", 1700000000);
                        w.WriteString("owned_by", "skillforge-test");
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsGet(ctx.Request.Method) && path.EndsWith("/concurrency", StringComparison.Ordinal))
            {
                // The concurrency peak of one model name (?model=...), for tests that run the server as a process.
                string model = ctx.Request.Query["model"].FirstOrDefault() ?? "";
                await WriteJsonAsync(ctx, 200, w =>
                {
                    w.WriteString("model", model);
                    w.WriteNumber("max_concurrent_requests", MaxConcurrentRequestsFor(model));
                }).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsGet(ctx.Request.Method) && path.EndsWith("/requests", StringComparison.Ordinal))
            {
                // The request log, for tests that run the server as a process (Pester).
                var logged = Requests;
                await WriteJsonAsync(ctx, 200, w =>
                {
                    w.WriteStartArray("data");
                    foreach (var r in logged.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)))
                    {
                        w.WriteStartObject();
                        w.WriteString("received_at", r.ReceivedAt);
                        w.WriteNumber("sequence", r.Sequence);
                        w.WriteString("model", r.Model);
                        w.WriteBoolean("stream", r.Stream);
                        w.WriteNumber("status", r.Status);
                        w.WriteNumber("messages", r.Messages.Count);
                        w.WriteString("first_user_message", r.FirstUserMessage);
                        w.WriteString("body", r.Body);
                        w.WriteBoolean("authorized", !string.IsNullOrEmpty(r.Authorization));
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }).ConfigureAwait(false);
                return;
            }

            if (!HttpMethods.IsPost(ctx.Request.Method) || !path.EndsWith("/chat/completions", StringComparison.Ordinal))
            {
                entry.Status = 404;
                _log.Enqueue(entry);
                await WriteErrorAsync(ctx, 404, $"Unknown path {path}.", "invalid_request_error", "unknown_url").ConfigureAwait(false);
                return;
            }

            string body;
            using (var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8))
                body = await reader.ReadToEndAsync().ConfigureAwait(false);
            entry.Body = body;
            try
            {
                ParseRequest(body, entry);
            }
            catch (JsonException e)
            {
                entry.Status = 400;
                _log.Enqueue(entry);
                await WriteErrorAsync(ctx, 400, "The body is not valid JSON: " + e.Message, "invalid_request_error", null).ConfigureAwait(false);
                return;
            }

            string behaviourText = ctx.Request.Headers.TryGetValue("X-Test-Behaviour", out var header) && header.Count > 0 ? header[0]! : entry.Model;
            var behaviour = Behaviour.Parse(behaviourText);
            string counterKey = behaviourText + "\n" + entry.FirstUserMessage;
            int attempt = _counters.AddOrUpdate(counterKey, 1, (_, n) => n + 1);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
            var token = linked.Token;

            int now = Interlocked.Increment(ref _inFlight);
            int peak;
            while (now > (peak = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, peak) != peak) { }
            var perModel = _perModel.GetOrAdd(behaviourText, _ => new ConcurrencyCount());
            lock (perModel) perModel.Peak = Math.Max(perModel.Peak, ++perModel.InFlight);
            try
            {
                if (behaviour.DelayMs > 0) await Task.Delay(behaviour.DelayMs, token).ConfigureAwait(false);
                int status = await AnswerAsync(ctx, entry, behaviour, attempt, token).ConfigureAwait(false);
                entry.Status = status;
            }
            catch (OperationCanceledException)
            {
                entry.Status = 499;
            }
            finally
            {
                lock (perModel) perModel.InFlight--;
                Interlocked.Decrement(ref _inFlight);
                _log.Enqueue(entry);
            }
        }

        private async Task<int> AnswerAsync(HttpContext ctx, LoggedRequest entry, Behaviour b, int attempt, CancellationToken token)
        {
            if (b.AlwaysStatus is int status)
            {
                string message = status switch
                {
                    401 => $"Incorrect API key provided: {entry.Authorization?.Replace("Bearer ", "")}. You can find your API key in your account settings.",
                    403 => "Project does not have access to this model.",
                    404 => $"The model '{entry.Model}' does not exist or you do not have access to it.",
                    400 => "Invalid value for 'messages': the request is malformed.",
                    _ => "The server had an error while processing your request.",
                };
                string code = status switch { 401 => "invalid_api_key", 403 => "model_not_allowed", 404 => "model_not_found", 400 => "invalid_value", _ => "server_error" };
                await WriteErrorAsync(ctx, status, message, status >= 500 ? "server_error" : "invalid_request_error", code).ConfigureAwait(false);
                return status;
            }
            if (b.Quota)
            {
                await WriteErrorAsync(ctx, 429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota").ConfigureAwait(false);
                return 429;
            }
            int failuresSoFar = attempt - 1;
            if (failuresSoFar < b.RateLimitTimes)
            {
                switch (b.RateLimitHeader)
                {
                    case "retry-after-ms":
                        ctx.Response.Headers["retry-after-ms"] = b.RateLimitValue.ToString(CultureInfo.InvariantCulture);
                        break;
                    case "retry-after-date":
                        ctx.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(b.RateLimitValue + 1).ToString("R", CultureInfo.InvariantCulture);
                        break;
                    default:
                        ctx.Response.Headers.RetryAfter = b.RateLimitValue.ToString(CultureInfo.InvariantCulture);
                        break;
                }
                await WriteErrorAsync(ctx, 429, "Rate limit reached for requests. Please try again later.", "requests", "rate_limit_exceeded").ConfigureAwait(false);
                return 429;
            }
            failuresSoFar -= b.RateLimitTimes;
            if (failuresSoFar < b.ServerErrorTimes)
            {
                await WriteErrorAsync(ctx, 500, "The server had an error while processing your request.", "server_error", null).ConfigureAwait(false);
                return 500;
            }
            failuresSoFar -= b.ServerErrorTimes;
            bool cut = failuresSoFar < b.CutTimes;

            if (b.Answer == AnswerKind.Hang)
            {
                await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                return 200;
            }

            if (b.Answer == AnswerKind.Huge && entry.Stream)
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "text/event-stream";
                await WriteChunkAsync(ctx, entry.Model, "", role: true, finish: null, token).ConfigureAwait(false);
                await WriteChunkAsync(ctx, entry.Model, "---\nname: huge-answer\ndescription: An answer that never ends. Use when testing limits.\n---\n\n", false, null, token).ConfigureAwait(false);
                string line = new string('x', 1023) + "\n";
                string piece = string.Concat(Enumerable.Repeat(line, 64));
                for (long sent = 0; sent < b.HugeMegabytes * 1024L * 1024L; sent += piece.Length)
                    await WriteChunkAsync(ctx, entry.Model, piece, false, null, token).ConfigureAwait(false);
                await WriteChunkAsync(ctx, entry.Model, "", false, "stop", token).ConfigureAwait(false);
                await WriteEventAsync(ctx, "[DONE]", token).ConfigureAwait(false);
                return 200;
            }
            if (b.Answer == AnswerKind.BadJson && entry.Stream)
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "text/event-stream";
                await WriteChunkAsync(ctx, entry.Model, "", role: true, finish: null, token).ConfigureAwait(false);
                await WriteEventAsync(ctx, "{\"id\":\"chatcmpl-test\",\"choices\":[{\"delta\":{\"content\":\"oops", token).ConfigureAwait(false);
                await WriteEventAsync(ctx, "[DONE]", token).ConfigureAwait(false);
                return 200;
            }

            string answer = BuildAnswer(entry, b.Answer);
            if (b.Unique && answer.StartsWith("---", StringComparison.Ordinal)) answer += "\nThis answer: " + Guid.NewGuid().ToString("N") + ".\n";
            int promptTokens = entry.Messages.Sum(m => (m.Value.Length + 3) / 4) + 3;
            int completionTokens = (answer.Length + 3) / 4 + 1;

            if (!entry.Stream)
            {
                await WriteJsonAsync(ctx, 200, w =>
                {
                    w.WriteString("id", "chatcmpl-test");
                    w.WriteString("object", "chat.completion");
                    w.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                    w.WriteString("model", entry.Model);
                    w.WriteStartArray("choices");
                    w.WriteStartObject();
                    w.WriteNumber("index", 0);
                    w.WriteStartObject("message");
                    w.WriteString("role", "assistant");
                    w.WriteString("content", answer);
                    w.WriteEndObject();
                    w.WriteString("finish_reason", "stop");
                    w.WriteEndObject();
                    w.WriteEndArray();
                    WriteUsage(w, promptTokens, completionTokens);
                }).ConfigureAwait(false);
                return 200;
            }

            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/event-stream";
            ctx.Response.Headers.CacheControl = "no-cache";
            var pieces = Split(answer, 24);
            await WriteChunkAsync(ctx, entry.Model, "", role: true, finish: null, token).ConfigureAwait(false);
            if (b.Answer == AnswerKind.HangMidStream)
            {
                if (pieces.Count > 0) await WriteChunkAsync(ctx, entry.Model, pieces[0], false, null, token).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
            }
            for (int i = 0; i < pieces.Count; i++)
            {
                if (cut && i >= Math.Max(1, pieces.Count / 2))
                {
                    await CutAsync(ctx, token).ConfigureAwait(false);
                    return 200;
                }
                await WriteChunkAsync(ctx, entry.Model, pieces[i], false, null, token).ConfigureAwait(false);
            }
            if (cut)
            {
                await CutAsync(ctx, token).ConfigureAwait(false);
                return 200;
            }
            await WriteChunkAsync(ctx, entry.Model, "", false, "stop", token).ConfigureAwait(false);
            if (entry.IncludeUsage)
            {
                await WriteEventAsync(ctx, Json(w =>
                {
                    w.WriteString("id", "chatcmpl-test");
                    w.WriteString("object", "chat.completion.chunk");
                    w.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                    w.WriteString("model", entry.Model);
                    w.WriteStartArray("choices");
                    w.WriteEndArray();
                    WriteUsage(w, promptTokens, completionTokens);
                }), token).ConfigureAwait(false);
            }
            await WriteEventAsync(ctx, "[DONE]", token).ConfigureAwait(false);
            return 200;
        }

        /// <summary>
        /// Closes the connection without ending the chunked body or sending [DONE]. The pause first lets the
        /// client read what was sent (a reset discards data still unread in the client's socket buffer).
        /// </summary>
        private static async Task CutAsync(HttpContext ctx, CancellationToken token)
        {
            await ctx.Response.Body.FlushAsync(token).ConfigureAwait(false);
            await Task.Delay(150, token).ConfigureAwait(false);
            ctx.Abort();
        }

        private static void ParseRequest(string body, LoggedRequest entry)
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String) entry.Model = model.GetString() ?? "";
            entry.Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
            entry.IncludeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object
                && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
            if (root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number) entry.Temperature = t.GetDouble();
            if (root.TryGetProperty("max_completion_tokens", out var mct) && mct.ValueKind == JsonValueKind.Number) entry.MaxTokens = mct.GetInt32();
            else if (root.TryGetProperty("max_tokens", out var mt) && mt.ValueKind == JsonValueKind.Number) entry.MaxTokens = mt.GetInt32();
            var messages = new List<KeyValuePair<string, string>>();
            if (root.TryGetProperty("messages", out var ms) && ms.ValueKind == JsonValueKind.Array)
            {
                foreach (var m in ms.EnumerateArray())
                {
                    string role = m.TryGetProperty("role", out var r) ? r.GetString() ?? "" : "";
                    string content = "";
                    if (m.TryGetProperty("content", out var c))
                    {
                        if (c.ValueKind == JsonValueKind.String) content = c.GetString() ?? "";
                        else if (c.ValueKind == JsonValueKind.Array)
                            content = string.Concat(c.EnumerateArray().Select(p => p.TryGetProperty("text", out var tx) ? tx.GetString() : ""));
                    }
                    messages.Add(new KeyValuePair<string, string>(role, content));
                }
            }
            entry.Messages = messages;
        }

        /// <summary>The answer text for a request: a SKILL.md or JSON array derived from the first user message.</summary>
        public static string BuildAnswer(LoggedRequest entry, AnswerKind kind)
        {
            string prompt = entry.FirstUserMessage;
            string id = Sha256Hex(prompt).Substring(0, 8);
            bool wantsJson = prompt.IndexOf("JSON array", StringComparison.OrdinalIgnoreCase) >= 0;
            switch (kind)
            {
                case AnswerKind.Empty:
                    return "";
                case AnswerKind.InvalidSkill:
                    return "# Notes\n\nThis answer has no frontmatter, so it is not a SKILL.md.\n";
                case AnswerKind.Repair:
                    return entry.Messages.Any(m => m.Key == "assistant")
                        ? ValidSkill("repaired-" + id, prompt)
                        : "# Notes\n\nThis answer has no frontmatter, so it is not a SKILL.md.\n";
                case AnswerKind.Json:
                    return JsonSkills(id);
                default:
                    return wantsJson ? JsonSkills(id) : "```markdown\n" + ValidSkill("echo-" + id, prompt) + "```\n";
            }
        }

        private static string ValidSkill(string name, string prompt)
        {
            string firstLine = prompt.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty prompt)";
            if (firstLine.Length > 80) firstLine = firstLine.Substring(0, 80);
            return "---\n" +
                   $"name: {name}\n" +
                   $"description: Echo of a prompt of {prompt.Length} characters. Use it to test SkillForge's distillation path.\n" +
                   "---\n\n" +
                   $"# {name}\n\n" +
                   "1. Read the prompt's first line: " + firstLine.Replace("`", "'") + "\n" +
                   "2. Repeat it back, because this server only echoes.\n";
        }

        private static string JsonSkills(string id) =>
            "[{\"name\":\"json-" + id + "\",\"description\":\"A skill returned as JSON by the test server.\"," +
            "\"when_to_apply\":\"When testing trace distillation.\",\"principle\":\"Echo the input.\"," +
            "\"scope\":\"global\",\"code\":\"\"}]";

        private static List<string> Split(string text, int size)
        {
            var list = new List<string>();
            for (int i = 0; i < text.Length; i += size) list.Add(text.Substring(i, Math.Min(size, text.Length - i)));
            return list;
        }

        private static Task WriteChunkAsync(HttpContext ctx, string model, string content, bool role, string? finish, CancellationToken token) =>
            WriteEventAsync(ctx, Json(w =>
            {
                w.WriteString("id", "chatcmpl-test");
                w.WriteString("object", "chat.completion.chunk");
                w.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                w.WriteString("model", model);
                w.WriteStartArray("choices");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("delta");
                if (role) w.WriteString("role", "assistant");
                if (content.Length > 0 || role) w.WriteString("content", content);
                w.WriteEndObject();
                if (finish == null) w.WriteNull("finish_reason"); else w.WriteString("finish_reason", finish);
                w.WriteEndObject();
                w.WriteEndArray();
            }), token);

        private static async Task WriteEventAsync(HttpContext ctx, string data, CancellationToken token)
        {
            var bytes = Encoding.UTF8.GetBytes("data: " + data + "\n\n");
            await ctx.Response.Body.WriteAsync(bytes, token).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(token).ConfigureAwait(false);
        }

        private static void WriteUsage(Utf8JsonWriter w, int promptTokens, int completionTokens)
        {
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("completion_tokens", completionTokens);
            w.WriteNumber("total_tokens", promptTokens + completionTokens);
            w.WriteEndObject();
        }

        private static Task WriteErrorAsync(HttpContext ctx, int status, string message, string type, string? code) =>
            WriteJsonAsync(ctx, status, w =>
            {
                w.WriteStartObject("error");
                w.WriteString("message", message);
                w.WriteString("type", type);
                w.WriteNull("param");
                if (code == null) w.WriteNull("code"); else w.WriteString("code", code);
                w.WriteEndObject();
            });

        private static async Task WriteJsonAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write)
        {
            var bytes = Encoding.UTF8.GetBytes(Json(write));
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
        }

        private static string Json(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                write(w);
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private static string Sha256Hex(string text) =>
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
    }
}

using System;
using System.Globalization;

namespace SkillForge.Distillation
{
    /// <summary>
    /// How long to wait before retrying a failed model call: the server's retry-after-ms or Retry-After
    /// (seconds or an HTTP date) when it sends one, else exponential backoff with jitter; every wait capped.
    /// Which failures are retried at all is decided by <see cref="DistillFailure.IsRetryable"/>.
    /// </summary>
    public sealed class DistillRetryPolicy
    {
        public static readonly TimeSpan DefaultBaseDelay = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(60);

        private readonly Random _random;
        private readonly object _gate = new object();

        public DistillRetryPolicy(int maxRetries, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, int? seed = null)
        {
            if (maxRetries < 0) throw new ArgumentOutOfRangeException(nameof(maxRetries));
            MaxRetries = maxRetries;
            BaseDelay = baseDelay ?? DefaultBaseDelay;
            MaxDelay = maxDelay ?? DefaultMaxDelay;
            _random = seed.HasValue ? new Random(seed.Value) : new Random();
        }

        /// <summary>Retries after the first attempt (0: one attempt only).</summary>
        public int MaxRetries { get; }
        public TimeSpan BaseDelay { get; }
        /// <summary>No wait is longer than this, whatever the server asks.</summary>
        public TimeSpan MaxDelay { get; }

        /// <summary>
        /// The wait before retry number <paramref name="retry"/> (1-based). A server hint is honoured (never
        /// shortened; up to 10% added so parallel clients do not return in lock-step); without one the wait
        /// is BaseDelay·2^(retry-1), jittered into its upper half. Both are capped at MaxDelay.
        /// </summary>
        public TimeSpan GetDelay(int retry, TimeSpan? serverHint)
        {
            if (retry < 1) retry = 1;
            double jitter;
            lock (_gate) jitter = _random.NextDouble();
            double ms;
            if (serverHint.HasValue)
            {
                double hint = Math.Max(0, serverHint.Value.TotalMilliseconds);
                ms = hint + hint * 0.1 * jitter;
            }
            else
            {
                double exp = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
                exp = Math.Min(exp, MaxDelay.TotalMilliseconds);
                ms = exp * (0.5 + 0.5 * jitter);
            }
            return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
        }

        /// <summary>
        /// The server's wait hint: retry-after-ms (milliseconds) wins over Retry-After (delta seconds or an
        /// HTTP date, measured from <paramref name="now"/>). Null when neither is present or parseable.
        /// </summary>
        public static TimeSpan? ParseRetryAfter(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
        {
            if (!string.IsNullOrWhiteSpace(retryAfterMs)
                && double.TryParse(retryAfterMs!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)
                && ms >= 0 && !double.IsInfinity(ms))
                return TimeSpan.FromMilliseconds(Math.Min(ms, TimeSpan.FromDays(1).TotalMilliseconds));

            if (string.IsNullOrWhiteSpace(retryAfter)) return null;
            string value = retryAfter!.Trim();
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
                return seconds >= 0 && !double.IsInfinity(seconds) ? TimeSpan.FromSeconds(Math.Min(seconds, 86400)) : (TimeSpan?)null;
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var date))
            {
                var wait = date - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
            return null;
        }
    }
}

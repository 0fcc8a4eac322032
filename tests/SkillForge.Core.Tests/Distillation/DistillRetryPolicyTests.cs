using System;
using System.Globalization;
using SkillForge.Distillation;
using Xunit;

namespace SkillForge.Tests.Distillation
{
    public class DistillRetryPolicyTests
    {
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        [Theory]
        [InlineData("250", null, 250)]
        [InlineData("1500.5", "9", 1500.5)]
        [InlineData(null, "3", 3000)]
        [InlineData(null, " 0 ", 0)]
        [InlineData("junk", "2", 2000)]
        public void Retry_after_ms_wins_over_Retry_After_seconds(string? ms, string? seconds, double expectedMs)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), DistillRetryPolicy.ParseRetryAfter(ms, seconds, Now));
        }

        [Fact]
        public void Retry_After_as_an_http_date_is_measured_from_now()
        {
            string date = Now.AddSeconds(7).ToString("R", CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.FromSeconds(7), DistillRetryPolicy.ParseRetryAfter(null, date, Now));
            string past = Now.AddSeconds(-7).ToString("R", CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.Zero, DistillRetryPolicy.ParseRetryAfter(null, past, Now));
            Assert.Null(DistillRetryPolicy.ParseRetryAfter(null, "tomorrow-ish", Now));
            Assert.Null(DistillRetryPolicy.ParseRetryAfter(null, null, Now));
        }

        [Fact]
        public void Server_hints_are_honoured_never_shortened_and_capped()
        {
            var policy = new DistillRetryPolicy(5, seed: 1);
            for (int i = 0; i < 50; i++)
            {
                var d = policy.GetDelay(1, TimeSpan.FromSeconds(2));
                Assert.InRange(d.TotalMilliseconds, 2000, 2200);
            }
            Assert.Equal(TimeSpan.FromSeconds(60), policy.GetDelay(1, TimeSpan.FromMinutes(30)));
        }

        [Fact]
        public void Backoff_grows_exponentially_with_jitter_and_is_capped()
        {
            var policy = new DistillRetryPolicy(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), seed: 7);
            for (int retry = 1; retry <= 4; retry++)
            {
                double full = 1000 * Math.Pow(2, retry - 1);
                for (int i = 0; i < 20; i++) Assert.InRange(policy.GetDelay(retry, null).TotalMilliseconds, full / 2, full);
            }
            Assert.InRange(policy.GetDelay(20, null).TotalMilliseconds, 30000, 60000);
        }

        [Fact]
        public void Quota_exhaustion_is_not_retryable_but_rate_limits_are()
        {
            var quota = DistillFailure.FromStatus(429, "You exceeded your current quota (type insufficient_quota, code insufficient_quota)", null, null);
            var rate = DistillFailure.FromStatus(429, "Rate limit reached (code rate_limit_exceeded)", TimeSpan.FromSeconds(1), null);
            Assert.Equal(DistillFailureKind.QuotaExceeded, quota.Kind);
            Assert.False(quota.IsRetryable);
            Assert.Equal(DistillFailureKind.RateLimited, rate.Kind);
            Assert.True(rate.IsRetryable);
            foreach (int status in new[] { 400, 401, 403, 404, 422 }) Assert.False(DistillFailure.FromStatus(status, "", null, null).IsRetryable);
            foreach (int status in new[] { 500, 502, 503, 504, 408 }) Assert.True(DistillFailure.FromStatus(status, "", null, null).IsRetryable);
        }

        [Fact]
        public void Error_bodies_are_read_into_one_line()
        {
            Assert.Equal("Bad thing (type invalid_request_error, code bad)",
                DistillFailure.DescribeErrorBody("{\"error\":{\"message\":\"Bad thing\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"bad\"}}"));
            Assert.Equal("plain text", DistillFailure.DescribeErrorBody("plain text"));
            Assert.Equal("model not loaded", DistillFailure.DescribeErrorBody("{\"error\":\"model not loaded\"}"));
            Assert.Null(DistillFailure.DescribeErrorBody(" "));
        }
    }
}

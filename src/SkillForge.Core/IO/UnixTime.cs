using System;

namespace SkillForge.IO
{
    /// <summary>Unix time as exports write it: seconds, or milliseconds when the number is too large to be seconds.</summary>
    internal static class UnixTime
    {
        /// <summary>Numbers of 10^11 and above are milliseconds (10^11 seconds would be the year 5138).</summary>
        private const double MillisecondsFrom = 1e11;

        private const double MinMilliseconds = -62_135_596_800_000d; // 0001-01-01T00:00:00Z
        private const double MaxMilliseconds = 253_402_300_799_999d; // 9999-12-31T23:59:59.999Z

        /// <summary>
        /// The date of a Unix time in seconds or milliseconds (rounded to the millisecond). False for NaN, infinity
        /// and values outside the dates .NET can hold, so a bad number is a bad field, never an exception.
        /// </summary>
        public static bool TryFromSecondsOrMilliseconds(double value, out DateTimeOffset date)
        {
            date = default;
            double ms = Math.Abs(value) >= MillisecondsFrom ? value : value * 1000.0;
            if (double.IsNaN(ms)) return false;
            ms = Math.Round(ms);
            if (ms < MinMilliseconds || ms > MaxMilliseconds) return false;
            date = DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
            return true;
        }
    }
}

namespace SkillForge.Diagnostics
{
    /// <summary>Progress of one long operation.</summary>
    public sealed class OperationProgress
    {
        public OperationProgress(string activity, string status, long done, long total)
        {
            Activity = activity;
            Status = status;
            Done = done;
            Total = total;
        }

        public string Activity { get; }
        public string Status { get; }
        public long Done { get; }
        public long Total { get; }
        public int PercentComplete => Total <= 0 ? -1 : (int)System.Math.Min(100, Done * 100 / Total);
        public bool Completed => Total > 0 && Done >= Total;
        /// <summary>Estimated seconds left, or -1 when unknown.</summary>
        public int SecondsRemaining { get; set; } = -1;
    }

    /// <summary>
    /// How Core reports while it works. Cmdlets implement it over WriteVerbose/WriteWarning/WriteProgress.
    /// Core may call it from the calling thread only (never from workers), so cmdlets can write directly.
    /// </summary>
    public interface IOperationSink
    {
        void Verbose(string message);
        void Warning(string message);
        void Progress(OperationProgress progress);
    }

    /// <summary>A sink that drops everything (tests, benchmarks).</summary>
    public sealed class NullSink : IOperationSink
    {
        public static readonly NullSink Instance = new NullSink();
        public void Verbose(string message) { }
        public void Warning(string message) { }
        public void Progress(OperationProgress progress) { }
    }
}

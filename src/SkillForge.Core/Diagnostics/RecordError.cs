namespace SkillForge.Diagnostics
{
    /// <summary>One bad record in an input file: reported, skipped, and the rest of the file still read.</summary>
    public sealed class RecordError
    {
        public RecordError(string errorId, string message, string? sourceFile, long line, string? snippet = null)
        {
            ErrorId = errorId;
            Message = message;
            SourceFile = sourceFile;
            Line = line;
            Snippet = snippet;
        }

        public string ErrorId { get; }
        /// <summary>Says what is wrong and names file and line.</summary>
        public string Message { get; }
        public string? SourceFile { get; }
        public long Line { get; }
        /// <summary>The start of the offending text (at most a few hundred characters).</summary>
        public string? Snippet { get; }

        public override string ToString() => Message;
    }

    /// <summary>Either a value or the error that replaced it, so a stream of records can report and go on.</summary>
    public readonly struct Outcome<T> where T : class
    {
        private Outcome(T? value, RecordError? error)
        {
            Value = value;
            Error = error;
        }

        public T? Value { get; }
        public RecordError? Error { get; }
        public bool IsError => Error != null;

        public static Outcome<T> Ok(T value) => new Outcome<T>(value, null);
        public static Outcome<T> Fail(RecordError error) => new Outcome<T>(null, error);
    }
}

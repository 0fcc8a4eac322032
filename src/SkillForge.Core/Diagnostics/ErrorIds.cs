namespace SkillForge.Diagnostics
{
    /// <summary>Every ErrorId SkillForge emits. Stable: scripts match on them.</summary>
    public static class ErrorIds
    {
        // Reading files
        public const string FileNotFound = "SkillForge.Io.FileNotFound";
        public const string FileUnreadable = "SkillForge.Io.FileUnreadable";

        // Any cmdlet: an object that came back from serialization (Export-Clixml, Start-Job) without its nested objects.
        public const string InputIncomplete = "SkillForge.Input.Incomplete";

        // Import-MemoryExport
        public const string ImportInvalidRecord = "SkillForge.Import.InvalidRecord";
        public const string ImportInvalidJson = "SkillForge.Import.InvalidJson";
        public const string ImportUnknownFormat = "SkillForge.Import.UnknownFormat";
        /// <summary>A trace was given to Import-MemoryExport.</summary>
        public const string ImportIsTrace = "SkillForge.Import.IsTrace";

        // Import-Trace
        public const string TraceInvalidRecord = "SkillForge.Trace.InvalidRecord";
        public const string TraceInvalidJson = "SkillForge.Trace.InvalidJson";
        public const string TraceUnknownFormat = "SkillForge.Trace.UnknownFormat";
        /// <summary>A memory export was given to Import-Trace.</summary>
        public const string TraceIsMemoryExport = "SkillForge.Trace.IsMemoryExport";

        // Find-MemoryCluster
        public const string ClusterDocNotFound = "SkillForge.Cluster.DocNotFound";
        public const string ClusterNoEmbeddings = "SkillForge.Cluster.NoEmbeddings";
        public const string ClusterInvalidInput = "SkillForge.Cluster.InvalidInput";

        // Add-MemoryEmbedding (and Find-MemoryCluster -Similarity Embedding). Endpoint failures use the
        // SkillForge.Distill.* ids of their kind (RateLimited, Unauthorized, Timeout, ...).
        public const string EmbeddingNotConfigured = "SkillForge.Embedding.NotConfigured";
        public const string EmbeddingLocalModelMissing = "SkillForge.Embedding.LocalModelMissing";
        public const string EmbeddingInvalidGenerator = "SkillForge.Embedding.InvalidGenerator";
        public const string EmbeddingInvalidResult = "SkillForge.Embedding.InvalidResult";
        public const string EmbeddingInvalidInput = "SkillForge.Embedding.InvalidInput";

        // Find-TracePattern
        public const string PatternInvalidNotFailure = "SkillForge.Pattern.InvalidNotFailure";
        public const string PatternInvalidInput = "SkillForge.Pattern.InvalidInput";

        // New-DistillPrompt
        public const string PromptInvalidInput = "SkillForge.Prompt.InvalidInput";
        public const string PromptInvalidTemplate = "SkillForge.Prompt.InvalidTemplate";

        // Skills: validation and writing
        public const string SkillInvalid = "SkillForge.Skill.Invalid";
        public const string SkillNotFound = "SkillForge.Skill.NotFound";
        public const string SkillInvalidName = "SkillForge.Skill.InvalidName";
        public const string SkillTooManyCollisions = "SkillForge.Skill.TooManyCollisions";
        public const string SkillOutsideRoot = "SkillForge.Skill.OutsideRoot";
        public const string SkillWriteFailed = "SkillForge.Skill.WriteFailed";
        public const string SkillJsonInvalid = "SkillForge.SkillJson.Invalid";
        public const string SkillJsonMissingField = "SkillForge.SkillJson.MissingField";
        public const string SkillJsonInvalidInput = "SkillForge.SkillJson.InvalidInput";
        public const string SkillUnsupportedInput = "SkillForge.Skill.UnsupportedInput";

        // Invoke-SkillDistillation
        public const string DistillNotConfigured = "SkillForge.Distill.NotConfigured";
        public const string DistillInvalidClient = "SkillForge.Distill.InvalidClient";
        public const string DistillRateLimited = "SkillForge.Distill.RateLimited";
        public const string DistillQuotaExceeded = "SkillForge.Distill.QuotaExceeded";
        public const string DistillUnauthorized = "SkillForge.Distill.Unauthorized";
        public const string DistillForbidden = "SkillForge.Distill.Forbidden";
        public const string DistillBadRequest = "SkillForge.Distill.BadRequest";
        public const string DistillNotFound = "SkillForge.Distill.NotFound";
        public const string DistillServerError = "SkillForge.Distill.ServerError";
        public const string DistillConnectionFailed = "SkillForge.Distill.ConnectionFailed";
        public const string DistillTimeout = "SkillForge.Distill.Timeout";
        public const string DistillEmptyOutput = "SkillForge.Distill.EmptyOutput";
        public const string DistillTruncated = "SkillForge.Distill.Truncated";
        public const string DistillInvalidSkill = "SkillForge.Distill.InvalidSkill";
        public const string DistillCancelled = "SkillForge.Distill.Cancelled";
        public const string DistillFailed = "SkillForge.Distill.Failed";
        public const string DistillInvalidResponse = "SkillForge.Distill.InvalidResponse";
        public const string DistillAnswerTooLong = "SkillForge.Distill.AnswerTooLong";
        public const string DistillInvalidEndpoint = "SkillForge.Distill.InvalidEndpoint";
        public const string DistillInvalidApiKey = "SkillForge.Distill.InvalidApiKey";
        public const string DistillInvalidPrompt = "SkillForge.Distill.InvalidPrompt";

        // Invoke-SkillCrystallization
        public const string LedgerInvalid = "SkillForge.Ledger.Invalid";
        public const string ExportUpdateFailed = "SkillForge.Crystallize.ExportUpdateFailed";
        public const string LedgerWriteFailed = "SkillForge.Ledger.WriteFailed";
        public const string LibraryBusy = "SkillForge.Crystallize.LibraryBusy";
    }
}

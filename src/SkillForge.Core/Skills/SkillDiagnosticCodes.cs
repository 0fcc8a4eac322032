namespace SkillForge.Skills
{
    /// <summary>
    /// The stable codes of SKILL.md diagnostics (docs/diagnostics.md explains each one and how to fix it).
    /// SF1xxx structure and YAML, SF2xxx name, SF3xxx description, SF4xxx other fields, SF5xxx body and warnings.
    /// </summary>
    public static class SkillDiagnosticCodes
    {
        public const string MissingOpeningFence = "SF1001";
        public const string BlankLinesBeforeFence = "SF1002";
        public const string MissingClosingFence = "SF1003";
        public const string InvalidYaml = "SF1004";
        public const string NotAMapping = "SF1005";
        public const string DuplicateKey = "SF1006";
        public const string AnchorOrAlias = "SF1007";
        public const string Tag = "SF1008";
        public const string InvalidUtf8 = "SF1010";
        public const string MissingSkillFile = "SF1011";
        public const string Unreadable = "SF1012";
        public const string ComplexKey = "SF1013";
        public const string MultipleDocuments = "SF1014";
        public const string FileTooLarge = "SF1015";

        public const string NameMissing = "SF2001";
        public const string NameNotText = "SF2002";
        public const string NameTooLong = "SF2003";
        public const string NameInvalidCharacters = "SF2004";
        public const string NameEdgeHyphen = "SF2005";
        public const string NameDoubleHyphen = "SF2006";
        public const string NameFolderMismatch = "SF2007";

        public const string DescriptionMissing = "SF3001";
        public const string DescriptionNotText = "SF3002";
        public const string DescriptionTooLong = "SF3003";

        public const string UnknownKey = "SF4001";
        public const string CompatibilityNotText = "SF4002";
        public const string CompatibilityTooLong = "SF4003";
        public const string MetadataNotAMap = "SF4004";
        public const string MetadataValueNotScalar = "SF4005";
        public const string MetadataKeyNotText = "SF4006";
        public const string LicenseNotText = "SF4007";
        public const string AllowedToolsNotText = "SF4008";

        public const string BodyTooManyLines = "SF5001";
        public const string BodyTooManyTokens = "SF5002";
        public const string DescriptionAngleBrackets = "SF5003";
        public const string BodyEmpty = "SF5004";
        public const string RuntimeExtensionKey = "SF5005";
        /// <summary>A secret (API key, token, password, private key): an error.</summary>
        public const string SecretFound = "SF5006";
        /// <summary>Personal data (e-mail address, phone number, home folder): a warning.</summary>
        public const string PersonalDataFound = "SF5007";
    }
}

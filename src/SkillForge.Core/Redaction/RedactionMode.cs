namespace SkillForge.Redaction
{
    /// <summary>What the redaction pass replaces: everything it finds (the default), only secrets, or nothing.</summary>
    public enum RedactionMode
    {
        /// <summary>Secrets and personal data (e-mail addresses, phone numbers, home folders).</summary>
        All,
        /// <summary>Secrets only; personal data is kept.</summary>
        Secrets,
        /// <summary>Nothing is replaced (the cmdlets warn).</summary>
        None,
    }

    /// <summary>Whether a finding is a secret (an error in Test-SkillMarkdown) or personal data (a warning).</summary>
    public enum RedactionCategory { Secret, PersonalData }
}

using System;
using System.Collections.Generic;

namespace SkillForge.Crystallization
{
    /// <summary>One crystallized cluster.</summary>
    public sealed class LedgerEntry
    {
        public string Fingerprint { get; set; } = "";
        public string[] DocIds { get; set; } = Array.Empty<string>();
        public string SkillPath { get; set; } = "";
        public string Model { get; set; } = "";
        public DateTimeOffset Date { get; set; }
    }

    /// <summary>&lt;skills&gt;/.skillforge/ledger.json: which docs already became skills, so nothing is distilled twice.</summary>
    public sealed class CrystallizationLedger
    {
        public static string DefaultPath(string skillsPath) => System.IO.Path.Combine(skillsPath, ".skillforge", "ledger.json");

        /// <summary>Reads a ledger; a missing file is an empty ledger. Throws SkillForgeException (LedgerInvalid) on a corrupt one.</summary>
        public static CrystallizationLedger Load(string ledgerPath) => throw new NotImplementedException();

        public string Path => throw new NotImplementedException();
        public IReadOnlyList<LedgerEntry> Entries => throw new NotImplementedException();
        public ISet<string> CrystallizedDocIds => throw new NotImplementedException();
        public bool Contains(string fingerprint) => throw new NotImplementedException();
        public void Add(LedgerEntry entry) => throw new NotImplementedException();
        /// <summary>Atomic write (temporary file, then rename).</summary>
        public void Save() => throw new NotImplementedException();
    }
}

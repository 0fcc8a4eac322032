@{
    RootModule           = 'SkillForge.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b7e2f0c-3d1a-4c8e-9f6b-2a4d8c1e7f30'
    Author               = 'SkillForge contributors'
    CompanyName          = 'SkillForge'
    Copyright            = '(c) SkillForge contributors. MIT License.'
    Description          = 'Turns what AI agents remember and what they did (memory exports, execution traces) into reusable Agent Skills (SKILL.md).'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('SkillForge.format.ps1xml')
    CmdletsToExport      = @(
        'Import-MemoryExport'
        'Find-MemoryCluster'
        'New-DistillPrompt'
        'Invoke-SkillDistillation'
        'Invoke-SkillCrystallization'
        'Set-SkillForgeContext'
        'Get-SkillForgeContext'
        'Test-SkillMarkdown'
        'ConvertTo-SkillSlug'
        'Export-Skill'
        'Import-Trace'
        'Split-Trace'
        'Find-TracePattern'
        'ConvertFrom-SkillJson'
        'ConvertTo-SkillMarkdown'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AI', 'Agents', 'Skills', 'SKILL.md', 'LLM', 'OpenAI', 'Memory', 'Traces', 'PSEdition_Core')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/skillforge/skillforge'
            ReleaseNotes = 'First release: memory and trace crystallization into Agent Skills, offline and through any OpenAI-compatible endpoint.'
        }
    }
}

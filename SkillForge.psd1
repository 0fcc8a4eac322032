@{
    RootModule           = 'SkillForge.dll'
    # The build writes ModuleVersion, Prerelease and ReleaseNotes from Directory.Build.props and CHANGELOG.md.
    ModuleVersion        = '0.0.0'
    GUID                 = '5b7e2f0c-3d1a-4c8e-9f6b-2a4d8c1e7f30'
    Author               = 'SkillForge contributors'
    CompanyName          = 'SkillForge'
    Copyright            = '(c) SkillForge contributors. MIT License.'
    Description          = 'Turns what AI agents remember and what they did (memory exports, execution traces) into reusable Agent Skills (SKILL.md files for Claude Code, Codex and other agents): import, cluster, distill offline or through any OpenAI-compatible endpoint, validate and write.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # The loader comes first: it makes SkillForge.Core and dependencies/ load into a private load context.
    NestedModules        = @('SkillForge.Loader.dll')
    FormatsToProcess     = @('SkillForge.format.ps1xml')
    TypesToProcess       = @('SkillForge.types.ps1xml')
    CmdletsToExport      = @(
        'Import-MemoryExport'
        'Find-MemoryCluster'
        'Add-MemoryEmbedding'
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
            # The words users search the gallery for; a tag has no spaces.
            Tags         = @('AgentSkills', 'SKILL.md', 'Skills', 'AI', 'Agents', 'LLM', 'Memory', 'Traces', 'Claude',
                             'Codex', 'OpenAI', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/skillforge/skillforge/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/skillforge/skillforge'
            Prerelease   = ''
            ReleaseNotes = ''
        }
    }
}

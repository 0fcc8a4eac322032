@{
    # The local embedding model of SkillForge (all-MiniLM-L6-v2 on ONNX Runtime). It exports no commands:
    # SkillForge finds this module beside its own folder and loads it into a load context of its own
    # when Add-MemoryEmbedding or Find-MemoryCluster -Similarity Embedding uses the local model.
    RootModule        = ''
    # The build writes ModuleVersion, Prerelease and ReleaseNotes from Directory.Build.props and CHANGELOG.md,
    # as for SkillForge: the two modules always carry one version.
    ModuleVersion     = '0.1.0'
    GUID              = 'a6c4f0d2-3b8e-4f51-9d27-6e1c0b5a7f34'
    Author            = 'SkillForge contributors'
    Description       = 'The local sentence-embedding model (all-MiniLM-L6-v2, 384 dimensions, ONNX Runtime) that SkillForge uses by default for semantic similarity. No network needed.'
    PowerShellVersion = '7.4'
    CompatiblePSEditions = @('Core')
    # A package of its own that installs SkillForge with it; users who never need the model never download it.
    RequiredModules   = @('SkillForge')
    FunctionsToExport = @()
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
    PrivateData       = @{
        PSData = @{
            Tags       = @('SkillForge', 'embeddings', 'MiniLM', 'onnx')
            LicenseUri = 'https://opensource.org/license/mit'
            Prerelease   = ''
            ReleaseNotes = ''
        }
    }
}

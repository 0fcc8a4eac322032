# Dot-sourced by every *.Tests.ps1 in its file-level BeforeAll: imports the built module (out/SkillForge) into the
# test session and sets the paths the tests share. build.ps1 Test sets SKILLFORGE_MODULE; run by hand, build first
# (./build.ps1 Build).
#
# Scope: Pester 5 runs each test file in its own script scope, and the file-level BeforeAll and every It below it
# run in child scopes of it. Dot-sourced, this file's $script: variables land in that scope, so every BeforeAll,
# It and AfterAll of the file reads them ($script:RepoRoot, or plainly $RepoRoot), and no other file sees them.
# Invoked with & instead, they would vanish with this script's own scope: refuse that.
if ($MyInvocation.InvocationName -ne '.') {
    throw "Dot-source TestSetup.ps1 from a BeforeAll block: BeforeAll { . `$PSScriptRoot/TestSetup.ps1 }"
}

$script:ModuleManifest = if ($env:SKILLFORGE_MODULE) { $env:SKILLFORGE_MODULE } else { Join-Path $PSScriptRoot '../out/SkillForge/SkillForge.psd1' }
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "SkillForge is not built: '$script:ModuleManifest' is missing. Run ./build.ps1 Build first."
}
Import-Module $script:ModuleManifest -Force -ErrorAction Stop
$script:RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..')).ProviderPath
$script:ExamplesPath = Join-Path $script:RepoRoot 'examples'
# Real sample data lives beside the repository (../shared/real-data); tests that need it skip when it is absent.
# Discovery-time -Skip conditions compute the same path in their own BeforeDiscovery.
$script:RealDataPath = Join-Path $script:RepoRoot '../shared/real-data'

# A fresh pwsh (the one running the tests: under `dotnet pwsh` there is no pwsh on PATH), for what only a new
# process shows: what the host prints (-WhatIf lines, warnings) and a session that loaded something else first.
$script:Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

# Runs $Script in a child pwsh in $WorkingDirectory after importing the built module (unless -NoImport) and
# returns every line it printed, errors included. $LASTEXITCODE is the child's.
function Invoke-SkillForgeChild {
    param([Parameter(Mandatory)] [string] $Script, [string] $WorkingDirectory = $TestDrive, [switch] $NoImport)
    $prelude = if ($NoImport) { '' } else { "Import-Module '$($script:ModuleManifest -replace "'", "''")' -ErrorAction Stop`n" }
    $file = Join-Path $TestDrive ("child-" + (New-Guid).ToString('N') + '.ps1')
    Set-Content -LiteralPath $file -Value ($prelude + $Script) -Encoding utf8
    Push-Location -LiteralPath $WorkingDirectory
    try { & $script:Pwsh -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" } }
    finally { Pop-Location }
}

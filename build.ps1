#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates SkillForge.
.DESCRIPTION
    Build  assembles the module into out/SkillForge from the allow-list in build/ModuleLayout.txt and fails
           when a listed file is missing.
    Test   builds, runs the xunit suite, then Pester in a child `pwsh -NoProfile -NonInteractive` against
           out/SkillForge; failed tests, blocks or containers all fail the run.
    Demo   builds, then runs the bundled example export and trace through the whole flow offline into
           out/demo-skills and prints a summary.
.EXAMPLE
    ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$RepoRoot = $PSScriptRoot
$ModuleOut = Join-Path $RepoRoot 'out/SkillForge'
$Solution = Join-Path $RepoRoot 'SkillForge.sln'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Invoke-BuildTask {
    Invoke-Native 'dotnet build' { dotnet build $Solution -c $Configuration --nologo }
    $missing = Get-Content (Join-Path $RepoRoot 'build/ModuleLayout.txt') |
        Where-Object { $_.Trim() } |
        Where-Object { -not (Test-Path -LiteralPath (Join-Path $ModuleOut $_)) }
    if ($missing) { throw "The module in out/SkillForge is incomplete; missing: $($missing -join ', ')" }
    Write-Host "Module assembled in $ModuleOut"
}

function Invoke-TestTask {
    Invoke-BuildTask
    Invoke-Native 'xunit tests' { dotnet test $Solution -c $Configuration --no-build --nologo }

    # Pester runs in a fresh process: the DLLs this session might hold stay unlocked, and no state leaks in.
    $pester = @'
$ErrorActionPreference = 'Stop'
if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.5.0')) {
    Install-Module Pester -MinimumVersion 5.5.0 -Scope CurrentUser -Force -SkipPublisherCheck
}
Import-Module Pester -MinimumVersion 5.5.0
$config = New-PesterConfiguration
$config.Run.Path = $env:SKILLFORGE_TESTS
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
"$($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped"
if ($result.FailedCount -gt 0 -or $result.FailedBlocksCount -gt 0 -or $result.FailedContainersCount -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
exit 0
'@
    $env:SKILLFORGE_MODULE = Join-Path $ModuleOut 'SkillForge.psd1'
    $env:SKILLFORGE_TESTS = Join-Path $RepoRoot 'tests'
    $env:SKILLFORGE_CONFIGURATION = $Configuration
    Invoke-Native 'Pester tests' { pwsh -NoProfile -NonInteractive -Command $pester }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    $env:SKILLFORGE_MODULE = Join-Path $ModuleOut 'SkillForge.psd1'
    Invoke-Native 'demo' { pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'examples/demo.ps1') }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Demo' { Invoke-DemoTask }
        'Clean' { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $RepoRoot 'out') }
    }
}

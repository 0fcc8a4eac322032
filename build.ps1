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
    # The tests run with the default $ErrorActionPreference (Continue), as a user's session would: each test
    # says -ErrorAction where it matters. A failed test, a failed block (BeforeAll/AfterAll) or a container
    # that could not be discovered all fail the run.
    $pester = @'
try {
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.5.0')) {
        Install-Module Pester -MinimumVersion 5.5.0 -Scope CurrentUser -Force -SkipPublisherCheck -ErrorAction Stop
    }
    Import-Module Pester -MinimumVersion 5.5.0 -ErrorAction Stop
}
catch {
    Write-Host "Pester 5.5.0 or later is needed and could not be installed: $($_.Exception.Message)"
    exit 2
}
$config = New-PesterConfiguration
$config.Run.Path = $env:SKILLFORGE_TESTS
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Run.Throw = $false
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
if ($null -eq $result) { Write-Host 'Pester returned no result.'; exit 1 }
if ($result.FailedBlocksCount -gt 0) { Write-Host "$($result.FailedBlocksCount) block(s) failed in BeforeAll or AfterAll." }
if ($result.FailedContainersCount -gt 0) {
    $files = @($result.Containers | Where-Object Result -EQ 'Failed' | ForEach-Object { "$($_.Item)" })
    Write-Host "$($result.FailedContainersCount) test file(s) failed to run: $($files -join ', ')"
}
# The closing line counts failed blocks and files as failures too, so it never reads "0 failed" on a failed run.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
"$($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
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

#!/usr/bin/env pwsh
#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and demonstrates SkillForge.
.DESCRIPTION
    Build  assembles the module into out/SkillForge from the allow-list in build/ModuleLayout.txt, and the
           local embedding model's companion module into out/SkillForge.LocalEmbeddings from
           build/LocalEmbeddingsLayout.txt; fails when a listed file is missing.
    Test   builds, restores Pester into out/tools, runs the xunit suite, then Pester in a child
           `pwsh -NoProfile -NonInteractive` against out/SkillForge (build/Invoke-PesterRun.ps1); failed tests,
           blocks or files all fail the run. It ends with one line per suite and a total, each
           "N passed, N failed, N skipped".
    Package
           builds, then packs each module into out/packages/<Name>.<Version>.nupkg with Publish-PSResource
           (build/Publish-ModulePackage.ps1): out/packages is a local folder repository that Install-PSResource
           installs from. Every build/*Layout.txt is one module's allow-list (build/ModuleLayout.txt is
           SkillForge's; a companion module that requires SkillForge brings its own) and its package holds exactly
           the files listed. PSResourceGet runs with a private home, so the user's repositories are untouched.
    Demo   builds, then runs the bundled example export and trace through the whole flow offline into
           out/demo-skills and prints a summary.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Test -SkipXunit -PesterPath tests/Export-Skill.Tests.ps1

    One Pester file, quickly.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test: the Pester files to run (default: every file in tests/).
    [string[]] $PesterPath,

    # Test: run Pester only.
    [switch] $SkipXunit
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$RepoRoot = $PSScriptRoot
$ModuleOut = Join-Path $RepoRoot 'out/SkillForge'
# The local embedding model: a companion module of its own, beside SkillForge, that SkillForge loads when present.
$LocalEmbeddingsOut = Join-Path $RepoRoot 'out/SkillForge.LocalEmbeddings'
$Solution = Join-Path $RepoRoot 'SkillForge.sln'
# Child processes run the same PowerShell as this one: under `dotnet pwsh` there is no pwsh on PATH.
$Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

function Invoke-BuildTask {
    Invoke-Native 'dotnet build' { dotnet build $Solution -c $Configuration --nologo }
    foreach ($module in @{ Out = $ModuleOut; Layout = 'build/ModuleLayout.txt' }, @{ Out = $LocalEmbeddingsOut; Layout = 'build/LocalEmbeddingsLayout.txt' }) {
        $missing = Get-Content (Join-Path $RepoRoot $module.Layout) |
            Where-Object { $_.Trim() } |
            Where-Object { -not (Test-Path -LiteralPath (Join-Path $module.Out $_)) }
        if ($missing) { throw "The module in $($module.Out) is incomplete; missing: $($missing -join ', ')" }
        Write-Host "Module assembled in $($module.Out)"
    }
}

function Invoke-ToolsTask {
    # Pester is a NuGet package whose tools/ folder is the module: restore it into out/tools.
    Invoke-Native 'restoring the test tools' { dotnet build (Join-Path $RepoRoot 'build/TestTools/TestTools.csproj') --nologo -v quiet }
}

function Read-XunitCounts([string] $Folder) {
    # The TRX files dotnet test writes: one per test project, with the run's counters.
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem -LiteralPath $Folder -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.ResultSummary.Counters
        $counts.Passed += [int]$counters.passed
        $counts.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $counts.Skipped += [int]$counters.notExecuted
    }
    $counts
}

function Invoke-TestTask {
    Invoke-BuildTask
    Invoke-ToolsTask
    $results = Join-Path $RepoRoot 'out/test-results'
    Remove-Item -LiteralPath $results -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Path $results
    $suites = [ordered]@{}

    if (-not $SkipXunit) {
        & dotnet test $Solution -c $Configuration --no-build --nologo --logger 'trx' --results-directory $results
        $xunitExit = $LASTEXITCODE
        $suites.xunit = Read-XunitCounts $results
        if ($xunitExit -ne 0 -and $suites.xunit.Failed -eq 0) { $suites.xunit.Failed = 1 }  # a crash is a failure
    }

    $env:SKILLFORGE_MODULE = Join-Path $ModuleOut 'SkillForge.psd1'
    $env:SKILLFORGE_CONFIGURATION = $Configuration
    $pesterResult = Join-Path $results 'pester.json'
    # From a shell (`dotnet pwsh ./build.ps1 Test -PesterPath a,b`) a list arrives as one string: split it.
    $paths = if ($PesterPath) { $PesterPath -split ',' | ForEach-Object { (Resolve-Path $_.Trim()).ProviderPath } } else { Join-Path $RepoRoot 'tests' }
    # -File passes each argument as one string: several files travel as one list, split by the path separator.
    & $Pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'build/Invoke-PesterRun.ps1') `
        -ToolsPath (Join-Path $RepoRoot 'out/tools') -Path ($paths -join [IO.Path]::PathSeparator) -ResultPath $pesterResult
    $suites.Pester = if (Test-Path -LiteralPath $pesterResult) { Get-Content -Raw $pesterResult | ConvertFrom-Json -AsHashtable }
                     else { [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 } }  # Pester itself did not run

    # One closing line per suite and one for both: "N passed, N failed, N skipped".
    $total = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($name in $suites.Keys) {
        $c = $suites[$name]
        Write-Host "${name}: $($c.Passed) passed, $($c.Failed) failed, $($c.Skipped) skipped"
        foreach ($k in @($total.Keys)) { $total[$k] += $c[$k] }
    }
    Write-Host "total: $($total.Passed) passed, $($total.Failed) failed, $($total.Skipped) skipped"
    if ($total.Failed -gt 0) { throw "$($total.Failed) test(s) failed." }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    $packages = Join-Path $RepoRoot 'out/packages'
    $privateHome = Join-Path ([IO.Path]::GetTempPath()) "skillforge-package-$PID"
    $parameters = @{
        LayoutPath      = @(Get-ChildItem -Path (Join-Path $RepoRoot 'build') -Filter '*Layout.txt' -File).FullName
        ModuleRoot      = Join-Path $RepoRoot 'out'
        DestinationPath = $packages
        StagingPath     = Join-Path $RepoRoot 'out/package-staging'
    }
    try {
        $packed = & (Join-Path $RepoRoot 'build/Invoke-InPrivateHome.ps1') -HomePath $privateHome -ArgumentList (
            Join-Path $RepoRoot 'build/Publish-ModulePackage.ps1'), $parameters -ScriptBlock {
            param($Script, $Parameters)
            & $Script @Parameters
        }
    }
    finally {
        Remove-Item -LiteralPath $privateHome -Recurse -Force -ErrorAction SilentlyContinue
    }
    foreach ($package in $packed) {
        Write-Host ('Packed {0} {1}: {2}, {3:N0} bytes ({4:N1} MB), {5} module files' -f $package.Name, $package.Version,
            [IO.Path]::GetRelativePath($RepoRoot, $package.Path), $package.Length, ($package.Length / 1MB), @($package.Files).Count)
    }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    $env:SKILLFORGE_MODULE = Join-Path $ModuleOut 'SkillForge.psd1'
    Invoke-Native 'demo' { & $Pwsh -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'examples/demo.ps1') }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Package' { Invoke-PackageTask }
        'Demo' { Invoke-DemoTask }
        'Clean' { Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $RepoRoot 'out') }
    }
}

#Requires -Version 7.4
<#
.SYNOPSIS
    Runs Pester over the given test files against the built module; build.ps1 Test starts it in a fresh
    `pwsh -NoProfile -NonInteractive`, so no state of the calling session leaks in and its DLLs stay unlocked.
.DESCRIPTION
    Pester 5.7.1 comes from out/tools (restored from NuGet by build/TestTools), never from the user's modules.
    The tests run with the default $ErrorActionPreference (Continue), as a user's session would: each test says
    -ErrorAction where it matters. A failed test, a failed BeforeAll/AfterAll block or a file that could not be
    discovered all count as failures. The counts go to -ResultPath as JSON for build.ps1's closing line.
#>
param(
    [Parameter(Mandatory)] [string] $ToolsPath,
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $ResultPath
)

Import-Module (Join-Path $ToolsPath 'Pester/5.7.1/Pester.psd1') -ErrorAction Stop
$config = New-PesterConfiguration
# build.ps1 joins several files with the path separator (':' or ';'), as -File passes one string per argument.
$config.Run.Path = @($Path | ForEach-Object { $_ -split [regex]::Escape([IO.Path]::PathSeparator) } | Where-Object { $_ })
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
# A skip says why, so that a newcomer can tell it from a bug: a test skips only under a tag named here.
$skipReasons = @{
    RealData = 'the real transcripts and exports (../shared/real-data) are not beside the repository'
    HelpExampleFiles = 'the help example names files the bundled examples do not provide, or waits for a key at Read-Host'
    PrivateHome = 'PSResourceGet''s per-user folders follow HOME only on Linux and macOS, so on Windows the install test would reach the user''s own modules'
}
function Get-TestTag($test) {
    $tags = @($test.Tag)
    for ($block = $test.Block; $null -ne $block; $block = $block.Parent) { $tags += $block.Tag }
    @($tags | Where-Object { $_ })
}
$skipped = @($result.Skipped)
if ($skipped.Count -gt 0) {
    Write-Host "$($skipped.Count) test(s) skipped:"
    $skipped | Group-Object {
        $reason = Get-TestTag $_ | Where-Object { $skipReasons.ContainsKey($_) } | Select-Object -First 1
        if ($reason) { $skipReasons[$reason] } else { 'no reason: tag the test with a reason from build/Invoke-PesterRun.ps1' }
    } | ForEach-Object { Write-Host "  $($_.Count) because $($_.Name)" }
}
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath $ResultPath
if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
exit 0

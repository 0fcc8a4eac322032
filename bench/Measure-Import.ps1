#Requires -Version 7.4
<#
.SYNOPSIS
    Measures Import-MemoryExport against Get-Content | ConvertFrom-Json and against PowerShell's own floor.

.DESCRIPTION
    Generates a JSON Lines memory export of -Count records (or uses -Path), then times, best of -Repeat runs:

      import   Import-MemoryExport -LiteralPath <file>
      json     Get-Content -LiteralPath <file> | ConvertFrom-Json
      floor    the same number of ready-made MemoryDocs piped through Write-Output: what any command that
               writes that many objects costs at least.

    All three discard their output the same way ($null = ...). It prints the times and the two ratios the
    specification sets targets for: json/import (at least 5) and import/floor (at most 2). Run it from a fresh
    `pwsh -NoProfile` after ./build.ps1 Build; the figures are ratios measured in one run on one machine.

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-Import.ps1 -Count 200000

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-Import.ps1 -Path ./exports/memories.jsonl -Repeat 5
#>
[CmdletBinding()]
param(
    # Records to generate when -Path is not given.
    [ValidateRange(1, 50000000)]
    [int] $Count = 100000,

    # An existing JSON Lines export to measure instead of a generated one.
    [string] $Path,

    # Runs of each measurement; the fastest counts.
    [ValidateRange(1, 100)]
    [int] $Repeat = 3,

    # The built module.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/SkillForge/SkillForge.psd1')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module $ModulePath -Force

function New-BenchExport {
    param([string] $File, [int] $Records)
    $scopes = 'project:billing-api', 'project:web-frontend', 'user:dana', 'team:platform', 'project:data-pipeline'
    $tiers = 'Core', 'Core', 'Core', 'Core', 'Working', 'Archive'
    $kinds = 'fact', 'procedure', 'preference', 'lesson'
    $subjects = 'the billing API', 'the web frontend', 'the ledger worker', 'the events DAG', 'the ingress controller', 'the tax client'
    $actions = 'must be restarted after a config change', 'reads its settings from Vault', 'retries failed calls twice with backoff',
        'needs the VPN for admin endpoints', 'logs JSON with snake_case keys', 'is deployed through Argo CD'
    $random = [System.Random]::new(20240301)
    $epoch = [DateTimeOffset]::new(2024, 3, 1, 0, 0, 0, [TimeSpan]::Zero)
    $writer = [System.IO.StreamWriter]::new($File, $false, [System.Text.UTF8Encoding]::new($false), 1MB)
    try {
        for ($i = 0; $i -lt $Records; $i++) {
            $text = "Note $i`: $($subjects[$random.Next($subjects.Count)]) $($actions[$random.Next($actions.Count)]); checked on run $($random.Next(1, 100000))."
            $record = [ordered]@{
                id           = "mem-$i"
                text         = $text
                tier         = $tiers[$random.Next($tiers.Count)]
                scope        = $scopes[$random.Next($scopes.Count)]
                tags         = @('bench', $kinds[$random.Next($kinds.Count)])
                kind         = $kinds[$random.Next($kinds.Count)]
                access_count = $random.Next(0, 60)
                created_at   = $epoch.AddMinutes($random.Next(0, 900000)).ToString('yyyy-MM-ddTHH:mm:ssZ')
            }
            $writer.WriteLine(($record | ConvertTo-Json -Compress))
        }
    }
    finally { $writer.Dispose() }
}

function Measure-Best {
    param([string] $Name, [scriptblock] $Action)
    $best = [TimeSpan]::MaxValue
    for ($r = 0; $r -lt $Repeat; $r++) {
        [GC]::Collect()
        [GC]::WaitForPendingFinalizers()
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        & $Action
        $watch.Stop()
        if ($watch.Elapsed -lt $best) { $best = $watch.Elapsed }
        Write-Verbose ("{0} run {1}: {2:N0} ms" -f $Name, ($r + 1), $watch.Elapsed.TotalMilliseconds)
    }
    $best
}

$generated = $false
if (-not $Path) {
    $Path = Join-Path ([System.IO.Path]::GetTempPath()) "skillforge-bench-$Count.jsonl"
    if (-not (Test-Path -LiteralPath $Path)) {
        Write-Host "Generating $Count records in $Path ..."
        New-BenchExport -File $Path -Records $Count
        $generated = $true
    }
}
$file = (Resolve-Path -LiteralPath $Path).ProviderPath
$sizeMB = (Get-Item -LiteralPath $file).Length / 1MB

# Warm up: load assemblies and JIT every path once, and keep the docs for the floor.
$docs = @(Import-MemoryExport -LiteralPath $file -ErrorAction SilentlyContinue)
$n = $docs.Count
$null = Get-Content -LiteralPath $file -TotalCount 1000 | ConvertFrom-Json

$import = Measure-Best 'Import-MemoryExport' { $null = Import-MemoryExport -LiteralPath $file -ErrorAction SilentlyContinue }
$json = Measure-Best 'Get-Content | ConvertFrom-Json' { $null = Get-Content -LiteralPath $file | ConvertFrom-Json }
$floor = Measure-Best 'floor (Write-Output)' { $null = $docs | Write-Output }

$rows = @(
    [pscustomobject]@{ Measurement = 'Import-MemoryExport'; Ms = [math]::Round($import.TotalMilliseconds); DocsPerSec = [math]::Round($n / $import.TotalSeconds) }
    [pscustomobject]@{ Measurement = 'Get-Content | ConvertFrom-Json'; Ms = [math]::Round($json.TotalMilliseconds); DocsPerSec = [math]::Round($n / $json.TotalSeconds) }
    [pscustomobject]@{ Measurement = 'Floor: ready-made objects | Write-Output'; Ms = [math]::Round($floor.TotalMilliseconds); DocsPerSec = [math]::Round($n / $floor.TotalSeconds) }
)
$rows | Format-Table -AutoSize | Out-String | Write-Host

$speedup = $json.TotalMilliseconds / $import.TotalMilliseconds
$overFloor = $import.TotalMilliseconds / $floor.TotalMilliseconds
Write-Host ("{0:N0} docs, {1:N1} MB, best of {2} runs, PowerShell {3}" -f $n, $sizeMB, $Repeat, $PSVersionTable.PSVersion)
Write-Host ("Throughput vs Get-Content | ConvertFrom-Json: {0:N1}x (target: at least 5x)  {1}" -f $speedup, ($(if ($speedup -ge 5) { 'PASS' } else { 'FAIL' })))
Write-Host ("Time vs PowerShell's floor:                    {0:N2}x (target: at most 2x)   {1}" -f $overFloor, ($(if ($overFloor -le 2) { 'PASS' } else { 'FAIL' })))

if ($generated) { Write-Verbose "The generated export stays at $Path for the next run." }

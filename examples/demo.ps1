#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the bundled example memory export and trace through SkillForge's whole flow, offline.
.DESCRIPTION
    Writes skills into out/demo-skills (emptied first, so every run starts clean) and prints what each step
    produced and a summary. No network and no API key: distillation uses the built-in offline distiller.
    Run it with ./build.ps1 Demo, or after ./build.ps1 Build with pwsh ./examples/demo.ps1.
#>
[CmdletBinding()]
param(
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/demo-skills')
)

$ErrorActionPreference = 'Stop'
$manifest = if ($env:SKILLFORGE_MODULE) { $env:SKILLFORGE_MODULE } else { Join-Path $PSScriptRoot '../out/SkillForge/SkillForge.psd1' }
Import-Module $manifest -Force

if (Test-Path -LiteralPath $OutputPath) { Remove-Item -LiteralPath $OutputPath -Recurse -Force }
$memorySkills = Join-Path $OutputPath 'memory'
$traceSkills = Join-Path $OutputPath 'traces'
$patternSkills = Join-Path $OutputPath 'patterns'
$crystallized = Join-Path $OutputPath 'crystallized'

Write-Host "`n== 1. Memory: import, cluster, prompt, distill (offline), export ==" -ForegroundColor Cyan
$docs = Import-MemoryExport -Path (Join-Path $PSScriptRoot 'memories.jsonl')
"{0} memory docs imported" -f $docs.Count
$clusters = $docs | Find-MemoryCluster
$clusters | Format-Table | Out-Host
$written = $clusters | New-DistillPrompt | Invoke-SkillDistillation -Offline | Export-Skill -Path $memorySkills
$written | Format-Table | Out-Host

Write-Host "== 2. Traces: import, split, prompt, distill (offline), convert, export ==" -ForegroundColor Cyan
$partitions = Import-Trace -Path (Join-Path $PSScriptRoot 'trace.jsonl') | Split-Trace
$partitions | Format-Table | Out-Host
# Offline, successes alone make no skill (one that only says a tool worked helps no agent): ask for the failure side.
$traceWritten = $partitions | New-DistillPrompt -Outcome Failure | Invoke-SkillDistillation -Offline |
    ConvertFrom-SkillJson | ConvertTo-SkillMarkdown | Export-Skill -Path $traceSkills
$traceWritten | Format-Table | Out-Host

Write-Host "== 2b. Lessons across traces: find patterns, prompt, distill (offline), export ==" -ForegroundColor Cyan
# The three example runs share no failure, so each lesson needs only its own trace here (-MinSupport 1).
$patterns = Import-Trace -Path (Join-Path $PSScriptRoot 'trace.jsonl') | Find-TracePattern -MinSupport 1
$patterns | Format-Table | Out-Host
$patternWritten = $patterns | New-DistillPrompt | Invoke-SkillDistillation -Offline | Export-Skill -Path $patternSkills
$patternWritten | Format-Table | Out-Host

Write-Host "== 3. The memory flow in one command, with a ledger so a re-run distills nothing twice ==" -ForegroundColor Cyan
$first = Invoke-SkillCrystallization -Path (Join-Path $PSScriptRoot 'memories.jsonl') -SkillsPath $crystallized -Offline
$first | Where-Object { $_ -is [SkillForge.CrystallizationSummary] } | Format-Table | Out-Host
$again = Invoke-SkillCrystallization -Path (Join-Path $PSScriptRoot 'memories.jsonl') -SkillsPath $crystallized -Offline
"Re-run: {0} skills written (the ledger already covers every cluster)" -f @($again | Where-Object { $_ -is [SkillForge.SkillFile] }).Count

Write-Host "`n== 4. Audit every skill written ==" -ForegroundColor Cyan
# .skillforge holds the crystallization ledger, not a skill (it is hidden on Linux and macOS, not on Windows).
$audit = Get-ChildItem -LiteralPath $memorySkills, $traceSkills, $patternSkills, $crystallized -Directory |
    Where-Object Name -NE '.skillforge' | Test-SkillMarkdown
$audit | Format-Table | Out-Host

[pscustomobject]@{
    MemoryDocs       = $docs.Count
    Clusters         = @($clusters).Count
    MemorySkills     = @($written).Count
    TracePartitions  = @($partitions).Count
    TraceSkills      = @($traceWritten).Count
    PatternSkills    = @($patternWritten).Count
    ValidSkills      = @($audit | Where-Object IsValid).Count
    InvalidSkills    = @($audit | Where-Object { -not $_.IsValid }).Count
    Output           = (Resolve-Path -LiteralPath $OutputPath).Path
} | Format-List | Out-Host

if (@($audit | Where-Object { -not $_.IsValid }).Count -gt 0) { throw 'The demo wrote an invalid skill.' }

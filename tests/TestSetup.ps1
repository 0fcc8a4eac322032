# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports the built module (out/SkillForge) into the test session.
# build.ps1 Test sets SKILLFORGE_MODULE; run by hand, build first (./build.ps1 Build).
$script:ModuleManifest = if ($env:SKILLFORGE_MODULE) { $env:SKILLFORGE_MODULE } else { Join-Path $PSScriptRoot '../out/SkillForge/SkillForge.psd1' }
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "SkillForge is not built: '$script:ModuleManifest' is missing. Run ./build.ps1 Build first."
}
Import-Module $script:ModuleManifest -Force -ErrorAction Stop
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$script:ExamplesPath = Join-Path $script:RepoRoot 'examples'
$script:RealDataPath = Join-Path $script:RepoRoot '../shared/real-data'

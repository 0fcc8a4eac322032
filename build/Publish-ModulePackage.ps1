#Requires -Version 7.4
<#
.SYNOPSIS
    Packs built modules into a local folder repository with Publish-PSResource: one .nupkg per module.
.DESCRIPTION
    Each layout file lists, one path a line, the files a module ships; the module's manifest <Name>.psd1 is the one
    .psd1 at its root and names the module. For each layout the files of <ModuleRoot>/<Name> are checked against the
    list (a listed file that is missing, or a file the list does not name, fails: the package is what was built and
    tested, nothing more) and exactly the listed files are staged into <StagingPath>/<Name>, then published into
    DestinationPath. Modules are published after the modules they require (RequiredModules), so that a companion
    module's dependency on SkillForge resolves against the SkillForge just packed. A package of the same name and
    version already in DestinationPath is replaced.

    PSResourceGet publishes only to a registered repository, and it keeps that list per user: run this script
    through Invoke-InPrivateHome.ps1, as build.ps1 does, so the user's own list is never touched. The repository
    registered here is removed again whatever happens.

    Outputs one object per package: Name, Version, Path, Length (bytes) and Files (the module files it holds).
#>
param(
    [Parameter(Mandatory)] [string[]] $LayoutPath,
    [Parameter(Mandatory)] [string] $ModuleRoot,
    [Parameter(Mandatory)] [string] $DestinationPath,
    [Parameter(Mandatory)] [string] $StagingPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-ModuleFiles([string] $Folder) {
    $root = (Resolve-Path -LiteralPath $Folder).ProviderPath
    @(Get-ChildItem -LiteralPath $root -Recurse -File -Force |
        ForEach-Object { [IO.Path]::GetRelativePath($root, $_.FullName).Replace('\', '/') })
}

# Read every layout and stage its module.
$modules = @(foreach ($layout in $LayoutPath) {
    $listed = @(Get-Content -LiteralPath $layout | ForEach-Object Trim | Where-Object { $_ })
    $manifests = @($listed | Where-Object { $_ -notmatch '/' -and $_ -like '*.psd1' })
    if ($manifests.Count -ne 1) { throw "$layout must list exactly one module manifest (<Name>.psd1) at the module's root." }
    $name = [IO.Path]::GetFileNameWithoutExtension($manifests[0])
    $built = Join-Path $ModuleRoot $name
    if (-not (Test-Path -LiteralPath $built -PathType Container)) { throw "Module $name is not built: '$built' is missing. Build it first." }

    $present = Get-ModuleFiles $built
    $missing = @($listed | Where-Object { $_ -notin $present })
    $unlisted = @($present | Where-Object { $_ -notin $listed })
    if ($missing) { throw "Module ${name}: $layout lists files that the build did not produce: $($missing -join ', ')." }
    if ($unlisted) {
        throw "Module ${name}: $built holds files that $layout does not list: $($unlisted -join ', '). " +
            'List each one the module needs; stop the build from copying the others.'
    }

    $stage = Join-Path $StagingPath $name
    Remove-Item -LiteralPath $stage -Recurse -Force -ErrorAction SilentlyContinue
    foreach ($file in $listed) {
        $target = Join-Path $stage $file
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $target)
        Copy-Item -LiteralPath (Join-Path $built $file) -Destination $target
    }
    $data = Import-PowerShellDataFile -LiteralPath (Join-Path $stage "$name.psd1")
    $prerelease = $data.PrivateData.PSData.Prerelease
    [pscustomobject]@{
        Name     = $name
        Version  = if ($prerelease) { "$($data.ModuleVersion)-$prerelease" } else { "$($data.ModuleVersion)" }
        Stage    = $stage
        Files    = $listed
        Requires = @($data['RequiredModules'] | ForEach-Object { if ($_ -is [hashtable]) { $_.ModuleName } else { "$_" } })
    }
})

# Publishing order: a module after the modules of this set that it requires.
$names = @($modules | ForEach-Object Name)
$ordered = [Collections.Generic.List[object]]::new()
while ($ordered.Count -lt $modules.Count) {
    $done = @($ordered | ForEach-Object Name)
    $next = @($modules | Where-Object { $_.Name -notin $done -and -not ($_.Requires | Where-Object { $_ -in $names -and $_ -notin $done }) })
    if (-not $next) { throw "These modules require each other in a circle: $(@($names | Where-Object { $_ -notin $done }) -join ', ')." }
    $ordered.AddRange($next)
}

# Test-ModuleManifest, which Publish-PSResource runs, finds a required module on PSModulePath: the staged ones.
$env:PSModulePath = (Resolve-Path -LiteralPath $StagingPath).ProviderPath + [IO.Path]::PathSeparator + $env:PSModulePath
$null = New-Item -ItemType Directory -Force -Path $DestinationPath
$repository = "SkillForgeBuild$PID"
Register-PSResourceRepository -Name $repository -Uri (Resolve-Path -LiteralPath $DestinationPath).ProviderPath -Trusted
try {
    foreach ($module in $ordered) {
        $package = Join-Path $DestinationPath "$($module.Name).$($module.Version).nupkg"
        Remove-Item -LiteralPath $package -Force -ErrorAction SilentlyContinue
        Publish-PSResource -Path $module.Stage -Repository $repository
        if (-not (Test-Path -LiteralPath $package)) { throw "Publish-PSResource did not write '$package'." }
        [pscustomobject]@{
            Name    = $module.Name
            Version = $module.Version
            Path    = (Resolve-Path -LiteralPath $package).ProviderPath
            Length  = (Get-Item -LiteralPath $package).Length
            Files   = $module.Files
        }
    }
}
finally {
    Unregister-PSResourceRepository -Name $repository
}

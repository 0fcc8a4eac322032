#Requires -Version 7.4
<#
.SYNOPSIS
    Runs a script block in a fresh `pwsh -NoProfile -NonInteractive` whose home is a private folder, so that what
    PSResourceGet registers and installs for the current user stays in that folder.
.DESCRIPTION
    On Linux and macOS, PowerShell and PSResourceGet find the per-user folders from HOME: PSResourceGet's list of
    repositories (PSResourceRepository.xml in the local application data folder) and the CurrentUser modules
    (~/.local/share/powershell/Modules). The XDG_* variables are cleared so that HOME alone decides, and PSModulePath
    so that the child computes its default module path from that home, as a new user's session does. The caller's
    environment is restored afterwards. The child starts in the private home; pass it absolute paths. On Windows these
    folders do not follow HOME.

    Returns what the script block outputs (deserialized, as from any child pwsh); its errors are written here, and
    a script block that fails (exit code not 0) throws.
#>
param(
    [Parameter(Mandatory)] [string] $HomePath,
    [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
    [object[]] $ArgumentList = @()
)

$pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')  # under `dotnet pwsh` there is no pwsh on PATH
$private = [ordered]@{ HOME = $HomePath; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null; PSModulePath = $null }
$saved = @{}
foreach ($name in $private.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
# The folders .NET names for the home (ApplicationData, LocalApplicationData) must exist: for a missing one it answers
# '', and NuGet, inside PSResourceGet, then writes its NuGet.Config relative to the working directory.
foreach ($folder in '.config', '.local/share') { $null = New-Item -ItemType Directory -Force -Path (Join-Path $HomePath $folder) }
try {
    foreach ($name in $private.Keys) { [Environment]::SetEnvironmentVariable($name, $private[$name]) }
    & $pwsh -NoProfile -NonInteractive -WorkingDirectory $HomePath -Command $ScriptBlock -args $ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "The PowerShell run in the private home '$HomePath' failed (exit code $LASTEXITCODE)." }
}
finally {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
}

# Dot-sourced by the Pester tests of the model cmdlets: starts the local OpenAI-compatible test server as a
# process (a real HTTP server on 127.0.0.1, free port) and stops it again.
#   $server = Start-SkillForgeTestServer      # $server.Endpoint: http://127.0.0.1:PORT/v1
#   Stop-SkillForgeTestServer $server
# Behaviour is chosen by the model name (see Behaviour.cs): echo, json, slow:200, status:401, quota, hang, ...

function Start-SkillForgeTestServer {
    # The configuration build.ps1 built (SKILLFORGE_CONFIGURATION) first, then Release (its default), then Debug.
    $configurations = @($env:SKILLFORGE_CONFIGURATION, 'Release', 'Debug') | Where-Object { $_ } | Select-Object -Unique
    $candidates = foreach ($configuration in $configurations) {
        Join-Path $PSScriptRoot "bin/$configuration/net10.0/SkillForge.TestServer.dll"
    }
    $dll = $candidates | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
    if (-not $dll) {
        throw "The test server is not built ($($candidates -join ', ') missing). Run 'dotnet build tests/SkillForge.TestServer' or './build.ps1 Build' first."
    }

    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $startInfo.ArgumentList.Add($dll)
    $startInfo.ArgumentList.Add('--port')
    $startInfo.ArgumentList.Add('0')
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    # The server serves until its standard input closes: keep a pipe open and close it to stop it.
    $startInfo.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)

    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait([TimeSpan]::FromSeconds(30))) {
        $process.Kill()
        throw 'The test server did not report its address within 30 seconds.'
    }
    $line = $firstLine.Result
    if ($line -match '^listening (?<url>http://127\.0\.0\.1:\d+/v1)$') {
        return [pscustomobject]@{
            PSTypeName = 'SkillForge.Tests.TestServer'
            Process    = $process
            Endpoint   = $Matches['url']
        }
    }
    $process.Kill()
    throw "The test server's first line was '$line', not 'listening http://127.0.0.1:PORT/v1'."
}

function Stop-SkillForgeTestServer {
    param($Server)
    # Safe to call from any AfterAll: with $null (the start failed), or with a server already stopped.
    if ($null -eq $Server -or $null -eq $Server.Process) { return }
    $process = $Server.Process
    try {
        if ($process.HasExited) { return }
        try { $process.StandardInput.Close() } catch { }
        if (-not $process.WaitForExit(5000)) { $process.Kill($true) }
    }
    catch [System.InvalidOperationException] {
        # Already disposed by an earlier stop: nothing left to end.
    }
    finally {
        $process.Dispose()
    }
}

# The chat-completion requests the server received whose first user message is $Text.
function Get-SkillForgeTestRequest {
    param($Server, [string] $Text)
    $log = Invoke-RestMethod -Uri "$($Server.Endpoint)/requests" -NoProxy
    @($log.data | Where-Object { [string]::IsNullOrEmpty($Text) -or $_.first_user_message -ceq $Text })
}

# The most chat-completion requests for one model name the server answered at the same time (counted on the server).
function Get-SkillForgeTestConcurrency {
    param($Server, [string] $Model)
    (Invoke-RestMethod -Uri "$($Server.Endpoint)/concurrency?model=$([uri]::EscapeDataString($Model))" -NoProxy).max_concurrent_requests
}

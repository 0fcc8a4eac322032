BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1
    $script:Server = Start-SkillForgeTestServer

    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') { [Environment]::SetEnvironmentVariable($name, $null) }
    Set-SkillForgeContext -Clear

    function New-ClusterPrompt {
        [SkillForge.DistillPrompt]@{
            Kind = 'MemoryCluster'; ExpectedOutput = 'SkillMarkdown'; Text = "Write one SKILL.md from these memories. $(New-Guid)"
            Fingerprint = (New-Guid).ToString('N'); SourceIds = @('a', 'b'); SourceTokens = 100; EstimatedTokens = 20
        }
    }
}

AfterAll {
    Stop-SkillForgeTestServer $script:Server
    Set-SkillForgeContext -Clear
}

Describe 'Invoke-SkillDistillation against a misbehaving server' {
    It 'stops reading an answer far past -MaxOutputTokens with a clear error, and writes nothing' {
        $skills = Join-Path $TestDrive 'huge'
        $result = New-ClusterPrompt | Invoke-SkillDistillation -Endpoint $Server.Endpoint -Model 'huge:20' -MaxOutputTokens 2000 -MaxRetryCount 0 -ErrorVariable err -ErrorAction SilentlyContinue |
            Export-Skill -Path $skills
        $result | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Distill.AnswerTooLong,*'
        $err[0].Exception.Message | Should -Match '-MaxOutputTokens 2000'
        $skills | Should -Not -Exist
    }

    It 'reports a stream event that is not JSON as an invalid response that names what to check' {
        $null = New-ClusterPrompt | Invoke-SkillDistillation -Endpoint $Server.Endpoint -Model 'badjson' -MaxRetryCount 0 -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Distill.InvalidResponse,*'
        $err[0].Exception.Message | Should -Not -Match 'inner exception'
        $err[0].Exception.Message | Should -Match 'OpenAI-compatible'
    }
}

Describe 'Text and answers over the size of a SKILL.md' {
    It 'Test-SkillMarkdown -Content refuses text over 16 MiB, as it refuses such a file' {
        $text = "---`nname: big`ndescription: Big. Use when testing.`n---`n`n" + ('x' * 17MB)
        $result = Test-SkillMarkdown -Content $text
        $result.IsValid | Should -BeFalse
        $result.Diagnostics.Code | Should -Contain 'SF1015'
    }
}

Describe 'The test server' -Skip:($IsWindows) {
    It 'exits on SIGTERM, with and without --until-killed' {
        $dll = (Get-Process -Id $Server.Process.Id).CommandLine -replace '^.*?(\S*SkillForge\.TestServer\.dll).*$', '$1'
        foreach ($mode in @(@(), @('--until-killed'))) {
            $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
            $start.ArgumentList.Add($dll)
            foreach ($arg in $mode) { $start.ArgumentList.Add($arg) }
            $start.RedirectStandardOutput = $true
            $start.RedirectStandardInput = $true
            $process = [System.Diagnostics.Process]::Start($start)
            try {
                $process.StandardOutput.ReadLine() | Should -Match '^listening http://127\.0\.0\.1:\d+/v1$'
                kill -TERM $process.Id
                $process.WaitForExit(30000) | Should -BeTrue -Because "the server ($($mode -join ' ')) should end on SIGTERM"
                $process.ExitCode | Should -Be 0
            }
            finally {
                if (-not $process.HasExited) { $process.Kill() }
                $process.Dispose()
            }
        }
    }
}

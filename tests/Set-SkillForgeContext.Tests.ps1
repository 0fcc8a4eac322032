BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1

    $script:Server = Start-SkillForgeTestServer
    $script:Endpoint = $script:Server.Endpoint
    $script:Fqid = ',SkillForge.Commands.SetSkillForgeContextCommand'
    $script:SavedEnv = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
}

AfterAll {
    Stop-SkillForgeTestServer $script:Server
    Set-SkillForgeContext -Clear
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
}

Describe 'Set-SkillForgeContext' {
    BeforeEach { Set-SkillForgeContext -Clear }

    Context 'Storing session defaults' {
        It 'outputs nothing unless -PassThru is given' {
            Set-SkillForgeContext -Model 'gpt-4.1-mini' | Should -BeNullOrEmpty
        }

        It 'returns the context with -PassThru and keeps the model''s case' {
            $context = Set-SkillForgeContext -Model 'Qwen2.5-Coder:7B' -Endpoint 'http://127.0.0.1:11434/v1/' -TimeoutSec 30 -MaxRetryCount 1 -Temperature 0.5 -MaxOutputTokens 2048 -ThrottleLimit 2 -PassThru
            $context | Should -BeOfType SkillForge.DistillationContext
            $context.Model | Should -BeExactly 'Qwen2.5-Coder:7B'
            $context.Endpoint | Should -Be ([uri]'http://127.0.0.1:11434/v1')
            $context.TimeoutSec | Should -Be 30
            $context.MaxRetryCount | Should -Be 1
            $context.Temperature | Should -Be 0.5
            $context.MaxOutputTokens | Should -Be 2048
            $context.ThrottleLimit | Should -Be 2
        }

        It 'changes only the values given and keeps the rest' {
            Set-SkillForgeContext -Model 'gpt-4.1' -ThrottleLimit 6
            Set-SkillForgeContext -TimeoutSec 45
            $context = Get-SkillForgeContext
            $context.Model | Should -Be 'gpt-4.1'
            $context.ThrottleLimit | Should -Be 6
            $context.TimeoutSec | Should -Be 45
        }

        It 'forgets everything with -Clear' {
            Set-SkillForgeContext -Model 'gpt-4.1' -ApiKey 'sk-some-long-session-key-1234'
            Set-SkillForgeContext -Clear
            $context = Get-SkillForgeContext
            $context.Model | Should -BeNullOrEmpty
            $context.KeySource | Should -Be 'none'
            $context.TimeoutSec | Should -Be 120
        }

        It 'applies the other values given with -Clear after clearing' {
            Set-SkillForgeContext -Model 'gpt-4.1' -ThrottleLimit 6
            $context = Set-SkillForgeContext -Clear -Model 'o4-mini' -PassThru
            $context.Model | Should -Be 'o4-mini'
            $context.ThrottleLimit | Should -Be 4
        }
    }

    Context 'The API key' {
        It 'masks the key (<Kind>) and never shows it' -ForEach @(
            @{ Kind = 'string' }
            @{ Kind = 'SecureString' }
        ) {
            $key = 'sk-proj-' + (New-Guid).ToString('N') + 'WXYZ'
            $value = if ($Kind -eq 'SecureString') { ConvertTo-SecureString $key -AsPlainText -Force } else { $key }
            $context = Set-SkillForgeContext -ApiKey $value -PassThru -Verbose 4>&1
            $verbose = $context | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $context = $context | Where-Object { $_ -is [SkillForge.DistillationContext] }
            $context.KeySource | Should -Be 'context'
            $context.MaskedKey | Should -Be '****WXYZ'
            ($context | Format-List * | Out-String) | Should -Not -BeLike "*$key*"
            ($verbose | Out-String) | Should -Not -BeLike "*$key*"
            ($context | ConvertTo-Json) | Should -Not -BeLike "*$key*"
        }

        It 'rejects a key of another type' {
            { Set-SkillForgeContext -ApiKey 12345 -ErrorAction Stop } | Should -Throw -ErrorId "SkillForge.Distill.InvalidApiKey$script:Fqid"
        }
    }

    Context 'Validation' {
        It 'rejects an endpoint that is not an http(s) URL' {
            { Set-SkillForgeContext -Endpoint 'ftp://example.com/v1' -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.InvalidEndpoint$script:Fqid"
        }

        It 'rejects -<Name> <Value>' -ForEach @(
            @{ Name = 'ThrottleLimit'; Value = 0 }
            @{ Name = 'TimeoutSec'; Value = 0 }
            @{ Name = 'MaxRetryCount'; Value = 21 }
            @{ Name = 'Temperature'; Value = 3 }
        ) {
            $splat = @{ $Name = $Value }
            { Set-SkillForgeContext @splat -ErrorAction Stop } | Should -Throw -ErrorId "ParameterArgumentValidationError$script:Fqid"
        }
    }

    Context 'Used by Invoke-SkillDistillation' {
        It 'lets Invoke-SkillDistillation run with no parameters' {
            Set-SkillForgeContext -Endpoint $script:Endpoint -Model 'echo'
            $prompt = [SkillForge.DistillPrompt]@{ Kind = 'TraceSuccess'; ExpectedOutput = 'SkillJsonArray'; Text = "JSON array please. $(New-Guid)" }
            $result = $prompt | Invoke-SkillDistillation
            $result.Model | Should -Be 'echo'
            $result.Endpoint | Should -Be ([uri]$script:Endpoint).Authority
        }

        It 'is per runspace: another runspace starts without it' {
            Set-SkillForgeContext -Model 'only-here'
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$script:ModuleManifest'; (Get-SkillForgeContext).Model")
                $other = $ps.Invoke()
                $other | Should -Not -Contain 'only-here'
            }
            finally { $ps.Dispose() }
            (Get-SkillForgeContext).Model | Should -Be 'only-here'
        }
    }

    Context 'Tab completion of -Model' {
        It 'suggests known models that start with what was typed' {
            $line = 'Set-SkillForgeContext -Model gpt-4.1'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Contain 'gpt-4.1-mini'
            $completions | Should -Not -Contain 'llama3.1'
        }

        It 'offers the session''s model first' {
            Set-SkillForgeContext -Model 'my-Custom-Model'
            $line = 'Invoke-SkillDistillation -Model '
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions[0] | Should -BeExactly 'my-Custom-Model'
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:SavedEnv = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
}

AfterAll {
    Set-SkillForgeContext -Clear
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
}

Describe 'Get-SkillForgeContext' {
    BeforeEach {
        Set-SkillForgeContext -Clear
        foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    Context 'Nothing configured' {
        It 'shows the defaults and no key' {
            $context = Get-SkillForgeContext
            $context | Should -BeOfType SkillForge.DistillationContext
            $context.Model | Should -BeNullOrEmpty
            $context.Endpoint | Should -BeNullOrEmpty
            $context.KeySource | Should -Be 'none'
            $context.MaskedKey | Should -Be ''
            $context.TimeoutSec | Should -Be 120
            $context.MaxRetryCount | Should -Be 3
            # Temperature is a [float]: 0.3f -eq 0.3 (a double) is false, so compare with a float.
            $context.Temperature | Should -Be ([float] 0.3)
            $context.MaxOutputTokens | Should -Be 4096
            $context.ThrottleLimit | Should -Be 4
        }
    }

    Context 'From the environment' {
        It 'shows $env:OPENAI_API_KEY masked, $env:OPENAI_BASE_URL and $env:SKILLFORGE_MODEL' {
            $key = 'sk-env-' + (New-Guid).ToString('N') + 'ABCD'
            $env:OPENAI_API_KEY = $key
            $env:OPENAI_BASE_URL = 'http://127.0.0.1:11434/v1'
            $env:SKILLFORGE_MODEL = 'llama3.1'
            $context = Get-SkillForgeContext
            $context.KeySource | Should -Be 'OPENAI_API_KEY'
            $context.MaskedKey | Should -Be '****ABCD'
            $context.Endpoint | Should -Be ([uri]'http://127.0.0.1:11434/v1')
            $context.Model | Should -Be 'llama3.1'
            ($context | Out-String) | Should -Not -BeLike "*$key*"
        }
    }

    Context 'Session defaults win over the environment' {
        It 'shows the session''s <Property>' -ForEach @(
            @{ Property = 'Model'; Session = @{ Model = 'gpt-4.1' }; Expected = 'gpt-4.1' }
            @{ Property = 'KeySource'; Session = @{ ApiKey = 'sk-session-key-000000001111' }; Expected = 'context' }
            @{ Property = 'MaskedKey'; Session = @{ ApiKey = 'sk-session-key-000000001111' }; Expected = '****1111' }
        ) {
            $env:OPENAI_API_KEY = 'sk-env-key-999999999999'
            $env:SKILLFORGE_MODEL = 'llama3.1'
            Set-SkillForgeContext @Session
            (Get-SkillForgeContext).$Property | Should -Be $Expected
        }
    }

    Context 'Display' {
        It 'has a list view that shows the masked key, not the key' {
            $key = 'sk-view-' + (New-Guid).ToString('N') + 'LAST'
            Set-SkillForgeContext -ApiKey $key -Model 'gpt-4.1-mini'
            $text = Get-SkillForgeContext | Out-String
            $text | Should -BeLike '*MaskedKey*: `*`*`*`*LAST*'
            $text | Should -Not -BeLike "*$key*"
        }
    }
}

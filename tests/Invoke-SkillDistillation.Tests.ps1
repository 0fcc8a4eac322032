BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1

    $script:Server = Start-SkillForgeTestServer
    $script:Endpoint = $script:Server.Endpoint
    $script:Fqid = ',SkillForge.Commands.InvokeSkillDistillationCommand'

    # Tests decide what is configured: nothing from the machine or an earlier test leaks in.
    $script:SavedEnv = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    Set-SkillForgeContext -Clear

    function New-TestPrompt {
        param([string] $Kind = 'TraceSuccess', [string] $Text)
        $expected = if ($Kind -eq 'MemoryCluster') { 'SkillMarkdown' } else { 'SkillJsonArray' }
        if (-not $Text) {
            $Text = if ($Kind -eq 'MemoryCluster') { "Write one SKILL.md from these memories. $(New-Guid)" }
                    else { "Distill these events into a JSON array of skills. $(New-Guid)" }
        }
        [SkillForge.DistillPrompt]@{
            Kind            = $Kind
            ExpectedOutput  = $expected
            Text            = $Text
            Fingerprint     = (New-Guid).ToString('N') + (New-Guid).ToString('N')
            SourceIds       = @('a', 'b', 'c')
            SourceTokens    = 400
            EstimatedTokens = 50
        }
    }
}

AfterAll {
    Stop-SkillForgeTestServer $script:Server
    Set-SkillForgeContext -Clear
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
}

Describe 'Invoke-SkillDistillation' {
    AfterEach {
        Set-SkillForgeContext -Clear
        foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    Context 'Nothing configured' {
        It 'stops with NotConfigured and names the options, -Offline included' {
            $prompt = New-TestPrompt
            { $prompt | Invoke-SkillDistillation -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.NotConfigured$script:Fqid"
            try { $prompt | Invoke-SkillDistillation -ErrorAction Stop } catch { $message = $_.Exception.Message }
            foreach ($option in '-ApiKey', 'Set-SkillForgeContext', '$env:OPENAI_API_KEY', '-Endpoint', '-Offline') {
                $message | Should -BeLike "*$option*"
            }
        }

        It 'stops with NotConfigured for a remote endpoint without a key' {
            { New-TestPrompt | Invoke-SkillDistillation -Endpoint 'https://models.example.com/v1' -Model m -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.NotConfigured$script:Fqid"
        }
    }

    Context 'A local OpenAI-compatible server' {
        It 'answers a trace prompt with a DistillationResult (no key needed on 127.0.0.1)' {
            $prompt = New-TestPrompt
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo
            $result | Should -BeOfType SkillForge.DistillationResult
            $result.Text | Should -Match '^\[\{'
            $result.Model | Should -Be 'echo'
            $result.Endpoint | Should -Be ([uri]$script:Endpoint).Authority
            $result.FinishReason | Should -Be 'stop'
            $result.OutputTokens | Should -BeGreaterThan 0
            $result.CompressionRatio | Should -BeGreaterThan 0
            [object]::ReferenceEquals($result.Prompt, $prompt) | Should -BeTrue
        }

        It 'answers a memory prompt with a valid SKILL.md, unwrapped, and names it' {
            $result = New-TestPrompt -Kind MemoryCluster | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo
            $result.Text | Should -BeLike "---`nname: echo-*"
            $result.Name | Should -BeLike 'echo-*'
            Test-SkillMarkdown -Content $result.Text -Quiet | Should -BeTrue
        }

        It 'repairs an invalid SKILL.md in one more round' {
            $prompt = New-TestPrompt -Kind MemoryCluster
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model repair
            $result.Repaired | Should -BeTrue
            $result.Name | Should -BeLike 'repaired-*'
            (Get-SkillForgeTestRequest $script:Server $prompt.Text).Count | Should -Be 2
        }

        It 'keeps the case of the model name' {
            $prompt = New-TestPrompt
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model 'EcHo'
            $result.Model | Should -BeExactly 'EcHo'
            (Get-SkillForgeTestRequest $script:Server $prompt.Text)[0].model | Should -BeExactly 'EcHo'
        }
    }

    Context 'Pipeline binding' {
        It 'binds Text and Kind by property name from ConvertFrom-Json' {
            $text = "Distill into a JSON array. $(New-Guid)"
            $result = @{ Text = $text; Kind = 'TraceFailure' } | ConvertTo-Json | ConvertFrom-Json |
                Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo
            $result.Prompt.Kind | Should -Be 'TraceFailure'
            $result.Prompt.ExpectedOutput | Should -Be 'SkillJsonArray'
            $result.Prompt.Text | Should -Be $text
        }

        It 'binds a [pscustomobject] with Text, SourceIds and SourceTokens' {
            $result = [pscustomobject]@{ Text = "Skill from these notes. $(New-Guid)"; SourceIds = 'x', 'y'; SourceTokens = 1000 } |
                Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo
            $result.Prompt.Kind | Should -Be 'MemoryCluster'
            $result.Prompt.ExpectedOutput | Should -Be 'SkillMarkdown'
            $result.SourceIds | Should -Be @('x', 'y')
            $result.CompressionRatio | Should -BeGreaterThan 0
        }

        It 'returns results in input order with several requests in flight' {
            $prompts = 1..6 | ForEach-Object { New-TestPrompt }
            # A model name of its own: the server counts the requests in flight per model name.
            $model = "slow:150+run-$(New-Guid)"
            $results = $prompts | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model $model -ThrottleLimit 3
            $results.Count | Should -Be 6
            for ($i = 0; $i -lt 6; $i++) { $results[$i].Prompt.Text | Should -Be $prompts[$i].Text }
            Get-SkillForgeTestConcurrency $script:Server $model | Should -BeIn 1, 2, 3
        }

        It 'sends identical prompts once and still answers each' {
            $prompt = New-TestPrompt
            $twin = New-TestPrompt -Text $prompt.Text
            $results = $prompt, $twin | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo
            $results.Count | Should -Be 2
            $results[1].Text | Should -Be $results[0].Text
            [object]::ReferenceEquals($results[1].Prompt, $twin) | Should -BeTrue
            (Get-SkillForgeTestRequest $script:Server $prompt.Text).Count | Should -Be 1
        }

        It 'reports a prompt without text and goes on' {
            $good = New-TestPrompt
            $results = [SkillForge.DistillPrompt]@{ Text = '' }, $good |
                Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "SkillForge.Distill.InvalidPrompt$script:Fqid"
            @($results).Count | Should -Be 1
        }
    }

    Context 'Server failures' {
        It 'reports <Model> as <ErrorId> without retrying' -ForEach @(
            @{ Model = 'status:400'; ErrorId = 'SkillForge.Distill.BadRequest'; Category = 'InvalidArgument' }
            @{ Model = 'status:401'; ErrorId = 'SkillForge.Distill.Unauthorized'; Category = 'AuthenticationError' }
            @{ Model = 'status:403'; ErrorId = 'SkillForge.Distill.Forbidden'; Category = 'PermissionDenied' }
            @{ Model = 'status:404'; ErrorId = 'SkillForge.Distill.NotFound'; Category = 'ObjectNotFound' }
            @{ Model = 'quota'; ErrorId = 'SkillForge.Distill.QuotaExceeded'; Category = 'LimitsExceeded' }
        ) {
            $prompt = New-TestPrompt
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model $Model -MaxRetryCount 3 -ErrorVariable err -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "$ErrorId$script:Fqid"
            $err[0].CategoryInfo.Category | Should -Be $Category
            [object]::ReferenceEquals($err[0].TargetObject, $prompt) | Should -BeTrue
            (Get-SkillForgeTestRequest $script:Server $prompt.Text).Count | Should -Be 1
        }

        It 'retries a server error and succeeds' {
            $prompt = New-TestPrompt
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model 'error500:1' -MaxRetryCount 2
            $result.Retries | Should -Be 1
            (Get-SkillForgeTestRequest $script:Server $prompt.Text).Count | Should -Be 2
        }

        It 'honours Retry-After on a 429' {
            $prompt = New-TestPrompt
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model 'ratelimit:1:1' -MaxRetryCount 2
            $result.Retries | Should -Be 1
            $requests = Get-SkillForgeTestRequest $script:Server $prompt.Text | Sort-Object sequence
            ([datetimeoffset]$requests[1].received_at - [datetimeoffset]$requests[0].received_at).TotalMilliseconds | Should -BeGreaterOrEqual 1000
        }

        It 'gives up on a hang after -TimeoutSec with Timeout' {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            New-TestPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model hang -TimeoutSec 1 -MaxRetryCount 0 -ErrorVariable err -ErrorAction SilentlyContinue
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
            $err[0].FullyQualifiedErrorId | Should -Be "SkillForge.Distill.Timeout$script:Fqid"
        }

        It 'reports an empty answer as EmptyOutput and a cut stream as Truncated' {
            New-TestPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model empty -ErrorVariable e1 -ErrorAction SilentlyContinue
            $e1[0].FullyQualifiedErrorId | Should -Be "SkillForge.Distill.EmptyOutput$script:Fqid"
            New-TestPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model cut -MaxRetryCount 0 -ErrorVariable e2 -ErrorAction SilentlyContinue
            $e2[0].FullyQualifiedErrorId | Should -Match '^SkillForge\.Distill\.(Truncated|ConnectionFailed),'
        }

        It 'reports an answer that stays invalid as InvalidSkill with the raw text' {
            New-TestPrompt -Kind MemoryCluster | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model invalidskill -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be "SkillForge.Distill.InvalidSkill$script:Fqid"
            $err[0].Exception.RawText | Should -BeLike '*# Notes*'
        }

        It 'stops at once with -ErrorAction Stop' {
            { New-TestPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model 'status:403' -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.Forbidden$script:Fqid"
        }
    }

    Context 'The API key' {
        It 'never appears in errors or verbose output, even when the server echoes it' {
            $key = "sk-test-$((New-Guid).ToString('N'))-PESTER"
            $secure = ConvertTo-SecureString $key -AsPlainText -Force
            $output = New-TestPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model 'status:401' -ApiKey $secure -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1
            $err[0].FullyQualifiedErrorId | Should -Be "SkillForge.Distill.Unauthorized$script:Fqid"
            $texts = @($err | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.ErrorDetails.Message }) +
                     @($output | ForEach-Object { $_.ToString() })
            $texts | Should -Not -BeNullOrEmpty
            foreach ($text in $texts) { $text | Should -Not -BeLike "*$key*" }
            ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -BeLike '*key from parameter (`*`*`*`*STER)*'
        }

        It 'accepts a plain string key' {
            $result = New-TestPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo -ApiKey 'plain-key'
            $result | Should -Not -BeNullOrEmpty
        }

        It 'rejects a key that is neither a string nor a SecureString' {
            { New-TestPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo -ApiKey 42 -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.InvalidApiKey$script:Fqid"
        }
    }

    Context 'Settings precedence' {
        It 'uses $env:OPENAI_BASE_URL and $env:SKILLFORGE_MODEL when nothing else is set' {
            $env:OPENAI_BASE_URL = $script:Endpoint
            $env:SKILLFORGE_MODEL = 'echo'
            (New-TestPrompt | Invoke-SkillDistillation).Model | Should -Be 'echo'
        }

        It 'prefers the session context over the environment, and parameters over both' {
            $env:OPENAI_BASE_URL = $script:Endpoint
            $env:SKILLFORGE_MODEL = 'status:500'
            Set-SkillForgeContext -Model 'json'
            (New-TestPrompt | Invoke-SkillDistillation).Model | Should -Be 'json'
            (New-TestPrompt | Invoke-SkillDistillation -Model 'EcHo').Model | Should -Be 'EcHo'
        }
    }

    Context '-WhatIf, -Offline and -ChatClient' {
        It 'sends nothing with -WhatIf' {
            $prompt = New-TestPrompt
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo -WhatIf
            $result | Should -BeNullOrEmpty
            Get-SkillForgeTestRequest $script:Server $prompt.Text | Should -BeNullOrEmpty
        }

        It 'previews what would be sent and its tokens with no key and no endpoint (help example as printed)' {
            $out = Invoke-SkillForgeChild -WorkingDirectory $RepoRoot @'
$prompts = Import-MemoryExport ./examples/memories.jsonl | Find-MemoryCluster | New-DistillPrompt
$prompts | Invoke-SkillDistillation -Model gpt-4.1 -WhatIf
'@
            $out | Should -Not -BeLike '*NotConfigured*'
            $lines = @($out | Where-Object { $_ -like 'What if:*' })
            $lines.Count | Should -Be 8
            $lines | Should -Match "Send to model 'gpt-4\.1' at api\.openai\.com \(no API key for api\.openai\.com is configured yet\)"
            $lines | Should -Match 'MemoryCluster prompt [0-9a-f]{12} \(~\d+ tokens, expects a SKILL\.md\)'
        }

        It 'still stops with NotConfigured when the preview is confirmed into a real run' {
            { New-TestPrompt | Invoke-SkillDistillation -Model gpt-4.1 -WhatIf:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.NotConfigured$script:Fqid"
        }

        It 'warns when a prompt and its answer exceed the model''s context, and shows it under -WhatIf' {
            # gemma2 has an 8192-token context; the test server answers any model name.
            $prompt = New-TestPrompt
            $result = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model gemma2 -MaxOutputTokens 8190 -WarningVariable w -WarningAction SilentlyContinue
            $result | Should -Not -BeNullOrEmpty
            $w.Count | Should -Be 1
            "$($w[0])" | Should -BeLike '*about 50 prompt tokens plus up to 8190 output tokens exceed the 8192-token context of model ''gemma2''*'
            $null = $prompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model gemma2 -MaxOutputTokens 100 -WarningVariable quiet
            $quiet.Count | Should -Be 0

            $out = Invoke-SkillForgeChild @"
[SkillForge.DistillPrompt]@{ Text = 'Write one SKILL.md. $(New-Guid)'; EstimatedTokens = 50 } |
    Invoke-SkillDistillation -Endpoint '$script:Endpoint' -Model gemma2 -MaxOutputTokens 8190 -WhatIf
"@
            ($out | Where-Object { $_ -like 'What if:*' }) | Should -BeLike '*exceed the 8192-token context*'
        }

        It 'distills prompts read back with Import-Clixml, as the prompts themselves' {
            $prompts = Import-MemoryExport (Join-Path $ExamplesPath 'memories.jsonl') | Find-MemoryCluster | Select-Object -First 2 | New-DistillPrompt
            $file = Join-Path $TestDrive 'prompts.xml'
            $prompts | Export-Clixml -LiteralPath $file -Depth 6
            $results = @(Import-Clixml -LiteralPath $file | Invoke-SkillDistillation -Offline)
            $results.Count | Should -Be 2
            $results.Text | Should -Be @($prompts | Invoke-SkillDistillation -Offline).Text
        }

        It 'writes a new progress record each time, never changing one it already wrote' {
            $prompts = Import-MemoryExport (Join-Path $ExamplesPath 'memories.jsonl') | Find-MemoryCluster | Select-Object -First 3 | New-DistillPrompt
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($m, $p) Import-Module $m; $ProgressPreference = "Continue"; $p | Invoke-SkillDistillation -Offline').
                    AddArgument($ModuleManifest).AddArgument($prompts)
                $null = $ps.Invoke()
                $records = @($ps.Streams.Progress | Where-Object Activity -EQ 'Distilling skills')
            }
            finally { $ps.Dispose() }
            # How many are answered at each write depends on timing; that each write is its own record does not.
            $records.Count | Should -BeGreaterOrEqual 2
            $records[-1].StatusDescription | Should -Be 'Prompts answered 3/3'
            ($records.StatusDescription | Sort-Object -Unique).Count | Should -Be $records.Count -Because 'a record the host kept still says what it said'
            ($records | ForEach-Object { [System.Runtime.CompilerServices.RuntimeHelpers]::GetHashCode($_) } | Sort-Object -Unique).Count | Should -Be $records.Count
            ($records.ActivityId | Sort-Object -Unique).Count | Should -Be 1
        }

        It 'distills offline with no endpoint and no key' {
            # The offline distiller reads the sources a prompt was built from, so the prompt comes from a real cluster.
            $prompt = Import-MemoryExport (Join-Path $ExamplesPath 'memories.jsonl') | Find-MemoryCluster | Select-Object -First 1 | New-DistillPrompt
            $result = $prompt | Invoke-SkillDistillation -Offline
            $result.Endpoint | Should -Be 'offline'
            Test-SkillMarkdown -Content $result.Text -Quiet | Should -BeTrue
        }

        It 'rejects a -ChatClient that is not an IChatClient' {
            { New-TestPrompt | Invoke-SkillDistillation -ChatClient 'not a client' -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.InvalidClient$script:Fqid"
        }
    }
}

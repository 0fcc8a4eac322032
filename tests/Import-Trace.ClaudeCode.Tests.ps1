# Import-Trace -Format ClaudeCode (and Auto detection) through the built module.

BeforeDiscovery {
    # Same location TestSetup.ps1 uses; needed at discovery time for -Skip and -ForEach.
    $RealDataPath = Join-Path $PSScriptRoot '../../shared/real-data'
    $HasRealData = Test-Path -LiteralPath $RealDataPath

    # Independently counted per file and trace (see ClaudeCodeTraceFormatTests.cs for how).
    $RealSessions = @(
        @{ File = 'claude-code/claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl'; TraceId = '1af7fc5e-8455-4414-9ccd-011d40f70b2a'; Actions = 12; Failures = 1; Policy = 1; Prompts = 0 }
        @{ File = 'claude-code/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl'; TraceId = '5c0375b4-57a5-4f26-b12d-d022ee4e51b7'; Actions = 13; Failures = 2; Policy = 0; Prompts = 1 }
        @{ File = 'claude-code/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl'; TraceId = '5c0375b4-57a5-4f26-b12d-d022ee4e51b7/sidechain'; Actions = 8; Failures = 1; Policy = 0; Prompts = 2 }
        @{ File = 'claude-code/claude-reliability/coverage-test-fix/transcript.jsonl'; TraceId = 'c64cc478-3430-40fe-8e9c-4ee9986e9754'; Actions = 13; Failures = 1; Policy = 0; Prompts = 1 }
        @{ File = 'claude-code/claude-reliability/python-to-rust-port/transcript.jsonl'; TraceId = 'c7d3d95c-57f0-4359-8f4b-926a9bef5a3f'; Actions = 39; Failures = 0; Policy = 0; Prompts = 1 }
        @{ File = 'claude-code/claude-reliability/stop-hook-reflection-first-stop/transcript.jsonl'; TraceId = 'cb88ae13-898d-4076-aeb5-bc37191c5d2e'; Actions = 4; Failures = 0; Policy = 0; Prompts = 1 }
    )
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:ActionKinds = 'action_succeeded', 'action_failed', 'action_rejected', 'policy_violation'
    $script:FailureKinds = 'action_failed', 'action_rejected', 'policy_violation'
    $script:FixtureSource = Join-Path $RepoRoot 'tests/SkillForge.Core.Tests/Fixtures/claude-code'
}

Describe 'Import-Trace' {
    BeforeAll {
        # In the Describe, not the file's BeforeAll: older Pester 5 releases create $TestDrive per top-level block only.
        $script:Fixtures = Join-Path $TestDrive 'claude-code'
        New-Item -ItemType Directory -Path $script:Fixtures -Force | Out-Null
        Copy-Item -Path (Join-Path $script:FixtureSource '*.jsonl') -Destination $script:Fixtures
    }

    Context 'Real Claude Code sessions' {
        It 'reads <File> trace <TraceId> with the counted actions and failures' -ForEach $RealSessions -Tag RealData -Skip:(-not $HasRealData) {
            $events = @(Import-Trace -Path (Join-Path $RealDataPath $File) -Format ClaudeCode -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $events | Should -Not -BeNullOrEmpty
            $events[0] | Should -BeOfType ([SkillForge.TraceEvent])
            $trace = @($events | Where-Object TraceId -EQ $TraceId)
            @($trace | Where-Object Kind -In $ActionKinds).Count | Should -Be $Actions
            @($trace | Where-Object Kind -In $FailureKinds).Count | Should -Be $Failures
            @($trace | Where-Object Kind -EQ 'policy_violation').Count | Should -Be $Policy
            @($trace | Where-Object Kind -EQ 'user_prompt').Count | Should -Be $Prompts
            @($trace | Where-Object Kind -EQ 'user_correction').Count | Should -Be 0
        }

        It 'detects the format without -Format for <File>' -ForEach $RealSessions -Tag RealData -Skip:(-not $HasRealData) {
            $path = Join-Path $RealDataPath $File
            $auto = @(Import-Trace -Path $path)
            $explicit = @(Import-Trace -Path $path -Format ClaudeCode)

            $auto.Count | Should -Be $explicit.Count
            ($auto.Kind -join ',') | Should -Be ($explicit.Kind -join ',')
        }

        It 'splits a session with an inline sub-agent into two partitions' -Tag RealData -Skip:(-not $HasRealData) {
            $path = Join-Path $RealDataPath 'claude-code/claude-code-viewer/5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl'

            $partitions = @(Import-Trace -Path $path -Format ClaudeCode | Split-Trace)

            $partitions.Count | Should -Be 2
            $partitions[0] | Should -BeOfType ([SkillForge.TracePartition])
            $main = $partitions | Where-Object TraceId -EQ '5c0375b4-57a5-4f26-b12d-d022ee4e51b7'
            $main.SuccessCount | Should -Be 11
            $main.FailureCount | Should -Be 2
            $side = $partitions | Where-Object TraceId -EQ '5c0375b4-57a5-4f26-b12d-d022ee4e51b7/sidechain'
            $side.SuccessCount | Should -Be 7
            $side.FailureCount | Should -Be 1
        }

        It 'binds files from Get-ChildItem' -Tag RealData -Skip:(-not $HasRealData) {
            $events = @(Get-ChildItem -LiteralPath (Join-Path $RealDataPath 'claude-code/claude-reliability') -Recurse -Filter '*.jsonl' |
                Import-Trace -Format ClaudeCode)

            @($events | Where-Object Kind -In $ActionKinds).Count | Should -Be (13 + 39 + 4)
            @($events.TraceId | Sort-Object -Unique).Count | Should -Be 3
        }
    }

    Context 'Declined tool use' {
        It 'makes the declined call action_rejected and its feedback a correction of it' {
            $events = @(Import-Trace -LiteralPath (Join-Path $Fixtures 'declined-tool-use.jsonl') -Format ClaudeCode)

            ($events.Kind -join ',') | Should -Be 'user_prompt,action_rejected,user_correction,action_succeeded,user_prompt,action_rejected,user_interrupt'
            $rejected = $events | Where-Object ActionId -EQ 'toolu_edit1'
            $rejected.Tool | Should -Be 'Edit'
            $rejected.DurationMs | Should -Be 7500
            $correction = ($events | Where-Object Kind -EQ 'user_correction').Data | ConvertFrom-Json
            $correction.corrects_action_id | Should -Be 'toolu_edit1'
            $correction.text | Should -Be 'keep the tabs, only fix the trailing whitespace'
        }
    }

    Context 'Interrupts, permission denials, hook blocks' {
        It 'fails the call the interrupt stopped and marks the next prompts as corrections' {
            $events = @(Import-Trace -LiteralPath (Join-Path $Fixtures 'interrupt.jsonl') -Format ClaudeCode)

            ($events.Kind -join ',') | Should -Be 'user_prompt,assistant_note,action_failed,user_interrupt,user_correction,action_failed,user_correction'
            ($events[2].Data | ConvertFrom-Json).error | Should -Be 'no result recorded (session ended or was interrupted)'
            ($events[4].Data | ConvertFrom-Json).corrects_action_id | Should -Be 'toolu_long'
            $events.ActionId | Should -Not -Contain 'toolu_never'
        }

        It 'reports <ActionId> as <Kind>' -ForEach @(
            @{ ActionId = 'toolu_rm'; Kind = 'policy_violation' }
            @{ ActionId = 'toolu_push'; Kind = 'policy_violation' }
            @{ ActionId = 'toolu_lint'; Kind = 'action_failed' }
            @{ ActionId = 'toolu_hook2'; Kind = 'policy_violation' }
        ) {
            $events = @(Import-Trace -LiteralPath (Join-Path $Fixtures 'policy.jsonl') -Format ClaudeCode)

            ($events | Where-Object ActionId -EQ $ActionId).Kind | Should -Be $Kind
        }
    }

    Context 'Sub-agent sidechains' {
        It 'keeps the sidechain in its own trace, numbered from 0' {
            $partitions = @(Import-Trace -LiteralPath (Join-Path $Fixtures 'sidechain.jsonl') | Split-Trace)

            ($partitions.TraceId | Sort-Object) -join ',' | Should -Be 's-side,s-side/a7f3c2e1'
            $side = Import-Trace -LiteralPath (Join-Path $Fixtures 'sidechain.jsonl') | Where-Object TraceId -EQ 's-side/a7f3c2e1'
            ($side.Sequence -join ',') | Should -Be '0,1,2,3'
        }
    }

    Context 'Duplicates, split messages, injected text and bad lines' {
        It 'counts duplicated records once, joins a split message and drops injected text' {
            $events = @(Import-Trace -LiteralPath (Join-Path $Fixtures 'noise.jsonl') -Format ClaudeCode -ErrorAction SilentlyContinue)

            ($events.Kind -join ',') | Should -Be 'user_prompt,assistant_note,action_succeeded,action_succeeded,user_prompt'
            ($events[0].Data | ConvertFrom-Json).text | Should -Be 'Why does the build fail? Screenshot attached.'
            ($events[4].Data | ConvertFrom-Json).text | Should -Be '/review build.json target field'
            $events.Data -join "`n" | Should -Not -Match 'system-reminder|iVBORw0KGgo'
        }

        It 'writes a non-terminating error naming file and line, and imports the rest' {
            $path = Join-Path $Fixtures 'noise.jsonl'

            $events = @(Import-Trace -LiteralPath $path -Format ClaudeCode -ErrorVariable problems -ErrorAction SilentlyContinue)

            $events.Count | Should -Be 5
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $problems[0].ErrorDetails.Message | Should -Match 'line 14'
        }

        It 'stops at the bad line under -ErrorAction Stop' {
            { Import-Trace -LiteralPath (Join-Path $Fixtures 'noise.jsonl') -Format ClaudeCode -ErrorAction Stop } |
                Should -Throw -ErrorId 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
        }
    }

    Context 'Large lines and compressed files' {
        It 'reads a line holding an 8 MB base64 image and drops the image' {
            $image = [Convert]::ToBase64String([byte[]]::new(6MB))
            $path = Join-Path $TestDrive 'image.jsonl'
            $lines = @(
                '{"type":"user","sessionId":"s-img","uuid":"u1","timestamp":"2026-01-01T00:00:00Z","message":{"role":"user","content":[{"type":"text","text":"Here is the broken layout"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"' + $image + '"}}]}}'
                '{"type":"assistant","sessionId":"s-img","uuid":"a1","timestamp":"2026-01-01T00:00:01Z","message":{"id":"m1","role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/w/layout.css"}}]}}'
                '{"type":"user","sessionId":"s-img","uuid":"u2","timestamp":"2026-01-01T00:00:02Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"body { margin: 0 }"}]}}'
            )
            Set-Content -LiteralPath $path -Value $lines -Encoding utf8NoBOM

            $events = @(Import-Trace -LiteralPath $path)

            ($events.Kind -join ',') | Should -Be 'user_prompt,action_succeeded'
            ($events.Data | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessThan 1000
        }

        It 'reads a gzip-compressed session' {
            $source = Join-Path $Fixtures 'policy.jsonl'
            $gz = Join-Path $TestDrive 'policy.jsonl.gz'
            $in = [System.IO.File]::OpenRead($source)
            $out = [System.IO.File]::Create($gz)
            $zip = [System.IO.Compression.GZipStream]::new($out, [System.IO.Compression.CompressionMode]::Compress)
            try { $in.CopyTo($zip) } finally { $zip.Dispose(); $out.Dispose(); $in.Dispose() }

            $events = @(Import-Trace -LiteralPath $gz -Format ClaudeCode)

            @($events | Where-Object Kind -EQ 'policy_violation').Count | Should -Be 3
        }
    }

    Context 'Pipeline binding' {
        It 'binds a path by property name from a plain object' {
            $item = [pscustomobject]@{ FullName = (Join-Path $Fixtures 'declined-tool-use.jsonl') }

            $events = @($item | Import-Trace -Format ClaudeCode)

            @($events | Where-Object Kind -EQ 'action_rejected').Count | Should -Be 2
        }

        It 'reads every fixture from Get-ChildItem and keeps each trace apart' {
            $partitions = @(Get-ChildItem -LiteralPath $Fixtures -Filter '*.jsonl' | Import-Trace -Format ClaudeCode -ErrorAction SilentlyContinue | Split-Trace)

            ($partitions.TraceId | Sort-Object) -join ',' | Should -Be 's-declined,s-interrupt,s-noise,s-policy,s-side,s-side/a7f3c2e1'
        }
    }
}

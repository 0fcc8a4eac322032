# Import-Trace -Format Codex (and Auto detection) through the built module.

BeforeDiscovery {
    # Same location TestSetup.ps1 uses; needed at discovery time for -Skip and -ForEach.
    $RealDataPath = Join-Path $PSScriptRoot '../../shared/real-data'
    $HasRealData = Test-Path -LiteralPath $RealDataPath

    # Independently counted (see CodexTraceFormatTests.cs for how).
    $RealRollouts = @(
        @{ File = 'codex/codex-session-viewer-legacy/example.jsonl'; TraceId = 'cf4def41-21e0-4b91-adb4-5397c1492084'; Actions = 246; Failures = 21; Corrections = 7; Prompts = 38 }
        @{ File = 'codex/agent-history-real-sessions/session-01.jsonl'; TraceId = '019e9625-802f-7e91-840a-cfe88d14117a'; Actions = 0; Failures = 0; Corrections = 0; Prompts = 1 }
    )
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:ActionKinds = 'action_succeeded', 'action_failed', 'action_rejected', 'policy_violation'
    $script:FailureKinds = 'action_failed', 'action_rejected', 'policy_violation'
}

Describe 'Import-Trace' {
    BeforeAll {
        # In the Describe, not the file's BeforeAll: older Pester 5 releases create $TestDrive per top-level block only.
        $script:Fixtures = Join-Path $TestDrive 'codex'
        New-Item -ItemType Directory -Path $script:Fixtures -Force | Out-Null
        Copy-Item -Path (Join-Path $RepoRoot 'tests/SkillForge.Core.Tests/Fixtures/codex/*.jsonl') -Destination $script:Fixtures
    }

    Context 'Real Codex rollouts' {
        It 'reads <File> with the counted actions, failures and corrections' -ForEach $RealRollouts -Tag RealData -Skip:(-not $HasRealData) {
            $events = @(Import-Trace -Path (Join-Path $RealDataPath $File) -Format Codex -ErrorVariable problems)

            $problems | Should -BeNullOrEmpty
            $events[0] | Should -BeOfType ([SkillForge.TraceEvent])
            @($events.TraceId | Sort-Object -Unique) | Should -Be @($TraceId)
            @($events | Where-Object Kind -In $ActionKinds).Count | Should -Be $Actions
            @($events | Where-Object Kind -In $FailureKinds).Count | Should -Be $Failures
            @($events | Where-Object Kind -EQ 'user_correction').Count | Should -Be $Corrections
            @($events | Where-Object Kind -EQ 'user_prompt').Count | Should -Be $Prompts
        }

        It 'detects the format without -Format for <File>' -ForEach $RealRollouts -Tag RealData -Skip:(-not $HasRealData) {
            $path = Join-Path $RealDataPath $File
            $auto = @(Import-Trace -Path $path)
            $explicit = @(Import-Trace -Path $path -Format Codex)

            $auto.Count | Should -Be $explicit.Count
            ($auto.Kind -join ',') | Should -Be ($explicit.Kind -join ',')
        }

        It 'splits the legacy rollout into one partition with its successes and failures' -Tag RealData -Skip:(-not $HasRealData) {
            $partition = @(Import-Trace -Path (Join-Path $RealDataPath 'codex/codex-session-viewer-legacy/example.jsonl') -Format Codex | Split-Trace)

            $partition.Count | Should -Be 1
            $partition[0] | Should -BeOfType ([SkillForge.TracePartition])
            $partition[0].TraceId | Should -Be 'cf4def41-21e0-4b91-adb4-5397c1492084'
            $partition[0].SuccessCount | Should -Be 225
            $partition[0].FailureCount | Should -Be 21
        }

        It 'keeps the exit code and the shell command of a failed call' -Tag RealData -Skip:(-not $HasRealData) {
            $events = Import-Trace -Path (Join-Path $RealDataPath 'codex/codex-session-viewer-legacy/example.jsonl') -Format Codex
            $failed = $events | Where-Object { $_.Kind -eq 'action_failed' -and $_.Data -like '*"exit_code":2*' }

            @($failed).Count | Should -Be 1
            $failed.Tool | Should -Be 'shell'
            ($failed.Data | ConvertFrom-Json).input.command[0] | Should -Be 'bash'
        }
    }

    Context 'Current envelope' {
        BeforeAll {
            $script:Current = @(Import-Trace -LiteralPath (Join-Path $Fixtures 'current.jsonl') -Format Codex)
        }

        It 'pairs every call with its output and counts the duplicated records once' {
            ($Current.Kind -join ',') | Should -Be ('user_prompt,action_succeeded,action_failed,action_succeeded,policy_violation,action_rejected,' +
                'assistant_note,user_correction,action_failed,action_failed,user_interrupt,user_correction,action_succeeded')
            @($Current.TraceId | Sort-Object -Unique) | Should -Be @('0199aa10-1111-7222-8333-944455556666')
            ($Current.Sequence -join ',') | Should -Be (0..12 -join ',')
        }

        It 'reports <CallId> as <Kind>' -ForEach @(
            @{ CallId = 'call_rg'; Kind = 'action_succeeded' }
            @{ CallId = 'call_patch1'; Kind = 'action_failed' }
            @{ CallId = 'call_patch2'; Kind = 'action_succeeded' }
            @{ CallId = 'call_pip'; Kind = 'policy_violation' }
            @{ CallId = 'call_escalate'; Kind = 'action_rejected' }
            @{ CallId = 'call_venv'; Kind = 'action_failed' }
            @{ CallId = 'call_hang'; Kind = 'action_failed' }
            @{ CallId = 'call_local'; Kind = 'action_succeeded' }
        ) {
            ($Current | Where-Object ActionId -EQ $CallId).Kind | Should -Be $Kind
        }

        It 'marks the aborted turn as an interrupt and fails the call it stopped' {
            $interrupt = $Current | Where-Object Kind -EQ 'user_interrupt'
            ($interrupt.Data | ConvertFrom-Json).reason | Should -Be 'interrupted'
            $hang = $Current | Where-Object ActionId -EQ 'call_hang'
            ($hang.Data | ConvertFrom-Json).error | Should -Be 'no result recorded (session ended or was interrupted)'
            $Current.ActionId | Should -Not -Contain 'call_plan'
        }

        It 'links each correction to the call it corrects' {
            $corrections = @($Current | Where-Object Kind -EQ 'user_correction' | ForEach-Object { $_.Data | ConvertFrom-Json })
            $corrections.corrects_action_id | Should -Be @('call_escalate', 'call_hang')
        }

        It 'keeps duration, state and a failed patch''s error' {
            $rg = $Current | Where-Object ActionId -EQ 'call_rg'
            $rg.DurationMs | Should -Be 200
            ($rg.StateBefore | ConvertFrom-Json).sandbox_policy | Should -Be 'workspace-write'
            $patch = $Current | Where-Object ActionId -EQ 'call_patch1'
            ($patch.Data | ConvertFrom-Json).error | Should -BeLike 'apply_patch verification failed*'
        }
    }

    Context 'Legacy envelope and bad lines' {
        It 'reads the legacy layout and writes one non-terminating error for the bad line' {
            $events = @(Import-Trace -LiteralPath (Join-Path $Fixtures 'legacy.jsonl') -ErrorVariable problems -ErrorAction SilentlyContinue)

            ($events.Kind -join ',') | Should -Be 'user_prompt,action_failed,action_failed,assistant_note,user_correction,action_failed,action_succeeded'
            @($events.TraceId | Sort-Object -Unique) | Should -Be @('5e0b7c2a-3f1d-4d55-9a0e-1b2c3d4e5f60')
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
            $problems[0].ErrorDetails.Message | Should -Match 'line 18'
        }
    }

    Context 'Pipeline binding' {
        It 'imports every rollout from Get-ChildItem, one partition per session' {
            $partitions = @(Get-ChildItem -LiteralPath $Fixtures -Filter '*.jsonl' | Import-Trace -Format Codex -ErrorAction SilentlyContinue | Split-Trace)

            ($partitions.TraceId | Sort-Object) -join ',' | Should -Be '0199aa10-1111-7222-8333-944455556666,5e0b7c2a-3f1d-4d55-9a0e-1b2c3d4e5f60'
        }

        It 'binds a path by property name from a plain object' {
            $events = @([pscustomobject]@{ FullName = (Join-Path $Fixtures 'current.jsonl') } | Import-Trace)

            @($events | Where-Object Kind -EQ 'policy_violation').Count | Should -Be 1
        }
    }
}

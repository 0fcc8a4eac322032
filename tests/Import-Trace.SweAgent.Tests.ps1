# Import-Trace -Format SweAgent: SWE-agent .traj trajectories.
BeforeDiscovery {
    $HasRealData = Test-Path -LiteralPath (Join-Path $PSScriptRoot '../../shared/real-data/trajectories/swe-agent')
    # Counted independently: steps in "trajectory", and observations showing a traceback or a rejected edit.
    $TrajCases = @(
        @{ Name = 'pydicom__pydicom-1458'; Steps = 12; Failures = 4 }
        @{ Name = 'swe-agent__test-repo-i1'; Steps = 5; Failures = 0 }
    )
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:SweFixtures = Join-Path $PSScriptRoot 'SkillForge.Core.Tests/Fixtures/swe-agent'
    $script:SweReal = Join-Path $script:RealDataPath 'trajectories/swe-agent'
}

Describe 'Import-Trace' {
    Context 'real SWE-agent trajectories' -Tag RealData -Skip:(-not $HasRealData) {
        It '<Name> gives <Steps> actions, <Failures> failed, and a rewarded episode end' -ForEach $TrajCases {
            $events = @(Import-Trace -LiteralPath (Join-Path $SweReal "$Name.traj") -ErrorAction Stop)
            $events.Count | Should -Be ($Steps + 1)
            @($events | Where-Object Kind -EQ 'action_failed').Count | Should -Be $Failures
            @($events | Where-Object Kind -EQ 'action_succeeded').Count | Should -Be ($Steps - $Failures)
            $events[-1].Kind | Should -Be 'episode_end'
            $events[-1].Reward | Should -Be 1
            ($events[-1].Data | ConvertFrom-Json).exit_status | Should -Be 'submitted'
            $events | ForEach-Object { $_.TraceId | Should -BeExactly $Name }
        }

        It 'names each action by the first word of its command' {
            $events = @(Import-Trace -LiteralPath (Join-Path $SweReal 'pydicom__pydicom-1458.traj') -Format SweAgent)
            $events[0..11].Tool | Should -Be @('create', 'edit', 'python', 'find_file', 'open', 'edit', 'edit', 'edit', 'edit', 'python', 'rm', 'submit')
        }

        It 'binds from Get-ChildItem' {
            $events = @(Get-ChildItem -LiteralPath $SweReal -Filter '*.traj' | Import-Trace)
            @($events | Where-Object Kind -EQ 'episode_end').Count | Should -Be 2
        }

        It 'splits into one partition per trajectory' {
            $partitions = @(Get-ChildItem -LiteralPath $SweReal -Filter '*.traj' | Import-Trace | Split-Trace)
            $partitions.Count | Should -Be 2
            ($partitions | Where-Object TraceId -EQ 'pydicom__pydicom-1458').Failures.Count | Should -Be 4
        }
    }

    Context 'a hand-made trajectory that hit the cost limit' {
        BeforeAll {
            $script:Traj = Join-Path $SweFixtures 'cost-limit.traj'
            $script:TrajEvents = @(Import-Trace -LiteralPath $Traj -ErrorVariable trajErrors -ErrorAction SilentlyContinue)
            $script:TrajErrors = @($trajErrors)
        }

        It 'marks command-not-found and rejected edits as failures' {
            $TrajEvents.Kind | Should -Be @('action_succeeded', 'action_failed', 'action_failed', 'action_succeeded', 'action_succeeded', 'episode_end')
            $TrajEvents[1].Tool | Should -Be 'pytest'
        }

        It 'reads execution_time as milliseconds' {
            $TrajEvents[0].DurationMs | Should -Be 250
            $TrajEvents[1].DurationMs | Should -Be 1500
        }

        It 'gives reward 0 when the episode was not submitted' {
            $TrajEvents[-1].Reward | Should -Be 0
            ($TrajEvents[-1].Data | ConvertFrom-Json).exit_status | Should -Be 'exit_cost'
        }

        It 'reports the step without an action by its number' {
            $TrajErrors.Count | Should -Be 1
            $TrajErrors[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
            $TrajErrors[0].Exception.Message | Should -BeLike 'Step 3 *cost-limit.traj*'
        }
    }

    Context 'mini-swe-agent files' {
        It 'are recognised and reported as not supported' {
            $file = Join-Path $TestDrive 'run.traj.json'
            Set-Content -LiteralPath $file -Value '{"info": {"exit_status": "Submitted"}, "messages": [], "trajectory_format": "mini-swe-agent-1"}' -Encoding utf8
            $events = @(Import-Trace -LiteralPath $file -ErrorVariable errs -ErrorAction SilentlyContinue)
            $events.Count | Should -Be 0
            $errs[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
            $errs[0].Exception.Message | Should -BeLike '*mini-swe-agent*'
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:ExampleTrace = Join-Path $script:ExamplesPath 'trace.jsonl'
}

Describe 'Split-Trace' {
    Context 'events from Import-Trace' {
        BeforeAll {
            $script:events = @(Import-Trace -Path $script:ExampleTrace)
            $script:partitions = @($script:events | Split-Trace)
        }

        It 'writes one TracePartition per trace, in order of first appearance' {
            $script:partitions.Count | Should -Be (@($script:events.TraceId | Select-Object -Unique).Count)
            $script:partitions[0] | Should -BeOfType ([SkillForge.TracePartition])
            $script:partitions.TraceId | Should -Be @($script:events.TraceId | Select-Object -Unique)
        }

        It 'separates successes, failures and skipped events' {
            foreach ($p in $script:partitions) {
                $p.Successes.Kind | Sort-Object -Unique | Should -Be 'action_succeeded'
                $p.Failures.Kind | ForEach-Object { $_ | Should -BeIn @('action_failed', 'action_rejected', 'policy_violation') }
                $mine = @($script:events | Where-Object TraceId -EQ $p.TraceId)
                ($p.SuccessCount + $p.FailureCount + $p.SkippedCount) | Should -Be $mine.Count
            }
        }

        It 'keeps context events in trace order' {
            foreach ($p in $script:partitions) {
                $p.Context.Kind | ForEach-Object { $_ | Should -BeIn @('user_prompt', 'user_correction', 'user_interrupt', 'episode_end') }
                $p.Context.Sequence | Should -Be ($p.Context.Sequence | Sort-Object)
            }
            ($script:partitions.Context.Kind -contains 'user_correction') | Should -BeTrue
        }

        It 'accepts an array through -InputObject' {
            @(Split-Trace -InputObject $script:events).Count | Should -Be $script:partitions.Count
        }
    }

    Context '-Outcome' {
        It 'writes the <Outcome> events themselves' -ForEach @(
            @{ Outcome = 'Success'; Kinds = @('action_succeeded') }
            @{ Outcome = 'Failure'; Kinds = @('action_failed', 'action_rejected', 'policy_violation') }
        ) {
            $out = @(Import-Trace -Path $script:ExampleTrace | Split-Trace -Outcome $Outcome)
            $out.Count | Should -BeGreaterThan 0
            $out | ForEach-Object {
                $_ | Should -BeOfType ([SkillForge.TraceEvent])
                $_.Kind | Should -BeIn $Kinds
            }
        }
    }

    Context 'memories' {
        It 'refuses a MemoryDoc instead of making it an unnamed trace' {
            $docs = Import-MemoryExport (Join-Path $ExamplesPath 'memories.jsonl') | Select-Object -First 3
            $partitions = @($docs | Split-Trace -ErrorVariable err -ErrorAction SilentlyContinue)
            $partitions.Count | Should -Be 0
            $err.Count | Should -Be 3
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.SplitTraceCommand'
            $err[0].Exception.Message | Should -BeLike '*SkillForge.MemoryDoc*Find-MemoryCluster*'
        }
    }

    Context 'other objects' {
        It 'splits objects from ConvertFrom-Json' {
            $partitions = @(Get-Content -LiteralPath $script:ExampleTrace | ConvertFrom-Json | Split-Trace)
            $partitions.Count | Should -Be 3
            $first = $partitions[0].Successes[0]
            { $first.Data | ConvertFrom-Json } | Should -Not -Throw
        }

        It 'converts tolerant names and object data to JSON text' {
            $p = [pscustomobject]@{ TraceId = 'demo'; Kind = 'Action_Failed'; actionId = 'a1'; Tool = 'shell'; data = [ordered]@{ command = 'make'; exit = 2 }; DurationMs = '12.5' } |
                Split-Trace
            $p.TraceId | Should -Be 'demo'
            $p.Failures[0].Kind | Should -Be 'action_failed'
            $p.Failures[0].ActionId | Should -Be 'a1'
            $p.Failures[0].DurationMs | Should -Be 12.5
            ($p.Failures[0].Data | ConvertFrom-Json).command | Should -Be 'make'
        }

        It 'numbers objects without a sequence in arrival order, so a correction follows its failure' {
            $p = @(
                [pscustomobject]@{ trace_id = 'seq'; kind = 'action_failed'; action_id = 'a1'; data = @{ error = 'err-alpha' } }
                [pscustomobject]@{ trace_id = 'seq'; kind = 'user_correction'; data = @{ text = 'do it differently' } }
                [pscustomobject]@{ trace_id = 'seq'; kind = 'action_failed'; action_id = 'a2'; data = @{ error = 'err-omega' } }
            ) | Split-Trace
            $p.Failures.Sequence | Should -Be @(0, 2)
            $p.Context[0].Sequence | Should -Be 1
            $text = ($p | New-DistillPrompt).Text
            $text.IndexOf('err-alpha') | Should -BeLessThan $text.IndexOf('do it differently')
            $text.IndexOf('do it differently') | Should -BeLessThan $text.IndexOf('err-omega')
        }

        It 'accepts hashtables' {
            $p = @{ kind = 'action_succeeded'; action_id = 'h1' } | Split-Trace
            $p.TraceId | Should -Be 'unnamed'
            $p.Successes[0].ActionId | Should -Be 'h1'
        }

        It 'reports objects without a kind and splits the rest' {
            $p = @(
                [pscustomobject]@{ trace_id = 't'; kind = 'action_succeeded'; action_id = 'a1' }
                [pscustomobject]@{ trace_id = 't'; action_id = 'nokind' }
                [pscustomobject]@{ trace_id = 't'; kind = 'action_failed'; action_id = 'a3' }
            ) | Split-Trace -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.SplitTraceCommand'
            $err[0].TargetObject.action_id | Should -Be 'nokind'
            $p.SuccessCount | Should -Be 1
            $p.FailureCount | Should -Be 1
        }
    }

    Context 'help' {
        It 'has a synopsis and examples' {
            $help = Get-Help Split-Trace -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }
    }
}

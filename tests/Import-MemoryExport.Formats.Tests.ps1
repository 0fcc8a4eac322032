# Import-MemoryExport -Format Letta|Mem0|SkillRL|Reflexion: memory exports of other agent systems.
BeforeDiscovery {
    $realData = Join-Path $PSScriptRoot '../../shared/real-data'
    $HasRealData = Test-Path -LiteralPath (Join-Path $realData 'memory')
    # Counted independently: memory blocks with a non-blank value per agent file.
    $LettaCases = @(
        @{ File = 'current/customer_service.af'; ExpectedCount = 2; Agent = 'customer_service' }
        @{ File = 'current/deep_research_agent.af'; ExpectedCount = 2; Agent = 'deep-thought-research-agent' }
        @{ File = 'current/memgpt_agent_with_convo.af'; ExpectedCount = 2; Agent = 'memgpt_agent' }
        @{ File = 'legacy-v0.6/memgpt_agent_with_convo.af'; ExpectedCount = 2; Agent = 'memgpt_agent_with_convo' }
    )
    $AutoCases = @(
        @{ File = 'memory/letta/current/customer_service.af'; ExpectedCount = 2 }
        @{ File = 'memory/mem0/mem0_results.json'; ExpectedCount = 10 }
        @{ File = 'trajectories/skillrl/alfworld/generated_memories_alfworld_total.json'; ExpectedCount = 694 }
        @{ File = 'trajectories/skillrl/alfworld/claude_style_skills.json'; ExpectedCount = 55 }
        @{ File = 'trajectories/reflexion/alfworld/env_results_trial_14.json'; ExpectedCount = 200 }
    )
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:Fixtures = Join-Path $PSScriptRoot 'SkillForge.Core.Tests/Fixtures'
    $script:InvalidRecord = 'SkillForge.Import.InvalidRecord,SkillForge.Commands.ImportMemoryExportCommand'
}

Describe 'Import-MemoryExport' {
    Context 'Letta agent files' -Tag RealData -Skip:(-not $HasRealData) {
        It '<File> gives <ExpectedCount> blocks scoped to <Agent>' -ForEach $LettaCases {
            $docs = @(Import-MemoryExport -LiteralPath (Join-Path $RealDataPath "memory/letta/$File") -Format Letta -ErrorAction Stop)
            $docs.Count | Should -Be $ExpectedCount
            $docs | ForEach-Object {
                $_ | Should -BeOfType SkillForge.MemoryDoc
                $_.Scope | Should -BeLike "$Agent/*"
                $_.Tier | Should -Be 'Core'
                $_.Kind | Should -Be 'block'
            }
            ($docs.Tags | Where-Object { $_ -in 'human', 'persona' } | Sort-Object) | Should -Be @('human', 'persona')
        }
    }

    Context 'format recognition' -Tag RealData -Skip:(-not $HasRealData) {
        It 'reads <File> without -Format (<ExpectedCount> docs)' -ForEach $AutoCases {
            $docs = @(Import-MemoryExport -Path (Join-Path $RealDataPath $File) -ErrorAction Stop)
            $docs.Count | Should -Be $ExpectedCount
        }
    }

    Context 'hand-made Letta files' {
        It 'reads a double-encoded file and skips the placeholder block' {
            $docs = @(Import-MemoryExport -LiteralPath (Join-Path $Fixtures 'letta/double-encoded.af') -ErrorAction Stop)
            $docs.Id | Should -Be @('block-0', 'block-1', 'block-3')
            $docs[0].Scope | Should -Be 'helpdesk/persona'
            $docs[0].Tags | Should -Be @('persona', 'support', 'tier-1')
            $docs[1].Kind | Should -Be 'lesson'
            $docs[2].Scope | Should -Be 'shared_policies'
        }

        It 'reads a legacy file, skipping placeholders and reporting bad blocks' {
            $docs = @(Import-MemoryExport -LiteralPath (Join-Path $Fixtures 'letta/legacy-placeholders.af') -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Id | Should -Be @('coach/core_memory/0', 'coach/core_memory/4')
            $errs.Count | Should -Be 2
            $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be $InvalidRecord }
            $errs[0].Exception.Message | Should -BeLike '*block 6*legacy-placeholders.af*'
        }

        It 'binds from Get-ChildItem' {
            $docs = @(Get-ChildItem -LiteralPath (Join-Path $Fixtures 'letta') -Filter '*.af' | Import-MemoryExport -ErrorAction SilentlyContinue)
            $docs.Count | Should -Be 5
        }
    }

    Context 'mem0 dumps' {
        It 'maps user/agent/run/app scopes, categories and metadata.type' {
            $docs = @(Import-MemoryExport -LiteralPath (Join-Path $Fixtures 'mem0/categories.json') -Format Mem0 -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Count | Should -Be 4
            $docs.Scope | Should -Be @('user:alice', 'agent:travel-bot', 'run:session-7', 'app:planner')
            $docs[0].Tags | Should -Be @('travel', 'preferences', 'preference')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be $InvalidRecord
        }

        It 'stops at the first bad item with -ErrorAction Stop' {
            { Import-MemoryExport -LiteralPath (Join-Path $Fixtures 'mem0/categories.json') -ErrorAction Stop } |
                Should -Throw -ErrorId $InvalidRecord
        }

        It 'splits LOCOMO strings into fact and date, once per distinct memory' -Tag RealData -Skip:(-not $HasRealData) {
            $docs = @(Import-MemoryExport -LiteralPath (Join-Path $RealDataPath 'memory/mem0/mem0_results.json') -Format Mem0)
            $docs.Count | Should -Be 10
            $docs[0].Text | Should -Be 'Went to an LGBTQ support group yesterday'
            $docs[0].Scope | Should -Be 'conv_0'
            $docs[0].AccessCount | Should -Be 2
            $docs[0].CreatedAt.UtcDateTime | Should -Be ([datetime]::new(2023, 5, 8, 13, 56, 0, [DateTimeKind]::Utc))
        }
    }

    Context 'SkillRL memories' {
        It 'turns memories into lessons and mistakes into anti-patterns' {
            $docs = @(Import-MemoryExport -LiteralPath (Join-Path $Fixtures 'skillrl/small-memories.json') -Format SkillRL -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Kind | Should -Be @('lesson', 'lesson', 'anti_pattern')
            $docs[2].Text | Should -Be 'When the object is already in hand, avoid: Search the room again.'
            $docs[0].Tags | Should -Be @('success', 'pick_and_place', 'skillrl')
            $errs.Count | Should -Be 3
        }

        It 'counts lessons and anti-patterns in the real file' -Tag RealData -Skip:(-not $HasRealData) {
            $docs = Import-MemoryExport -LiteralPath (Join-Path $RealDataPath 'trajectories/skillrl/alfworld/generated_memories_alfworld_total.json')
            ($docs | Group-Object Kind -AsHashTable -AsString)['lesson'].Count | Should -Be 223
            @($docs | Where-Object Kind -EQ 'anti_pattern').Count | Should -Be 471
        }
    }

    Context 'Reflexion logs' {
        It 'gives one doc per reflection with deterministic ids' {
            $path = Join-Path $Fixtures 'reflexion/two-envs.json'
            $first = @(Import-MemoryExport -LiteralPath $path -ErrorAction SilentlyContinue)
            $again = @(Import-MemoryExport -LiteralPath $path -ErrorAction SilentlyContinue)
            $first.Id | Should -Be @('env_0/reflection-0', 'env_1/reflection-0', 'env_1/reflection-3')
            $again.Id | Should -Be $first.Id
            $first[1].Tags | Should -Be @('failure', 'reflexion')
            $first | ForEach-Object { $_.Kind | Should -Be 'reflection' }
        }

        It 'feeds Find-MemoryCluster: reflections are Core docs' {
            $docs = @(Import-MemoryExport -LiteralPath (Join-Path $Fixtures 'reflexion/two-envs.json') -ErrorAction SilentlyContinue)
            $docs | ForEach-Object { $_.Tier | Should -Be 'Core' }
        }
    }

    Context 'bad input' {
        It 'reports a truncated file as invalid JSON' {
            $file = Join-Path $TestDrive 'env_results_trial_1.json'
            Set-Content -LiteralPath $file -Value '[{"name": "env_0", "memory": ["a"], "is_success": true}, {"name":' -Encoding utf8
            $docs = @(Import-MemoryExport -LiteralPath $file -Format Reflexion -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Count | Should -Be 0
            $errs[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Import.InvalidJson,SkillForge.Commands.ImportMemoryExportCommand'
            $errs[0].Exception.Message | Should -BeLike "*env_results_trial_1.json*"
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    $script:Cmd = 'SkillForge.Commands.FindMemoryClusterCommand'
    $script:Base = 'restart the billing worker after the nightly import finishes on staging'
    $script:Texts = @{
        a  = $script:Base
        b  = 'restart the billing worker after the nightly import finishes on staging again'
        c  = 'always restart the billing worker after the nightly import finishes on staging'
        d  = 'restart the billing worker after nightly import finishes on staging'
        u1 = 'the search team prefers squash merges and pytest checks on every pull request'
        u2 = 'backups of postgres in eu-west-1 are kept for thirty days'
    }
    $script:Access = @{ a = 10; b = 5; c = 4; d = 3; u1 = 50; u2 = 1 }

    function New-Doc {
        param(
            [string] $Id,
            [string] $Text,
            [long] $AccessCount = 0,
            [string] $Tier = 'Core',
            [string] $Scope = 's',
            [string[]] $Tags = @(),
            [float[]] $Embedding = $null
        )
        $doc = [SkillForge.MemoryDoc]::new()
        $doc.Id = $Id
        $doc.Text = $Text
        $doc.AccessCount = $AccessCount
        $doc.Tier = $Tier
        $doc.Scope = $Scope
        $doc.Tags = $Tags
        if ($null -ne $Embedding) { $doc.Embedding = $Embedding }
        $doc
    }

    function New-Family {
        param([string] $Scope = 's', [string] $Suffix = '')
        foreach ($id in 'a', 'b', 'c', 'd', 'u1', 'u2') {
            New-Doc -Id ($id + $Suffix) -Text $script:Texts[$id] -AccessCount $script:Access[$id] -Scope $Scope
        }
    }
}

Describe 'Find-MemoryCluster' {
    Context 'Clustering MemoryDoc objects from the pipeline' {
        BeforeAll {
            $script:result = @(New-Family | Find-MemoryCluster)
        }

        It 'returns one MemoryCluster around the most-accessed near-duplicate' {
            $result.Count | Should -Be 1
            $result[0] | Should -BeOfType ([SkillForge.MemoryCluster])
            $result[0].SourceId | Should -Be 'a'
            $result[0].Documents[0].Id | Should -Be 'a'
            $result[0].Size | Should -Be 4
            @($result[0].DocumentIds | Sort-Object) | Should -Be @('a', 'b', 'c', 'd')
        }

        It 'reports the method actually used, the threshold and the similarities' {
            $result[0].Method | Should -Be ([SkillForge.SimilarityMethod]::Lexical)
            $result[0].Threshold | Should -Be 0.6
            $result[0].Similarities[0] | Should -Be 1
            $result[0].MinSimilarity | Should -BeGreaterOrEqual 0.6
            $result[0].MeanSimilarity | Should -BeGreaterOrEqual $result[0].MinSimilarity
            $result[0].Fingerprint | Should -Match '^[0-9a-f]{64}$'
        }

        It 'gives the same fingerprint whatever the input order' {
            $reversed = @(New-Family)
            [array]::Reverse($reversed)
            ($reversed | Find-MemoryCluster).Fingerprint | Should -Be $result[0].Fingerprint
        }

        It 'takes an array given to -InputObject item by item' {
            $byParameter = @(Find-MemoryCluster -InputObject @(New-Family))
            $byParameter.Count | Should -Be 1
            $byParameter[0].Fingerprint | Should -Be $result[0].Fingerprint
        }
    }

    Context 'Binding objects by property name (<Name>)' -ForEach @(
        @{ Name = 'snake_case pscustomobject'; Make = { param($id, $text, $n) [pscustomobject]@{ id = $id; text = $text; access_count = $n; tier = 'Core'; scope = 's' } } }
        @{ Name = 'camelCase pscustomobject'; Make = { param($id, $text, $n) [pscustomobject]@{ id = $id; text = $text; accessCount = $n } } }
        @{ Name = 'PascalCase hashtable'; Make = { param($id, $text, $n) @{ Id = $id; Text = $text; AccessCount = $n; Scope = 's' } } }
    ) {
        It 'clusters the objects like MemoryDocs (missing Tier counts as Core)' {
            $objects = foreach ($id in 'a', 'b', 'c', 'd', 'u1', 'u2') { & $Make $id $script:Texts[$id] $script:Access[$id] }
            $clusters = @($objects | Find-MemoryCluster)
            $clusters.Count | Should -Be 1
            $clusters[0].SourceId | Should -Be 'a'
            $clusters[0].Size | Should -Be 4
        }
    }

    Context 'Input from ConvertFrom-Json and Import-Csv files' {
        BeforeAll {
            $rows = foreach ($id in 'a', 'b', 'c', 'd', 'u1', 'u2') {
                [pscustomobject]@{ id = $id; text = $script:Texts[$id]; tier = 'Core'; scope = 's'; tags = @('runbook'); access_count = $script:Access[$id] }
            }
            $script:jsonPath = Join-Path $TestDrive 'docs.json'
            $rows | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $jsonPath -Encoding utf8
            $script:csvPath = Join-Path $TestDrive 'docs.csv'
            $rows | Select-Object id, text, tier, scope, @{ n = 'tags'; e = { 'runbook,ops' } }, access_count |
                Export-Csv -LiteralPath $csvPath -NoTypeInformation -Encoding utf8
        }

        It 'clusters Get-Content | ConvertFrom-Json output' {
            $clusters = @(Get-Content -LiteralPath $jsonPath -Raw | ConvertFrom-Json | Find-MemoryCluster)
            $clusters.Count | Should -Be 1
            $clusters[0].SourceId | Should -Be 'a'
        }

        It 'clusters Import-Csv output (numbers and tags read from strings)' {
            $clusters = @(Import-Csv -LiteralPath $csvPath | Find-MemoryCluster)
            $clusters.Count | Should -Be 1
            $clusters[0].SourceId | Should -Be 'a'
            $clusters[0].Documents[0].Tags | Should -Be @('runbook', 'ops')
        }
    }

    Context 'Objects without an Id or a Text' {
        It 'reports each one as a non-terminating error and clusters the rest' {
            $objects = @(New-Family) + @([pscustomobject]@{ Text = 'no id here' }, [pscustomobject]@{ Id = 'no-text' })
            $clusters = @($objects | Find-MemoryCluster -ErrorVariable errs -ErrorAction SilentlyContinue)
            $clusters.Count | Should -Be 1
            $errs.Count | Should -Be 2
            $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "SkillForge.Cluster.InvalidInput,$Cmd" }
            $errs[0].TargetObject.Text | Should -Be 'no id here'
        }

        It 'stops the pipeline with -ErrorAction Stop' {
            { [pscustomobject]@{ Text = 'x' } | Find-MemoryCluster -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Cluster.InvalidInput,$Cmd"
        }
    }

    Context '-Id returns the cluster around one doc' {
        It 'returns the doc as the source with its neighbours' {
            $cluster = New-Family | Find-MemoryCluster -Id d
            $cluster.SourceId | Should -Be 'd'
            $cluster.Documents[0].Id | Should -Be 'd'
            @($cluster.DocumentIds | Sort-Object) | Should -Be @('a', 'b', 'c', 'd')
        }

        It 'returns nothing when the doc has fewer than -MinSize docs around it' {
            New-Family | Find-MemoryCluster -Id u1 | Should -BeNullOrEmpty
            New-Family | Find-MemoryCluster -Id d -MinSize 5 | Should -BeNullOrEmpty
        }

        It 'says why with -Verbose' {
            $verbose = New-Family | Find-MemoryCluster -Id u1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($verbose.Message -join "`n") | Should -Match "u1"
        }

        It 'reports an unknown id as <ErrorId>' -ForEach @(@{ ErrorId = 'SkillForge.Cluster.DocNotFound' }) {
            $out = New-Family | Find-MemoryCluster -Id missing -ErrorVariable errs -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$Cmd"
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -Be 'missing'
        }

        It 'cannot be combined with -Exact' {
            { New-Family | Find-MemoryCluster -Id a -Exact } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
        }
    }

    Context 'Thresholds and sizes' {
        It 'rejects -SimilarityThreshold <Value>' -ForEach @(@{ Value = 1.5 }, @{ Value = -0.1 }) {
            { New-Family | Find-MemoryCluster -SimilarityThreshold $Value } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }

        It 'rejects -MinSize <Value>' -ForEach @(@{ Value = 1 }, @{ Value = 0 }) {
            { New-Family | Find-MemoryCluster -MinSize $Value } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }

        It 'counts the source doc in -MinSize' {
            @(New-Family | Find-MemoryCluster -MinSize 4).Count | Should -Be 1
            @(New-Family | Find-MemoryCluster -MinSize 5).Count | Should -Be 0
        }

        It 'keeps only members at or above a stricter threshold' {
            $cluster = New-Family | Find-MemoryCluster -SimilarityThreshold 0.85 -MinSize 2
            $cluster.Threshold | Should -Be 0.85
            $cluster.Similarities | ForEach-Object { $_ | Should -BeGreaterOrEqual 0.85 }
        }

        It 'gives the same clusters with -Exact' {
            $fast = New-Family | Find-MemoryCluster
            $exact = New-Family | Find-MemoryCluster -Exact
            $exact.Fingerprint | Should -Be $fast.Fingerprint
        }
    }

    Context 'Eligibility' {
        It 'clusters only Core docs unless -Tier says otherwise (case-insensitive)' {
            $docs = New-Family
            foreach ($d in $docs) { $d.Tier = 'archive' }
            $docs | Find-MemoryCluster | Should -BeNullOrEmpty
            @($docs | Find-MemoryCluster -Tier Archive).Count | Should -Be 1
        }

        It 'clusters each scope separately, and -Scope picks one' {
            $docs = @(New-Family -Scope alpha) + @(New-Family -Scope beta -Suffix '-b')
            $all = @($docs | Find-MemoryCluster)
            $all.Scope | Should -Be @('alpha', 'beta')
            $beta = @($docs | Find-MemoryCluster -Scope beta)
            $beta.Count | Should -Be 1
            $beta[0].SourceId | Should -Be 'a-b'
        }

        It 'leaves out docs tagged crystallized unless -IncludeCrystallized' {
            $docs = New-Family
            $docs[1].Tags = @('Crystallized')
            $docs[2].Tags = @('crystallized')
            $docs | Find-MemoryCluster | Should -BeNullOrEmpty
            (@($docs | Find-MemoryCluster -IncludeCrystallized))[0].Size | Should -Be 4
        }

        It 'leaves out docs a ledger lists (-SkillsPath and -Ledger)' {
            $skills = Join-Path $TestDrive 'skills'
            New-Item -ItemType Directory -Path (Join-Path $skills '.skillforge') -Force | Out-Null
            $ledger = Join-Path $skills '.skillforge/ledger.json'
            @{
                version = 1
                entries = @(@{ fingerprint = ('0' * 64); docIds = @('b', 'c'); skillPath = 'restart-billing/SKILL.md'; model = 'offline'; date = '2026-01-01T00:00:00Z' })
            } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ledger -Encoding utf8

            New-Family | Find-MemoryCluster -SkillsPath $skills | Should -BeNullOrEmpty
            New-Family | Find-MemoryCluster -Ledger $ledger | Should -BeNullOrEmpty
            @(New-Family | Find-MemoryCluster -Ledger $ledger -MinSize 2)[0].DocumentIds | Should -Be @('a', 'd')
            @(New-Family | Find-MemoryCluster -SkillsPath $skills -IncludeCrystallized)[0].Size | Should -Be 4
        }

        It 'treats a skills folder without a ledger as an empty ledger' {
            $empty = Join-Path $TestDrive 'no-ledger'
            New-Item -ItemType Directory -Path $empty -Force | Out-Null
            @(New-Family | Find-MemoryCluster -SkillsPath $empty).Count | Should -Be 1
        }

        It 'stops with <ErrorId> for <Case>' -ForEach @(
            @{ Case = 'a missing skills folder'; Splat = @{ SkillsPath = 'TestDrive:/nowhere' }; ErrorId = 'SkillForge.Io.FileNotFound' }
            @{ Case = 'a missing ledger file'; Splat = @{ Ledger = 'TestDrive:/nowhere.json' }; ErrorId = 'SkillForge.Io.FileNotFound' }
        ) {
            { New-Family | Find-MemoryCluster @Splat } | Should -Throw -ErrorId "$ErrorId,$Cmd"
        }

        It 'stops with SkillForge.Ledger.Invalid for a corrupt ledger' {
            $bad = Join-Path $TestDrive 'bad-ledger.json'
            Set-Content -LiteralPath $bad -Value '{ this is not json' -Encoding utf8
            { New-Family | Find-MemoryCluster -Ledger $bad } | Should -Throw -ErrorId "SkillForge.Ledger.Invalid,$Cmd"
        }
    }

    Context 'Embedding similarity' {
        BeforeAll {
            function New-EmbeddedDocs {
                New-Doc -Id e1 -Text 'one' -AccessCount 9 -Embedding @(1, 0, 0)
                New-Doc -Id e2 -Text 'two' -AccessCount 1 -Embedding @(0.95, 0.2, 0)
                New-Doc -Id e3 -Text 'three' -AccessCount 1 -Embedding @(2, 0.1, 0.1)
                New-Doc -Id e4 -Text 'four' -AccessCount 1 -Embedding @(0, 1, 0)
            }
        }

        It 'is chosen by Auto when every doc has an embedding of the same length' {
            $cluster = New-EmbeddedDocs | Find-MemoryCluster
            $cluster.Method | Should -Be ([SkillForge.SimilarityMethod]::Embedding)
            $cluster.Threshold | Should -Be 0.85
            $cluster.DocumentIds | Should -Be @('e1', 'e3', 'e2')
        }

        It 'reads embeddings from ConvertFrom-Json arrays' {
            $json = '[{"id":"e1","text":"x","access_count":9,"embedding":[1,0,0]},{"id":"e2","text":"y","embedding":[0.95,0.2,0]},{"id":"e3","text":"z","embedding":[2,0.1,0.1]}]'
            $cluster = $json | ConvertFrom-Json | Find-MemoryCluster
            $cluster.Method | Should -Be ([SkillForge.SimilarityMethod]::Embedding)
            $cluster.Size | Should -Be 3
        }

        It 'embeds the docs that have none when forced, and refuses to mix them with an export''s own' {
            $docs = @(New-Family)
            (@($docs | Find-MemoryCluster -Similarity Embedding -NoCache))[0].Method | Should -Be ([SkillForge.SimilarityMethod]::Embedding)
            $docs[0].Embedding = [float[]]@(1, 0)
            { $docs | Find-MemoryCluster -Similarity Embedding -NoCache } |
                Should -Throw -ErrorId "SkillForge.Cluster.NoEmbeddings,$Cmd"
        }

        It 'falls back to Lexical under Auto when some doc has no embedding' {
            $docs = @(New-Family)
            $docs[0].Embedding = [float[]]@(1, 0)
            (@($docs | Find-MemoryCluster))[0].Method | Should -Be ([SkillForge.SimilarityMethod]::Lexical)
        }
    }

    Context 'Import-MemoryExport output' {
        It 'clusters an imported JSONL export' {
            $path = Join-Path $TestDrive 'export.jsonl'
            $lines = foreach ($id in 'a', 'b', 'c', 'd', 'u1', 'u2') {
                [pscustomobject]@{ id = $id; text = $script:Texts[$id]; tier = 'Core'; scope = 's'; access_count = $script:Access[$id] } | ConvertTo-Json -Compress
            }
            Set-Content -LiteralPath $path -Value $lines -Encoding utf8
            $clusters = @(Import-MemoryExport -LiteralPath $path | Find-MemoryCluster)
            $clusters.Count | Should -Be 1
            $clusters[0].SourceId | Should -Be 'a'
        }
    }

    Context 'Help' {
        BeforeAll { $script:help = Get-Help Find-MemoryCluster -Full }

        It 'has a synopsis and examples' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }

        It 'describes -<Name>' -ForEach @(
            'InputObject', 'Id', 'SimilarityThreshold', 'MinSize', 'Similarity', 'Exact', 'Tier', 'Scope', 'IncludeCrystallized', 'SkillsPath', 'Ledger'
        ).ForEach({ @{ Name = $_ } }) {
            $parameter = $help.Parameters.Parameter | Where-Object Name -EQ $Name
            $parameter | Should -Not -BeNullOrEmpty
            ($parameter.Description.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Tab completion' {
        BeforeAll {
            function Get-Completion([string] $Line) {
                Push-Location $ExamplesPath
                try { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText) }
                finally { Pop-Location }
            }
        }

        It 'completes -Scope from the export Import-MemoryExport reads earlier in the pipeline' {
            Get-Completion 'Import-MemoryExport ./memories.jsonl | Find-MemoryCluster -Scope project:b' | Should -Be @('project:billing-api')
            Get-Completion 'Import-MemoryExport -Path ./memories.jsonl | Find-MemoryCluster -Scope ' | Should -Contain 'user:dana'
        }

        It 'completes -Id and -Tier from that export' {
            Get-Completion 'Import-MemoryExport ./memories.jsonl | Find-MemoryCluster -Id mem-bill-00' | Should -Contain 'mem-bill-006'
            Get-Completion 'Import-MemoryExport ./memories.jsonl | Find-MemoryCluster -Tier ' | Should -Contain 'Core'
        }

        It 'offers no file names where no export is known' {
            $names = Get-Completion 'Find-MemoryCluster -Scope '
            $names | Should -Not -Contain './memories.jsonl'
            $names | Should -Not -BeLike '*.jsonl'
        }
    }
}

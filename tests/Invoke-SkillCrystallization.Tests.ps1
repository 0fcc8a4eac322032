BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1

    $script:Fqid = ',SkillForge.Commands.InvokeSkillCrystallizationCommand'

    # Nothing from the machine or an earlier test decides what is configured.
    $script:SavedEnv = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    Set-SkillForgeContext -Clear

    # Three groups of near-duplicate Core memories (10 docs) and three docs that cluster with nothing.
    $script:Records = @(
        @{ id = 'm-101'; text = 'Run the database migrations before deploying the API service. Apply them to staging first with dotnet ef database update.'; access_count = 30 }
        @{ id = 'm-102'; text = 'Run the database migrations before deploying the API service. Apply them to staging first using dotnet ef database update.'; access_count = 12 }
        @{ id = 'm-103'; text = 'Always run the database migrations before deploying the API service. Apply them to staging first with dotnet ef database update.'; access_count = 4 }
        @{ id = 'm-104'; text = 'Run the database migrations before deploying the API service! Apply them to staging first with dotnet ef database update.'; access_count = 2 }
        @{ id = 'm-201'; text = 'When the payment webhook returns 409, fetch the order again and retry the capture once. Never retry more than once: the provider charges twice.'; access_count = 25 }
        @{ id = 'm-202'; text = 'When the payment webhook returns 409, fetch the order again and retry the capture once. Do not retry more than once: the provider charges twice.'; access_count = 9 }
        @{ id = 'm-203'; text = 'If the payment webhook returns 409, fetch the order again and retry the capture once. Never retry more than once: the provider charges twice.'; access_count = 6 }
        @{ id = 'm-301'; text = 'Clear the CDN cache for the product images after every catalogue import. Purge by surrogate key product-images, not the whole zone.'; access_count = 14; scope = 'proj-catalogue' }
        @{ id = 'm-302'; text = 'Clear the CDN cache for the product images after every catalogue import. Purge by surrogate key product-images, never the whole zone.'; access_count = 8; scope = 'proj-catalogue' }
        @{ id = 'm-303'; text = 'Clear the CDN cache for product images after every catalogue import. Purge by the surrogate key product-images, not the whole zone.'; access_count = 3; scope = 'proj-catalogue' }
        @{ id = 'm-401'; text = 'The staging database password rotates every 30 days.'; access_count = 40 }
        @{ id = 'm-402'; text = 'Use tabs for indentation in the Makefile.'; access_count = 5 }
        @{ id = 'm-403'; text = 'Run the database migrations before deploying the API service. Apply them to staging first with dotnet ef database update.'; access_count = 99; tier = 'Working' }
    )
    $script:ClusteredIds = @('m-101', 'm-102', 'm-103', 'm-104', 'm-201', 'm-202', 'm-203', 'm-301', 'm-302', 'm-303')

    function New-Export {
        param([string] $Name = 'memories.jsonl')
        $path = Join-Path $TestDrive $Name
        $lines = foreach ($r in $script:Records) {
            [ordered]@{
                id           = $r.id
                text         = $r.text
                tier         = if ($r.tier) { $r.tier } else { 'Core' }
                scope        = if ($r.scope) { $r.scope } else { 'proj-shop' }
                tags         = @()
                kind         = 'procedure'
                access_count = $r.access_count
            } | ConvertTo-Json -Compress
        }
        [System.IO.File]::WriteAllText($path, ($lines -join "`n") + "`n")
        $path
    }

    function New-SkillsPath {
        Join-Path $TestDrive ('skills-' + (New-Guid).ToString('N'))
    }
}

AfterAll {
    Set-SkillForgeContext -Clear
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
}

Describe 'Invoke-SkillCrystallization' {
    Context 'An offline run over an export file' {
        BeforeAll {
            $script:export = New-Export
            $script:skills = New-SkillsPath
            $script:out = @(Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Offline)
            $script:files = @($out | Where-Object { $_ -is [SkillForge.SkillFile] })
            $script:summary = $out[-1]
        }

        It 'outputs one SkillFile per cluster, then the summary' {
            $files.Count | Should -Be 3
            $out.Count | Should -Be 4
            $summary | Should -BeOfType ([SkillForge.CrystallizationSummary])
        }

        It 'writes valid skills with provenance' {
            foreach ($file in $files) {
                $file.Path | Should -Exist
                $file.Status | Should -Be ([SkillForge.SkillWriteStatus]::Written)
                Test-SkillMarkdown -Path $file.Path -Quiet | Should -BeTrue
                $file.Fingerprint | Should -Match '^[0-9a-f]{64}$'
                Get-Content -LiteralPath $file.Path -Raw | Should -Match 'skillforge-model: offline'
            }
            @($files.SourceIds | Sort-Object) | Should -Be @($ClusteredIds | Sort-Object)
        }

        It 'summarises the run' {
            $summary.Documents | Should -Be 13
            $summary.Clusters | Should -Be 3
            $summary.AlreadyCrystallized | Should -Be 0
            $summary.SkillsWritten | Should -Be 3
            $summary.Failed | Should -Be 0
            $summary.SourceTokens | Should -BeGreaterThan 0
            $summary.SkillTokens | Should -BeGreaterThan 0
            $summary.CompressionRatio | Should -Be ([math]::Round($summary.SourceTokens / $summary.SkillTokens, 2))
            $summary.SkillsPath | Should -Be $skills
            $summary.Model | Should -Be 'offline'
        }

        It 'records every skill in the ledger with a path relative to -SkillsPath' {
            $ledgerPath = Join-Path $skills '.skillforge/ledger.json'
            $ledgerPath | Should -Exist
            $ledger = Get-Content -LiteralPath $ledgerPath -Raw | ConvertFrom-Json
            $ledger.version | Should -Be 1
            @($ledger.entries).Count | Should -Be 3
            foreach ($entry in $ledger.entries) {
                [System.IO.Path]::IsPathRooted($entry.skillPath) | Should -BeFalse
                Join-Path $skills $entry.skillPath | Should -Exist
                $entry.model | Should -Be 'offline'
                $entry.fingerprint | Should -BeIn $files.Fingerprint
            }
        }

        It 'distills nothing and writes nothing when run again' {
            $before = Get-ChildItem -LiteralPath $skills -Recurse -File | ForEach-Object { "$($_.FullName)|$($_.Length)|$($_.LastWriteTimeUtc.Ticks)" }
            $again = @(Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Offline)
            $again.Count | Should -Be 1
            $again[0].SkillsWritten | Should -Be 0
            $again[0].Clusters | Should -Be 0
            $again[0].AlreadyCrystallized | Should -Be 10
            $after = Get-ChildItem -LiteralPath $skills -Recurse -File | ForEach-Object { "$($_.FullName)|$($_.Length)|$($_.LastWriteTimeUtc.Ticks)" }
            $after | Should -Be $before
        }

        It 'lets Find-MemoryCluster honour the same ledger' {
            @(Import-MemoryExport -Path $export | Find-MemoryCluster -SkillsPath $skills).Count | Should -Be 0
        }
    }

    Context 'A library Export-Skill wrote first (the README walkthrough)' {
        It 'writes no -2 copy of a skill whose fingerprint is already in the library' {
            $skills = New-SkillsPath
            $memories = Join-Path $ExamplesPath 'memories.jsonl'
            $exported = @(Import-MemoryExport $memories | Find-MemoryCluster | New-DistillPrompt | Invoke-SkillDistillation -Offline | Export-Skill -Path $skills)
            $exported.Count | Should -Be 8
            $out = @(Invoke-SkillCrystallization -Path $memories -SkillsPath $skills -Offline)
            $files = @($out | Where-Object { $_ -is [SkillForge.SkillFile] })
            $files.Count | Should -Be 8
            $files.Status | Sort-Object -Unique | Should -Be ([SkillForge.SkillWriteStatus]::Skipped)
            @(Get-ChildItem -LiteralPath $skills -Directory | Where-Object Name -Match '-\d+$').Name | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $skills -Directory).Count | Should -Be 8
            $out[-1].SkillsWritten | Should -Be 0
            # Recorded in the ledger all the same, so the next run distills nothing.
            $again = @(Invoke-SkillCrystallization -Path $memories -SkillsPath $skills -Offline)
            @($again | Where-Object { $_ -is [SkillForge.SkillFile] }).Count | Should -Be 0
        }
    }

    Context 'The summary view' {
        It 'names each column by what it counts' {
            $summary = Invoke-SkillCrystallization -Path (New-Export) -SkillsPath (New-SkillsPath) -Offline | Select-Object -Last 1
            $header = (($summary | Out-String -Width 120) -split "`n" | Where-Object { $_ -match '\S' })[0]
            ($header -split '\s+' | Where-Object { $_ }) | Should -Be @('Docs', 'DocsSkipped', 'Clusters', 'SkillsWritten', 'ClustersFailed', 'Compression', 'Redacted', 'SkillsPath')
        }
    }

    Context 'Pipeline input' {
        It 'takes MemoryDocs from Import-MemoryExport by value' {
            $out = @(Import-MemoryExport -Path (New-Export) | Invoke-SkillCrystallization -SkillsPath (New-SkillsPath) -Offline)
            $out[-1].SkillsWritten | Should -Be 3
            $out[-1].Documents | Should -Be 13
        }

        It 'takes export files from Get-ChildItem' {
            $null = New-Export -Name 'piped.jsonl'
            $out = @(Get-ChildItem -LiteralPath (Join-Path $TestDrive 'piped.jsonl') | Invoke-SkillCrystallization -SkillsPath (New-SkillsPath) -Offline)
            $out[-1].SkillsWritten | Should -Be 3
        }

        It 'takes objects from ConvertFrom-Json by property name' {
            $objects = Get-Content -LiteralPath (New-Export) | ConvertFrom-Json
            $out = @($objects | Invoke-SkillCrystallization -SkillsPath (New-SkillsPath) -Offline)
            $out[-1].SkillsWritten | Should -Be 3
            $out[-1].Documents | Should -Be 13
        }

        It 'takes [pscustomobject] docs named in <Case>' -ForEach @(
            @{ Case = 'PascalCase'; IdName = 'Id'; TextName = 'Text'; AccessName = 'AccessCount' }
            @{ Case = 'camelCase'; IdName = 'id'; TextName = 'text'; AccessName = 'accessCount' }
            @{ Case = 'snake_case'; IdName = 'id'; TextName = 'text'; AccessName = 'access_count' }
        ) {
            $docs = foreach ($r in $Records | Select-Object -First 7) {
                [pscustomobject]@{ $IdName = $r.id; $TextName = $r.text; $AccessName = $r.access_count; Scope = 'proj-shop' }
            }
            $out = @($docs | Invoke-SkillCrystallization -SkillsPath (New-SkillsPath) -Offline)
            $out[-1].SkillsWritten | Should -Be 2
            $files = @($out | Where-Object { $_ -is [SkillForge.SkillFile] })
            @($files.SourceIds) | Should -Contain 'm-101'
            @($files.SourceIds) | Should -Contain 'm-201'
        }

        It 'takes an array given to -InputObject item by item' {
            $docs = @(Import-MemoryExport -Path (New-Export))
            $out = @(Invoke-SkillCrystallization -InputObject $docs -SkillsPath (New-SkillsPath) -Offline)
            $out[-1].SkillsWritten | Should -Be 3
        }

        It 'reports an object without an Id and goes on with the others' {
            $docs = @(Import-MemoryExport -Path (New-Export)) + [pscustomobject]@{ Text = 'no id here' }
            $out = @($docs | Invoke-SkillCrystallization -SkillsPath (New-SkillsPath) -Offline -ErrorVariable err -ErrorAction SilentlyContinue)
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "SkillForge.Cluster.InvalidInput$Fqid"
            $out[-1].SkillsWritten | Should -Be 3
        }
    }

    Context 'Clustering parameters' {
        It 'clusters only -Scope <Scope>' -ForEach @(
            @{ Scope = 'proj-shop'; Expected = 2 }
            @{ Scope = 'proj-catalogue'; Expected = 1 }
            @{ Scope = 'nowhere'; Expected = 0 }
        ) {
            $out = @(Invoke-SkillCrystallization -Path (New-Export) -SkillsPath (New-SkillsPath) -Scope $Scope -Offline)
            $out[-1].SkillsWritten | Should -Be $Expected
        }

        It 'honours -MinSize and -Tier' {
            (@(Invoke-SkillCrystallization -Path (New-Export) -SkillsPath (New-SkillsPath) -MinSize 4 -Offline))[-1].SkillsWritten | Should -Be 1
            (@(Invoke-SkillCrystallization -Path (New-Export) -SkillsPath (New-SkillsPath) -Tier Working -Offline))[-1].SkillsWritten | Should -Be 0
        }

        It 'honours -SimilarityThreshold and -Similarity' {
            $out = @(Invoke-SkillCrystallization -Path (New-Export) -SkillsPath (New-SkillsPath) -SimilarityThreshold 0.99 -Similarity Lexical -Offline)
            $out[-1].SkillsWritten | Should -Be 0
        }
    }

    Context '-WhatIf' {
        BeforeAll {
            $script:server = Start-SkillForgeTestServer
        }
        AfterAll {
            Stop-SkillForgeTestServer $script:server
        }

        It 'writes nothing offline' {
            $skills = New-SkillsPath
            $copy = Join-Path $TestDrive 'whatif-copy.jsonl'
            $out = @(Invoke-SkillCrystallization -Path (New-Export) -SkillsPath $skills -Offline -UpdateExport $copy -WhatIf)
            $skills | Should -Not -Exist
            $copy | Should -Not -Exist
            @($out | Where-Object { $_ -is [SkillForge.SkillFile] }).Count | Should -Be 0
            $out[-1].Clusters | Should -Be 3
            $out[-1].SkillsWritten | Should -Be 0
        }

        It 'previews spend with no key and no endpoint (help example as printed)' {
            $out = Invoke-SkillForgeChild "Invoke-SkillCrystallization -Path '$ExamplesPath/memories.jsonl' -SkillsPath ./skills -WhatIf"
            $out | Should -Not -BeLike '*NotConfigured*'
            $lines = @($out | Where-Object { $_ -like 'What if:*' })
            $lines.Count | Should -Be 8
            $lines | Should -Match "no API key for api\.openai\.com is configured yet.*cluster [0-9a-f]{12} around '[^']+' \(\d+ docs, scope '[^']+', about \d+ prompt tokens\)"
            Join-Path $TestDrive 'skills' | Should -Not -Exist
        }

        It 'sends no request to the model' {
            $export = New-Export -Name 'whatif-model.jsonl'
            $null = Invoke-SkillCrystallization -Path $export -SkillsPath (New-SkillsPath) -Endpoint $server.Endpoint -Model 'echo' -WhatIf
            @(Get-SkillForgeTestRequest $server).Count | Should -Be 0
        }
    }

    Context 'Distilling through a model endpoint' {
        BeforeAll {
            $script:server = Start-SkillForgeTestServer
        }
        AfterAll {
            Stop-SkillForgeTestServer $script:server
        }

        It 'writes the model''s skills and records the model in the ledger' {
            $skills = New-SkillsPath
            $out = @(Invoke-SkillCrystallization -Path (New-Export) -SkillsPath $skills -Endpoint $server.Endpoint -Model 'echo' -ThrottleLimit 2)
            $out[-1].SkillsWritten | Should -Be 3
            $out[-1].Model | Should -Be 'echo'
            (Get-Content -LiteralPath (Join-Path $skills '.skillforge/ledger.json') -Raw | ConvertFrom-Json).entries.model | Should -Be @('echo', 'echo', 'echo')
        }

        It 'reports each failed cluster as a non-terminating error and writes nothing for it' {
            $skills = New-SkillsPath
            $out = @(Invoke-SkillCrystallization -Path (New-Export) -SkillsPath $skills -Endpoint $server.Endpoint -Model 'invalidskill' -MaxRetryCount 0 -ErrorVariable err -ErrorAction SilentlyContinue)
            $err.Count | Should -Be 3
            $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "SkillForge.Distill.InvalidSkill$Fqid" }
            $out[-1].Failed | Should -Be 3
            $out[-1].SkillsWritten | Should -Be 0
            Join-Path $skills '.skillforge/ledger.json' | Should -Not -Exist
        }

        It 'stops at the first failed cluster under -ErrorAction Stop' {
            { Invoke-SkillCrystallization -Path (New-Export) -SkillsPath (New-SkillsPath) -Endpoint $server.Endpoint -Model 'invalidskill' -MaxRetryCount 0 -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.InvalidSkill$Fqid"
        }
    }

    Context '-UpdateExport' {
        It 'writes a copy with the crystallized tag on the clustered docs and other lines unchanged' {
            $export = New-Export -Name 'tag-me.jsonl'
            $copy = Join-Path $TestDrive 'tagged/tag-me.crystallized.jsonl'
            $null = Invoke-SkillCrystallization -Path $export -SkillsPath (New-SkillsPath) -Offline -UpdateExport $copy
            $copy | Should -Exist
            $original = Get-Content -LiteralPath $export
            $tagged = Get-Content -LiteralPath $copy
            $tagged.Count | Should -Be $original.Count
            for ($i = 0; $i -lt $original.Count; $i++) {
                $record = $tagged[$i] | ConvertFrom-Json
                if ($record.id -in $ClusteredIds) { $record.tags | Should -Contain 'crystallized' }
                else { $tagged[$i] | Should -BeExactly $original[$i] }
            }
        }

        It 'leaves the input unchanged, and a run over the tagged copy into a new folder distills nothing' {
            $export = New-Export -Name 'source.jsonl'
            $hash = (Get-FileHash -LiteralPath $export).Hash
            $copy = Join-Path $TestDrive 'source.crystallized.jsonl'
            $null = Invoke-SkillCrystallization -Path $export -SkillsPath (New-SkillsPath) -Offline -UpdateExport $copy
            (Get-FileHash -LiteralPath $export).Hash | Should -Be $hash
            $out = @(Invoke-SkillCrystallization -Path $copy -SkillsPath (New-SkillsPath) -Offline)
            $out[-1].SkillsWritten | Should -Be 0
            $out[-1].AlreadyCrystallized | Should -Be 10
        }

        It 'refuses the input file itself as the copy' {
            $export = New-Export -Name 'same.jsonl'
            $hash = (Get-FileHash -LiteralPath $export).Hash
            $out = @(Invoke-SkillCrystallization -Path $export -SkillsPath (New-SkillsPath) -Offline -UpdateExport $export -ErrorVariable err -ErrorAction SilentlyContinue)
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be "SkillForge.Crystallize.ExportUpdateFailed$Fqid"
            $err[0].Exception.Message | Should -BeLike '*never rewrites its input*'
            (Get-FileHash -LiteralPath $export).Hash | Should -Be $hash
            $out[-1].SkillsWritten | Should -Be 3
        }
    }

    Context 'Errors' {
        It 'stops with NotConfigured when no model is configured' {
            { Invoke-SkillCrystallization -Path (New-Export) -SkillsPath (New-SkillsPath) -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Distill.NotConfigured$Fqid"
        }

        It 'stops with LedgerInvalid on a corrupt ledger and leaves it in place' {
            $skills = New-SkillsPath
            $null = New-Item -ItemType Directory -Path (Join-Path $skills '.skillforge')
            $ledger = Join-Path $skills '.skillforge/ledger.json'
            Set-Content -LiteralPath $ledger -Value '{ "version": 1, "entries": [' -NoNewline
            { Invoke-SkillCrystallization -Path (New-Export) -SkillsPath $skills -Offline -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Ledger.Invalid$Fqid"
            try { Invoke-SkillCrystallization -Path (New-Export) -SkillsPath $skills -Offline -ErrorAction Stop } catch { $message = $_.Exception.Message }
            $message | Should -BeLike '*Move the file aside*'
            Get-Content -LiteralPath $ledger -Raw | Should -Be '{ "version": 1, "entries": ['
            @(Get-ChildItem -LiteralPath $skills -Directory -Force | Where-Object Name -NE '.skillforge').Count | Should -Be 0
        }

        It 'reports a missing export and still runs' {
            $out = @(Invoke-SkillCrystallization -Path (Join-Path $TestDrive 'missing.jsonl') -SkillsPath (New-SkillsPath) -Offline -ErrorVariable err -ErrorAction SilentlyContinue)
            $err[0].FullyQualifiedErrorId | Should -Be "SkillForge.Io.FileNotFound$Fqid"
            $out[-1].Documents | Should -Be 0
        }
    }

    Context 'Help' {
        BeforeAll { $script:help = Get-Help Invoke-SkillCrystallization -Full }

        It 'has a synopsis and examples' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }

        It 'describes -<Name>' -ForEach @(
            'Path', 'LiteralPath', 'InputObject', 'SkillsPath', 'SimilarityThreshold', 'MinSize', 'Similarity', 'Tier', 'Scope',
            'UpdateExport', 'Model', 'Endpoint', 'ApiKey', 'TimeoutSec', 'MaxRetryCount', 'Temperature', 'MaxOutputTokens',
            'ThrottleLimit', 'ChatClient', 'Offline'
        ).ForEach({ @{ Name = $_ } }) {
            $parameter = $help.Parameters.Parameter | Where-Object Name -EQ $Name
            $parameter | Should -Not -BeNullOrEmpty
            ($parameter.Description.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Tab completion' {
        It 'completes -Scope and -Tier from the export given to -Path' {
            Push-Location $ExamplesPath
            try {
                $line = 'Invoke-SkillCrystallization -Path ./memories.jsonl -SkillsPath ./skills -Scope team'
                @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('team:platform')
                $line = 'Invoke-SkillCrystallization -Path ./memories.jsonl -SkillsPath ./skills -Tier '
                @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)[0] | Should -Be 'Core'
            }
            finally { Pop-Location }
        }
    }
}

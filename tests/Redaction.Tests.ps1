# The redaction pass through every flow of the built module: a memory export and a trace with planted (fake)
# secrets and personal data of every kind go through New-DistillPrompt, Invoke-SkillDistillation (offline and to
# the local test server), Invoke-SkillCrystallization and Export-Skill, and no planted value may appear in any
# prompt, request body the server received, skill, verbose or error output, or $Error.
BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1

    $script:Server = Start-SkillForgeTestServer
    $script:Endpoint = $script:Server.Endpoint
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') { [Environment]::SetEnvironmentVariable($name, $null) }
    Set-SkillForgeContext -Clear

    # Fake values, assembled from parts so no scanner takes this file for a leak; each in the sentence an agent saw.
    $alnum36 = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c'
    $script:Planted = @(
        @{ Kind = 'openai-key'; Value = 'sk-' + 'proj-' + 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3i'; Before = 'export OPENAI_API_KEY='; After = ' && python run.py' }
        @{ Kind = 'anthropic-key'; Value = 'sk-' + 'ant-api03-' + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA-_abc123DEF'; Before = 'ANTHROPIC_API_KEY='; After = '' }
        @{ Kind = 'google-api-key'; Value = 'AI' + 'za' + 'SyD3kFj8sLq0wPz7Xc4vBn2mQr5tYu9iOp1'; Before = 'curl https://maps.googleapis.com/maps/api/geocode/json?key='; After = '&address=x' }
        @{ Kind = 'github-token'; Value = 'gh' + 'p_' + $alnum36; Before = 'git remote set-url origin https://'; After = '@github.com/acme/app.git' }
        @{ Kind = 'github-token'; Value = 'github' + '_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH'; Before = 'GH_TOKEN='; After = ' gh pr list' }
        @{ Kind = 'github-token'; Value = 'v1.a8f3e9c2d7b4' + 'f1e6a5c3b2d9'; Before = 'git clone https://x-access-token:'; After = '@github.com/acme/app.git' }
        @{ Kind = 'gitlab-token'; Value = 'gl' + 'pat-' + 'xY12zW34vU56tS78rQ90'; Before = 'curl --header PRIVATE-TOKEN: '; After = ' https://gitlab.com/api/v4/projects' }
        @{ Kind = 'slack-token'; Value = 'xo' + 'xb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'; Before = 'SLACK_BOT_TOKEN='; After = '' }
        @{ Kind = 'aws-access-key-id'; Value = 'AK' + 'IA' + '2QX7JZ5LKM4NPR8T'; Before = 'aws_access_key_id = '; After = '' }
        @{ Kind = 'aws-secret-key'; Value = 'wJa1rXUtnFEMIK7MDENG' + 'bPxRfiCYzK9v3Q2LpT8s'; Before = 'aws_secret_access_key = '; After = '' }
        @{ Kind = 'azure-connection-string'; Value = 'Zm9vYmFyYmF6cXV4MTIz' + 'NDU2Nzg5MGFiY2RlZmdoaWprbA=='; Before = 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey='; After = ';EndpointSuffix=core.windows.net' }
        @{ Kind = 'azure-sas-token'; Value = 'AbCdEf0123456789' + '%2BgHiJkLmN%3D'; Before = 'azcopy copy https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&sp=r&se=2026-01-01&sig='; After = ' ./f.txt' }
        @{ Kind = 'jwt'; Value = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ' + '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'; Before = 'session cookie: '; After = '' }
        @{ Kind = 'bearer-token'; Value = '9f8e7d6c5b4a3928' + '1706f5e4d3c2b1a0ZZ'; Before = 'curl -H "Authorization: Bearer '; After = '" https://api.acme.io/v1/me' }
        @{ Kind = 'private-key'; Value = '-----BEGIN ' + "RSA PRIVATE KEY-----`nMIIEowIBAAKCAQEA7x9Qk2v8Lm3`nZ0pQr5sT7uV9wX1yZ3aB5cD7eF9g`n-----END RSA PRIVATE KEY-----"; Before = "cat id_rsa`n"; After = '' }
        @{ Kind = 'password'; Value = 'S3cr3t' + 'Pa55w0rd'; Before = 'DATABASE_URL=postgres://app:'; After = '@db.internal:5432/app' }
        @{ Kind = 'password'; Value = 'Tr0ub4dor' + '3xQ'; Before = 'Server=db;User Id=app;Password='; After = ';Encrypt=true' }
        @{ Kind = 'secret'; Value = 'rk9Qz2LmX8vB' + '4nT7wY1cP6'; Before = 'STRIPE_SECRET='; After = '' }
        @{ Kind = 'email'; Value = 'jane.doe@acme-corp.io'; Before = 'Author: Jane Doe <'; After = '>' }
        @{ Kind = 'phone'; Value = '+44 20 7946 0958'; Before = 'call the office on '; After = ' before noon' }
        @{ Kind = 'home-path'; Value = '/home/jane'; Before = 'cd '; After = '/src/app && make' }
    )
    $script:Sentences = $script:Planted | ForEach-Object { $_.Before + $_.Value + $_.After }

    # Every form a value could leak in: as is, JSON-escaped, and a distinctive piece of it (a cut leaks a piece).
    foreach ($p in $script:Planted) {
        $escaped = (ConvertTo-Json -InputObject $p.Value -Compress).Trim('"')
        $core = if ($p.Kind -eq 'private-key') { 'MIIEowIBAAKCAQEA7x9Qk2v8Lm3' } else { $p.Value.Substring([int]($p.Value.Length / 4), [Math]::Min(10, [int]($p.Value.Length / 2))) }
        $p.Forms = @($p.Value, $escaped, $core) | Select-Object -Unique
    }

    # Fails naming the kind and the place, never the value.
    function Assert-NothingPlanted {
        param([string] $Text, [string] $Where, [string[]] $Keep = @())
        foreach ($p in $script:Planted) {
            if ($Keep -contains $p.Kind) { continue }
            foreach ($form in $p.Forms) {
                $Text.Contains($form) | Should -BeFalse -Because "$Where must not hold the planted $($p.Kind) value"
            }
        }
    }

    function Get-ErrorText {
        ($Error | ForEach-Object { "$_"; "$($_.TargetObject)"; "$($_.Exception)"; "$($_.CategoryInfo)" }) -join "`n"
    }

    # A memory export: three near-duplicate memories that each hold every planted value.
    $script:ExportPath = Join-Path $TestDrive 'memories.jsonl'
    $lines = foreach ($i in 1..3) {
        [ordered]@{
            id           = "m-$i"
            text         = "To release the billing service, set up the credentials first.`n" + ($script:Sentences -join "`n") + "`nThen run the release script ($i)."
            tier         = 'Core'
            scope        = 'proj-billing'
            kind         = 'procedure'
            access_count = 10 - $i
        } | ConvertTo-Json -Compress
    }
    [System.IO.File]::WriteAllText($script:ExportPath, ($lines -join "`n") + "`n")

    # A trace: successful and failed actions whose commands and outputs hold every planted value.
    $script:TracePath = Join-Path $TestDrive 'trace.jsonl'
    $n = 0
    $events = @([ordered]@{ trace_id = 'release-1'; kind = 'user_prompt'; data = @{ text = 'Release the billing service. ' + $script:Sentences[0] } })
    foreach ($sentence in $script:Sentences) {
        $n++
        $kind = if ($n % 3 -eq 0) { 'action_failed' } else { 'action_succeeded' }
        $events += [ordered]@{ trace_id = 'release-1'; kind = $kind; action_id = "a$n"; tool = 'shell'; data = @{ command = $sentence; output = "ran: $sentence" } }
    }
    $events += [ordered]@{ trace_id = 'release-1'; kind = 'user_correction'; data = @{ text = 'Never paste ' + $script:Sentences[3] + ' into the log.' } }
    [System.IO.File]::WriteAllText($script:TracePath, (($events | ForEach-Object { $_ | ConvertTo-Json -Compress -Depth 5 }) -join "`n") + "`n")
}

AfterAll {
    Stop-SkillForgeTestServer $script:Server
    Set-SkillForgeContext -Clear
}

Describe 'The redaction pass' {
    BeforeEach { $Error.Clear() }

    Context 'The fixtures' {
        It 'hold every planted value, so the checks below can fail' {
            $export = Get-Content -LiteralPath $script:ExportPath -Raw
            $trace = Get-Content -LiteralPath $script:TracePath -Raw
            foreach ($p in $script:Planted) {
                ($p.Forms | Where-Object { $export.Contains($_) }).Count | Should -BeGreaterThan 0 -Because "the export holds the $($p.Kind)"
                ($p.Forms | Where-Object { $trace.Contains($_) }).Count | Should -BeGreaterThan 0 -Because "the trace holds the $($p.Kind)"
            }
            $prompt = Import-MemoryExport -Path $script:ExportPath | Find-MemoryCluster -MinSize 2 | New-DistillPrompt -Redact None -WarningAction SilentlyContinue
            { Assert-NothingPlanted -Text $prompt.Text -Where 'an unredacted prompt' } | Should -Throw
        }
    }

    Context 'Memory flow' {
        It 'keeps every planted value out of the prompt, counts each kind, and says so verbosely without values' {
            $all = Import-MemoryExport -Path $script:ExportPath | Find-MemoryCluster -MinSize 2 | New-DistillPrompt -Verbose 4>&1
            $prompt = $all | Where-Object { $_ -is [SkillForge.DistillPrompt] }
            $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            Assert-NothingPlanted -Text $prompt.Text -Where 'the memory prompt'
            foreach ($kind in $script:Planted.Kind | Select-Object -Unique) {
                $prompt.Redactions[$kind] | Should -BeGreaterThan 0 -Because "the prompt redacted the $kind"
                if ($kind -ne 'home-path') { $prompt.Text | Should -BeLike "*[[]redacted:$kind]*" }
            }
            $prompt.Text | Should -BeLike '*cd ~/src/app*'
            $verbose.Count | Should -BeGreaterThan 0
            ($verbose.Message -join "`n") | Should -BeLike '*github-token*'
            Assert-NothingPlanted -Text ($verbose.Message -join "`n") -Where 'verbose output'
        }

        It 'writes offline skills that hold none of them' {
            $skills = Join-Path $TestDrive 'memory-offline'
            $all = Import-MemoryExport -Path $script:ExportPath | Find-MemoryCluster -MinSize 2 | New-DistillPrompt |
                Invoke-SkillDistillation -Offline -Verbose | Export-Skill -Path $skills -Verbose *>&1
            $files = @($all | Where-Object { $_ -is [SkillForge.SkillFile] })
            $files.Count | Should -Be 1
            $files[0].Redactions.Total | Should -BeGreaterThan 0
            Assert-NothingPlanted -Text (Get-Content -LiteralPath $files[0].Path -Raw) -Where 'the offline memory skill'
            Assert-NothingPlanted -Text (($all | ForEach-Object { "$_" }) -join "`n") -Where 'the output streams'
            Assert-NothingPlanted -Text (Get-ErrorText) -Where '$Error'
        }

        It 'sends none of them to the model server and writes none into the skill' {
            $skills = Join-Path $TestDrive 'memory-server'
            $results = @(Import-MemoryExport -Path $script:ExportPath | Find-MemoryCluster -MinSize 2 | New-DistillPrompt |
                Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo)
            $results.Count | Should -Be 1
            $requests = Get-SkillForgeTestRequest $script:Server $results[0].Prompt.Text
            $requests.Count | Should -Be 1
            Assert-NothingPlanted -Text $requests[0].body -Where 'the request body'
            $file = $results | Export-Skill -Path $skills
            Assert-NothingPlanted -Text (Get-Content -LiteralPath $file.Path -Raw) -Where 'the skill from the server'
            $file.Redactions.Total | Should -Be $results[0].Prompt.Redactions.Total
        }

        It 'crystallizes offline and through the server with none of them in a skill, and totals the counts' -ForEach @(
            @{ Mode = 'offline' }, @{ Mode = 'server' }
        ) {
            $skills = Join-Path $TestDrive "crystal-$Mode"
            $target = if ($Mode -eq 'offline') { @{ Offline = $true } } else { @{ Endpoint = $script:Endpoint; Model = 'echo' } }
            $all = Invoke-SkillCrystallization -Path $script:ExportPath -SkillsPath $skills -MinSize 2 @target -Verbose *>&1
            $summary = $all | Where-Object { $_ -is [SkillForge.CrystallizationSummary] }
            $files = @($all | Where-Object { $_ -is [SkillForge.SkillFile] })
            $files.Count | Should -Be 1
            $summary.Redactions.Total | Should -BeGreaterThan 0
            $summary.Redactions.Total | Should -Be $files[0].Redactions.Total
            Assert-NothingPlanted -Text (Get-Content -LiteralPath $files[0].Path -Raw) -Where "the $Mode crystallized skill"
            Assert-NothingPlanted -Text (Get-Content -LiteralPath (Join-Path $skills '.skillforge/ledger.json') -Raw) -Where 'the ledger'
            Assert-NothingPlanted -Text (($all | ForEach-Object { "$_" }) -join "`n") -Where 'the output streams'
            Assert-NothingPlanted -Text (Get-ErrorText) -Where '$Error'
            if ($Mode -eq 'server') {
                foreach ($request in Get-SkillForgeTestRequest $script:Server) { Assert-NothingPlanted -Text $request.body -Where 'a request body' }
            }
        }
    }

    Context 'Split-Trace flow' {
        It 'keeps every planted value out of both trace prompts' {
            $prompts = @(Import-Trace -Path $script:TracePath | Split-Trace | New-DistillPrompt)
            $prompts.Kind | Should -Be @('TraceSuccess', 'TraceFailure')
            foreach ($prompt in $prompts) { Assert-NothingPlanted -Text $prompt.Text -Where "the $($prompt.Kind) prompt" }
            $total = $prompts | ForEach-Object { $_.Redactions.Total } | Measure-Object -Sum
            $total.Sum | Should -BeGreaterOrEqual $script:Planted.Count
        }

        It 'writes offline trace skills that hold none of them' {
            $skills = Join-Path $TestDrive 'trace-offline'
            $all = Import-Trace -Path $script:TracePath | Split-Trace | New-DistillPrompt | Invoke-SkillDistillation -Offline -Verbose |
                ConvertFrom-SkillJson | Export-Skill -Path $skills -Verbose *>&1
            $files = @($all | Where-Object { $_ -is [SkillForge.SkillFile] })
            $files.Count | Should -BeGreaterThan 0
            foreach ($file in $files) { Assert-NothingPlanted -Text (Get-Content -LiteralPath $file.Path -Raw) -Where 'an offline trace skill' }
            Assert-NothingPlanted -Text (($all | ForEach-Object { "$_" }) -join "`n") -Where 'the output streams'
            Assert-NothingPlanted -Text (Get-ErrorText) -Where '$Error'
        }

        It 'sends none of them to the model server' {
            $results = @(Import-Trace -Path $script:TracePath | Split-Trace | New-DistillPrompt | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model json)
            $results.Count | Should -Be 2
            foreach ($result in $results) {
                $requests = Get-SkillForgeTestRequest $script:Server $result.Prompt.Text
                $requests.Count | Should -Be 1
                Assert-NothingPlanted -Text $requests[0].body -Where 'a trace request body'
            }
        }
    }

    Context 'Find-TracePattern flow' {
        It 'keeps every planted value out of the pattern prompts, the offline skills and their evidence files' {
            $patterns = @(Import-Trace -Path $script:TracePath | Find-TracePattern -MinSupport 1)
            $patterns.Count | Should -BeGreaterThan 0
            $prompts = @($patterns | New-DistillPrompt)
            foreach ($prompt in $prompts) { Assert-NothingPlanted -Text $prompt.Text -Where 'a pattern prompt' }
            $skills = Join-Path $TestDrive 'pattern-offline'
            $all = $prompts | Invoke-SkillDistillation -Offline -Verbose | Export-Skill -Path $skills -Verbose *>&1
            $files = @($all | Where-Object { $_ -is [SkillForge.SkillFile] })
            $files.Count | Should -BeGreaterThan 0
            foreach ($written in Get-ChildItem -LiteralPath $skills -Recurse -File) {
                Assert-NothingPlanted -Text (Get-Content -LiteralPath $written.FullName -Raw) -Where "the written file $($written.Name)"
            }
            Assert-NothingPlanted -Text (($all | ForEach-Object { "$_" }) -join "`n") -Where 'the output streams'
            Assert-NothingPlanted -Text (Get-ErrorText) -Where '$Error'
        }

        It 'sends none of them to the model server' {
            $prompts = @(Import-Trace -Path $script:TracePath | Find-TracePattern -MinSupport 1 | New-DistillPrompt)
            $results = @($prompts | Invoke-SkillDistillation -Endpoint $script:Endpoint -Model echo)
            $results.Count | Should -Be $prompts.Count
            foreach ($result in $results) {
                $requests = @(Get-SkillForgeTestRequest $script:Server $result.Prompt.Text)
                $requests.Count | Should -Be 1
                Assert-NothingPlanted -Text $requests[0].body -Where 'a pattern request body'
            }
        }
    }

    Context 'Prompts that did not come from New-DistillPrompt' {
        It 'redacts a -Text prompt before it is sent, and says how much verbosely' {
            $text = "Distill these notes into a JSON array of skills.`n" + ($script:Sentences -join "`n") + "`n$(New-Guid)"
            $all = Invoke-SkillDistillation -Text $text -Kind TraceSuccess -Endpoint $script:Endpoint -Model json -Verbose 4>&1
            $result = $all | Where-Object { $_ -is [SkillForge.DistillationResult] }
            Assert-NothingPlanted -Text $result.Prompt.Text -Where 'the prompt sent'
            $result.Prompt.Redactions['openai-key'] | Should -Be 1
            $requests = Get-SkillForgeTestRequest $script:Server $result.Prompt.Text
            $requests.Count | Should -Be 1
            Assert-NothingPlanted -Text $requests[0].body -Where 'the -Text request body'
            (($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -BeLike '*Redacted *openai-key*'
        }

        It 'writes no planted value through Export-Skill -Content' {
            $content = "---`nname: release-notes`ndescription: How the billing service is released.`n---`n`n" + (($script:Sentences | ForEach-Object { "- $_" }) -join "`n") + "`n"
            $file = Export-Skill -Path (Join-Path $TestDrive 'content') -Content $content -SourceId 'jane.doe@acme-corp.io'
            Assert-NothingPlanted -Text (Get-Content -LiteralPath $file.Path -Raw) -Where 'the exported skill'
            $file.Redactions.Total | Should -Be ($script:Planted.Count + 1)
            (Get-Content -LiteralPath $file.Path -Raw) | Should -BeLike '*cd ~/src/app*'
        }
    }

    Context '-Redact Secrets and -Redact None' {
        It 'keeps personal data with -Redact Secrets' {
            $prompt = Import-MemoryExport -Path $script:ExportPath | Find-MemoryCluster -MinSize 2 | New-DistillPrompt -Redact Secrets
            Assert-NothingPlanted -Text $prompt.Text -Where 'the prompt' -Keep 'email', 'phone', 'home-path'
            $prompt.Text | Should -BeLike '*jane.doe@acme-corp.io*'
            $prompt.Text | Should -BeLike '*/home/jane/src/app*'
            $prompt.Redactions['email'] | Should -Be 0
        }

        It 'warns with -Redact None on every cmdlet that has it' -ForEach @(
            @{ Command = { Import-MemoryExport -Path $script:ExportPath | Find-MemoryCluster -MinSize 2 | New-DistillPrompt -Redact None } }
            @{ Command = { Export-Skill -Path (Join-Path $TestDrive 'none') -Content "---`nname: raw`ndescription: Raw.`n---`n`nUse $($script:Sentences[0]).`n" -Redact None } }
            @{ Command = { Import-MemoryExport -Path $script:ExportPath | Find-MemoryCluster -MinSize 2 | New-DistillPrompt -Redact None -WarningAction SilentlyContinue | Invoke-SkillDistillation -Offline -Redact None } }
            @{ Command = { Invoke-SkillCrystallization -Path $script:ExportPath -SkillsPath (Join-Path $TestDrive 'none-crystal') -MinSize 2 -Offline -Redact None } }
        ) {
            $warnings = @(& $Command 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $warnings.Count | Should -BeGreaterThan 0
            $warnings[0].Message | Should -BeLike '-Redact None: the redaction pass is off*'
            $warnings.Message | Should -Not -BeLike '*sk-*'
        }
    }

    Context 'Test-SkillMarkdown audits a library for leaks' {
        It 'reports a secret as error SF5006 and personal data as warning SF5007, naming kinds, never values' {
            $content = "---`nname: leaky`ndescription: A skill an older tool wrote.`n---`n`n1. Run $($script:Sentences[0]).`n2. Ask $($script:Planted | Where-Object Kind -eq 'email' | ForEach-Object Value).`n"
            $result = Test-SkillMarkdown -Content $content
            $result.IsValid | Should -BeFalse
            $secret = $result.Diagnostics | Where-Object Code -eq 'SF5006'
            $personal = $result.Diagnostics | Where-Object Code -eq 'SF5007'
            $secret.Severity | Should -Be 'Error'
            $secret.Line | Should -Be 6
            $secret.Message | Should -BeLike '*openai-key*'
            $personal.Severity | Should -Be 'Warning'
            $personal.Line | Should -Be 7
            Assert-NothingPlanted -Text (($result.Diagnostics | ForEach-Object { "$_" }) -join "`n") -Where 'the diagnostics'
        }

        It 'finds nothing in a skill Export-Skill wrote' {
            $content = "---`nname: clean-after-export`ndescription: Written through the write check.`n---`n`n" + ($script:Sentences -join "`n") + "`n"
            $file = Export-Skill -Path (Join-Path $TestDrive 'audit') -Content $content
            $result = Test-SkillMarkdown -Path $file.Path
            $result.Diagnostics | Where-Object Code -in 'SF5006', 'SF5007' | Should -BeNullOrEmpty
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1

    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') { [Environment]::SetEnvironmentVariable($name, $null) }
    Set-SkillForgeContext -Clear

    # $Count groups of three near-duplicate Core memories, one topic each: every topic has words of its own
    # (made-up, from a fixed seed), and the three docs of a topic differ in one word.
    function New-Export([int] $Count, [string] $Name = 'memories.jsonl') {
        $path = Join-Path $TestDrive $Name
        $random = [Random]::new(20261202)
        $letters = 'bcdfghjklmnpqrstvwxz'
        $lines = foreach ($i in 1..$Count) {
            $words = foreach ($w in 1..16) { -join (1..7 | ForEach-Object { $letters[$random.Next($letters.Length)] }) }
            foreach ($j in 1..3) {
                $text = ($words[0..14] -join ' ') + " note$j."
                [ordered]@{ id = "t$i-d$j"; tier = 'Core'; scope = 'ops'; kind = 'procedure'; access_count = $j; text = "Always $text" } | ConvertTo-Json -Compress
            }
        }
        [IO.File]::WriteAllText($path, ($lines -join "`n") + "`n")
        $path
    }

    function Get-SkillFolder([string] $Skills) {
        @(Get-ChildItem -LiteralPath $Skills -Directory | Where-Object Name -NotLike '.*')
    }

    function Get-LedgerEntry([string] $Skills) {
        @((Get-Content -LiteralPath (Join-Path $Skills '.skillforge/ledger.json') -Raw | ConvertFrom-Json).entries)
    }
}

AfterAll {
    Set-SkillForgeContext -Clear
}

Describe 'Invoke-SkillCrystallization under concurrency and crashes' {
    BeforeAll {
        $script:server = Start-SkillForgeTestServer
    }
    AfterAll {
        Stop-SkillForgeTestServer $script:server
    }

    It 'two runs on one library in parallel runspaces distill every cluster once' {
        $export = New-Export 6 'parallel.jsonl'
        $skills = Join-Path $TestDrive 'parallel-skills'
        $model = 'slow:150+unique'
        $module = $ModuleManifest
        $endpoint = $server.Endpoint
        $runs = 1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
            Import-Module $using:module
            $out = @(Invoke-SkillCrystallization -Path $using:export -SkillsPath $using:skills -Endpoint $using:endpoint -Model $using:model -ThrottleLimit 2 -WarningAction SilentlyContinue -ErrorVariable err -ErrorAction SilentlyContinue)
            [pscustomobject]@{ Summary = $out[-1]; Errors = @($err) }
        }
        $runs.Errors | Should -BeNullOrEmpty
        ($runs.Summary | Measure-Object -Property SkillsWritten -Sum).Sum | Should -Be 6
        (Get-SkillFolder $skills).Count | Should -Be 6
        @(Get-SkillFolder $skills | Where-Object Name -Match '-\d+$') | Should -BeNullOrEmpty
        (Get-LedgerEntry $skills).Count | Should -Be 6
        @(Get-SkillForgeTestRequest $server | Where-Object model -eq $model).Count | Should -Be 6
        Get-ChildItem -LiteralPath $skills -Recurse -Force -Filter '*.tmp' | Should -BeNullOrEmpty
    }

    It 'two runs in separate processes distill every cluster once' {
        $export = New-Export 4 'processes.jsonl'
        $skills = Join-Path $TestDrive 'process-skills'
        $model = 'slow:200+unique+processes'
        $pwsh = (Get-Process -Id $PID).Path
        $command = "Import-Module '$ModuleManifest'; `$null = Invoke-SkillCrystallization -Path '$export' -SkillsPath '$skills' -Endpoint '$($server.Endpoint)' -Model '$model' -WarningAction SilentlyContinue -ErrorAction Stop"
        $processes = 1..2 | ForEach-Object { Start-Process -FilePath $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $command -PassThru -NoNewWindow }
        $processes | ForEach-Object { $_.WaitForExit(180000) | Should -BeTrue; $_.ExitCode | Should -Be 0 }
        (Get-SkillFolder $skills).Count | Should -Be 4
        (Get-LedgerEntry $skills).Count | Should -Be 4
        @(Get-SkillForgeTestRequest $server | Where-Object model -eq $model).Count | Should -Be 4
    }

    It 'a re-run after a crash between writing the skills and saving the ledger pays for no cluster again' {
        $export = New-Export 3 'crash.jsonl'
        $skills = Join-Path $TestDrive 'crash-skills'
        $model = 'unique+crash'
        $first = @(Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Endpoint $server.Endpoint -Model $model)
        $first[-1].SkillsWritten | Should -Be 3
        # What kill -9 leaves when it lands after the skills were written: no ledger, a temporary file of a save.
        Remove-Item -LiteralPath (Join-Path $skills '.skillforge/ledger.json')
        $leftover = Join-Path $skills ".skillforge/.ledger.json.$((New-Guid).ToString('N')).tmp"
        Set-Content -LiteralPath $leftover -Value '{'

        $again = @(Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Endpoint $server.Endpoint -Model $model)
        $again[-1].SkillsWritten | Should -Be 0
        @($again | Where-Object { $_ -is [SkillForge.SkillFile] } | ForEach-Object Status | Sort-Object -Unique) | Should -Be @('Skipped')
        (Get-SkillFolder $skills).Count | Should -Be 3
        (Get-LedgerEntry $skills).Count | Should -Be 3
        @(Get-SkillForgeTestRequest $server | Where-Object model -eq $model).Count | Should -Be 3
        $leftover | Should -Not -Exist
    }

    It 'refuses a .skillforge folder that is a link, writing nothing outside -SkillsPath' -Skip:($IsWindows) {
        $export = New-Export 2 'link.jsonl'
        $skills = Join-Path $TestDrive 'link-skills'
        $outside = Join-Path $TestDrive 'link-outside'
        $null = New-Item -ItemType Directory -Path $skills, $outside
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $skills '.skillforge') -Target $outside
        { Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Offline -ErrorAction Stop } |
            Should -Throw -ErrorId 'SkillForge.Skill.OutsideRoot,SkillForge.Commands.InvokeSkillCrystallizationCommand'
        Get-ChildItem -LiteralPath $outside -Force | Should -BeNullOrEmpty
        Get-SkillFolder $skills | Should -BeNullOrEmpty
    }

    It 'reads a ledger saved with a UTF-8 BOM' {
        $export = New-Export 2 'bom.jsonl'
        $skills = Join-Path $TestDrive 'bom-skills'
        $null = Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Offline
        $ledger = Join-Path $skills '.skillforge/ledger.json'
        [IO.File]::WriteAllText($ledger, [IO.File]::ReadAllText($ledger), [Text.UTF8Encoding]::new($true))
        [IO.File]::ReadAllBytes($ledger)[0] | Should -Be 0xEF
        $again = @(Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Offline -ErrorAction Stop)
        $again[-1].AlreadyCrystallized | Should -Be 6
        $again[-1].SkillsWritten | Should -Be 0
    }
}

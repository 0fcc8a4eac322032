BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    function New-DocLine([int] $Index) {
        [ordered]@{ id = "d$Index"; text = "Memory number $Index says to check the queue before deploying." } | ConvertTo-Json -Compress
    }

    # Writes $Parts (strings) through one gzip stream, flushing after each part; returns the bytes after each flush
    # (a cut at a flush point) and the whole file.
    function New-GzipBytes([string[]] $Parts) {
        $memory = [IO.MemoryStream]::new()
        $zip = [IO.Compression.GZipStream]::new($memory, [IO.Compression.CompressionLevel]::Fastest, $true)
        $cuts = foreach ($part in $Parts) {
            $bytes = [Text.Encoding]::UTF8.GetBytes($part)
            $zip.Write($bytes, 0, $bytes.Length)
            $zip.Flush()
            , $memory.ToArray()
        }
        $zip.Dispose()
        [pscustomobject]@{ Cuts = $cuts; Whole = $memory.ToArray() }
    }

    function Get-Lines([int] $From, [int] $To) { (($From..$To | ForEach-Object { New-DocLine $_ }) -join "`n") + "`n" }
}

Describe 'Reading hostile input files' {
    Context 'Gzip that is cut short, followed by other bytes, or joined' {
        BeforeAll {
            $script:gz = New-GzipBytes @((Get-Lines 1 50), (Get-Lines 51 100))
        }

        It 'reports a file cut at a flush point as truncated, after the docs before the cut' {
            $path = Join-Path $TestDrive 'flush-cut.jsonl.gz'
            [IO.File]::WriteAllBytes($path, $gz.Cuts[0])
            $docs = @(Import-MemoryExport -LiteralPath $path -ErrorVariable err -ErrorAction SilentlyContinue)
            $docs.Count | Should -Be 50
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Io.FileUnreadable,*'
            $err[0].Exception.Message | Should -Match 'truncated'
            $err[0].Exception.Message | Should -Match 'the rest of the file is missing'
        }

        It 'reports a file cut anywhere else as truncated, not as a bad record' {
            $path = Join-Path $TestDrive 'mid-cut.jsonl.gz'
            [IO.File]::WriteAllBytes($path, $gz.Whole[0..($gz.Cuts[0].Length + 40)])
            $docs = @(Import-MemoryExport -LiteralPath $path -ErrorVariable err -ErrorAction SilentlyContinue)
            $docs.Count | Should -BeLessThan 100
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Io.FileUnreadable,*'
            $err[0].Exception.Message | Should -Match 'truncated'
            $err[0].Exception.Message | Should -Not -Match 'the other records were imported'
        }

        It 'reports bytes after the end of the gzip data' {
            $path = Join-Path $TestDrive 'garbage.jsonl.gz'
            [IO.File]::WriteAllBytes($path, [byte[]]($gz.Whole + [Text.Encoding]::ASCII.GetBytes('GARBAGE-GARBAGE')))
            $docs = @(Import-MemoryExport -LiteralPath $path -ErrorVariable err -ErrorAction SilentlyContinue)
            $docs.Count | Should -Be 100
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -Match '15 bytes of other data after the end of its gzip data'
        }

        It 'reads a whole file and a file of several gzip members without error' {
            $whole = Join-Path $TestDrive 'whole.jsonl.gz'
            [IO.File]::WriteAllBytes($whole, $gz.Whole)
            $joined = Join-Path $TestDrive 'joined.jsonl.gz'
            [IO.File]::WriteAllBytes($joined, [byte[]]((New-GzipBytes @(Get-Lines 1 30)).Whole + (New-GzipBytes @(Get-Lines 31 60)).Whole))
            @(Import-MemoryExport -LiteralPath $whole -ErrorAction Stop).Count | Should -Be 100
            @(Import-MemoryExport -LiteralPath $joined -ErrorAction Stop).Count | Should -Be 60
        }
    }

    Context 'Endless lines and gzip bombs' {
        It 'stops at a line over the record cap with an error for that file, and reads the next file' {
            $bomb = Join-Path $TestDrive 'one-line.jsonl.gz'
            $file = [IO.File]::Create($bomb)
            $zip = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Fastest)
            $chunk = [Text.Encoding]::ASCII.GetBytes('{"id":"x","text":"' + ('a' * (1MB - 20)))
            $zip.Write($chunk, 0, $chunk.Length)
            $chunk = [Text.Encoding]::ASCII.GetBytes('a' * 1MB)
            foreach ($i in 1..80) { $zip.Write($chunk, 0, $chunk.Length) }
            $zip.Dispose()
            $good = Join-Path $TestDrive 'good.jsonl'
            Set-Content -LiteralPath $good -Value (Get-Lines 1 3)

            $docs = @(Import-MemoryExport -LiteralPath $bomb, $good -ErrorVariable err -ErrorAction SilentlyContinue)
            $docs.Id | Should -Be @('d1', 'd2', 'd3')
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Io.FileUnreadable,*'
            $err[0].Exception.Message | Should -Match 'longer than 64 MiB'
            $err[0].Exception.Message | Should -Match 'one-line\.jsonl\.gz'
        }

        It 'stops Import-Trace at a line over the cap too, and reads the next file' {
            $long = Join-Path $TestDrive 'long-trace.jsonl'
            $writer = [IO.StreamWriter]::new($long)
            $writer.Write('{"type":"user","sessionId":"s1","uuid":"u1","timestamp":"2026-01-11T08:00:00.000Z","message":{"role":"user","content":"')
            $piece = 'b' * 1MB
            foreach ($i in 1..66) { $writer.Write($piece) }
            $writer.Dispose()
            $good = Join-Path $TestDrive 'good-trace.jsonl'
            Set-Content -LiteralPath $good -Value '{"type":"user","sessionId":"s2","uuid":"u2","timestamp":"2026-01-11T08:00:00.000Z","message":{"role":"user","content":"Run the tests"}}'
            $events = @(Import-Trace -Format ClaudeCode -LiteralPath $long, $good -ErrorVariable err -ErrorAction SilentlyContinue)
            $events.Count | Should -BeGreaterThan 0
            @($events.TraceId | Sort-Object -Unique) | Should -Be @('s2')
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Io.FileUnreadable,*'
            $err[0].Exception.Message | Should -Match 'longer than 64 MiB'
        }

        It 'stops a file that decompresses to more than 250 times its size' {
            $bomb = Join-Path $TestDrive 'ratio.jsonl.gz'
            $file = [IO.File]::Create($bomb)
            $zip = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Optimal)
            $first = [Text.Encoding]::ASCII.GetBytes((New-DocLine 1) + "`n")
            $zip.Write($first, 0, $first.Length)
            $blank = [byte[]]::new(1MB); [Array]::Fill($blank, [byte]10)
            foreach ($i in 1..80) { $zip.Write($blank, 0, $blank.Length) }
            $zip.Dispose()
            $docs = @(Import-MemoryExport -LiteralPath $bomb -ErrorVariable err -ErrorAction SilentlyContinue)
            $docs.Count | Should -Be 1
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Io.FileUnreadable,*'
            $err[0].Exception.Message | Should -Match 'gzip bomb'
        }
    }

    Context 'Devices and named pipes' -Skip:($IsWindows) {
        It 'refuses a FIFO given as -Path, and does not wait for a writer' {
            $fifo = Join-Path $TestDrive 'pipe.jsonl'
            mkfifo $fifo
            $job = Start-ThreadJob -ScriptBlock { Import-Module $using:ModuleManifest; Import-MemoryExport -LiteralPath $using:fifo -ErrorVariable e -ErrorAction SilentlyContinue; $e }
            $finished = Wait-Job $job -Timeout 60
            if (-not $finished) {
                # Release the reader that would wait for ever, so the test run can go on.
                [IO.File]::WriteAllText($fifo, '')
            }
            $finished | Should -Not -BeNullOrEmpty -Because 'opening a FIFO must not wait for a writer'
            $errors = @(Receive-Job $job)
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Io.FileUnreadable,*'
            $errors[0].Exception.Message | Should -Match 'named pipe \(FIFO\), not a regular file'
        }

        It 'refuses a link to /dev/zero and /dev/urandom itself' {
            $zero = Join-Path $TestDrive 'zero.jsonl'
            $null = New-Item -ItemType SymbolicLink -Path $zero -Target /dev/zero
            $null = Import-MemoryExport -LiteralPath $zero -ErrorVariable err1 -ErrorAction SilentlyContinue
            $null = Import-Trace -Format ClaudeCode -LiteralPath /dev/urandom -ErrorVariable err2 -ErrorAction SilentlyContinue
            foreach ($e in @($err1) + @($err2)) {
                $e.FullyQualifiedErrorId | Should -BeLike 'SkillForge.Io.FileUnreadable,*'
                $e.Exception.Message | Should -Match 'is a device, not a regular file'
            }
        }

        It 'refuses a crystallization ledger that links to /dev/zero' {
            $skills = Join-Path $TestDrive 'zero-ledger'
            $null = New-Item -ItemType Directory -Path (Join-Path $skills '.skillforge')
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $skills '.skillforge/ledger.json') -Target /dev/zero
            $export = Join-Path $TestDrive 'zero-ledger.jsonl'
            Set-Content -LiteralPath $export -Value (Get-Lines 1 3)
            { Invoke-SkillCrystallization -Path $export -SkillsPath $skills -Offline -ErrorAction Stop } |
                Should -Throw -ErrorId 'SkillForge.Skill.OutsideRoot,SkillForge.Commands.InvokeSkillCrystallizationCommand'
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:ExampleTrace = Join-Path $script:ExamplesPath 'trace.jsonl'
}

Describe 'Import-Trace' {
    Context 'the bundled example trace' {
        BeforeAll {
            $script:events = @(Import-Trace -Path $script:ExampleTrace)
        }

        It 'writes TraceEvent objects' {
            $script:events.Count | Should -BeGreaterOrEqual 40
            $script:events | ForEach-Object { $_ | Should -BeOfType ([SkillForge.TraceEvent]) }
        }

        It 'takes trace ids from the records and numbers events from 0 within each trace' {
            $groups = $script:events | Group-Object TraceId
            $groups.Count | Should -BeGreaterOrEqual 3
            foreach ($group in $groups) {
                $group.Group.Sequence | Should -Be (0..($group.Count - 1))
            }
        }

        It 'keeps data and states as JSON text, and reads durations, rewards and timestamps' {
            $first = $script:events[0]
            $first.Kind | Should -Be 'user_prompt'
            ($first.Data | ConvertFrom-Json).text | Should -Not -BeNullOrEmpty
            $first.SourceLine | Should -Be 1
            $first.SourceFile | Should -Be $script:ExampleTrace
            $withState = $script:events | Where-Object { $_.StateBefore -and $_.StateAfter } | Select-Object -First 1
            { $withState.StateBefore | ConvertFrom-Json } | Should -Not -Throw
            ($script:events | Where-Object { $_.DurationMs -gt 0 }).Count | Should -BeGreaterThan 0
            ($script:events | Where-Object Kind -EQ 'episode_end').Reward | Should -Not -BeNullOrEmpty
            $first.Timestamp | Should -BeOfType ([DateTimeOffset])
        }
    }

    Context 'path binding' {
        It 'binds files from Get-ChildItem by FullName/PSPath' {
            $events = @(Get-Item -LiteralPath $script:ExampleTrace | Import-Trace)
            $events.Count | Should -BeGreaterOrEqual 40
        }

        It 'binds path strings from the pipeline and expands wildcards' {
            Copy-Item $script:ExampleTrace (Join-Path $TestDrive 'one.jsonl')
            Copy-Item $script:ExampleTrace (Join-Path $TestDrive 'two.jsonl')
            $events = @(Join-Path $TestDrive '*.jsonl' | Import-Trace)
            ($events | Select-Object -ExpandProperty SourceFile -Unique).Count | Should -Be 2
        }

        It 'binds Path by property name from [pscustomobject]' {
            $events = @([pscustomobject]@{ Path = $script:ExampleTrace } | Import-Trace)
            $events.Count | Should -BeGreaterOrEqual 40
        }

        It 'reads a name with brackets through -LiteralPath' {
            $file = Join-Path $TestDrive 'run[1].jsonl'
            Set-Content -LiteralPath $file -Value '{"kind":"action_succeeded","action_id":"a1"}'
            $events = @(Import-Trace -LiteralPath $file)
            $events.Count | Should -Be 1
            $events[0].TraceId | Should -Be 'run[1]'
        }

        It 'reports a path that matches nothing and goes on with the others' {
            $events = @(Import-Trace -Path (Join-Path $TestDrive 'missing.jsonl'), $script:ExampleTrace -ErrorVariable err -ErrorAction SilentlyContinue)
            $events.Count | Should -BeGreaterOrEqual 40
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Io.FileNotFound,SkillForge.Commands.ImportTraceCommand'
        }
    }

    Context 'layouts and field names' {
        It 'reads <Name>' -ForEach @(
            @{ Name = 'a JSON array with camelCase names'; File = 'arr.json'; Content = '[{"kind":"action_succeeded","actionId":"a1","durationMs":5},{"Kind":"action_failed","ActionId":"a2","DurationMs":7}]'; TraceId = 'arr' }
            @{ Name = 'an object with an events array'; File = 'box.json'; Content = "{`n  ""trace_id"": ""boxed"",`n  ""events"": [`n    {""kind"": ""action_succeeded"", ""action_id"": ""a1""},`n    {""kind"": ""action_failed"", ""action_id"": ""a2""}`n  ]`n}"; TraceId = 'boxed' }
            @{ Name = 'JSON Lines with PascalCase names'; File = 'pascal.jsonl'; Content = "{""Kind"":""action_succeeded"",""ActionId"":""a1""}`n{""Kind"":""action_failed"",""ActionId"":""a2""}"; TraceId = 'pascal' }
        ) {
            $path = Join-Path $TestDrive $File
            Set-Content -LiteralPath $path -Value $Content -Encoding utf8
            $events = @(Import-Trace -LiteralPath $path)
            $events.Count | Should -Be 2
            $events.ActionId | Should -Be @('a1', 'a2')
            $events[0].TraceId | Should -Be $TraceId
        }

        It 'reads gzip-compressed traces' {
            $path = Join-Path $TestDrive 'nightly.jsonl.gz'
            $bytes = [Text.Encoding]::UTF8.GetBytes("{""kind"":""action_succeeded""}`n{""kind"":""action_failed""}`n")
            $file = [IO.File]::Create($path)
            $gzip = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionMode]::Compress)
            $gzip.Write($bytes, 0, $bytes.Length)
            $gzip.Dispose(); $file.Dispose()
            $events = @(Import-Trace -LiteralPath $path)
            $events.Count | Should -Be 2
            $events[0].TraceId | Should -Be 'nightly'
        }
    }

    Context 'bad records' {
        BeforeAll {
            $script:mixed = Join-Path $TestDrive 'mixed.jsonl'
            Set-Content -LiteralPath $script:mixed -Encoding utf8 -Value @(
                '{"kind":"action_succeeded","action_id":"a1"}'
                '{"kind":"action_failed", broken'
                '{"action_id":"no-kind"}'
                '{"kind":"action_succeeded","action_id":"a4"}'
            )
        }

        It 'reports each bad line as a non-terminating error and imports the rest' {
            $events = @(Import-Trace -LiteralPath $script:mixed -ErrorVariable err -ErrorAction SilentlyContinue)
            $events.ActionId | Should -Be @('a1', 'a4')
            $err.Count | Should -Be 2
            $err | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand' }
            $err[0].Exception.Message | Should -BeLike '*mixed.jsonl:2*'
            $err[1].Exception.Message | Should -BeLike '*mixed.jsonl:3*kind*'
        }

        It 'stops at the first bad line with -ErrorAction Stop' {
            { Import-Trace -LiteralPath $script:mixed -ErrorAction Stop } | Should -Throw -ErrorId 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
        }
    }

    Context 'format detection' {
        It 'names the formats it tried when none recognises the file' {
            $path = Join-Path $TestDrive 'notes.txt'
            Set-Content -LiteralPath $path -Value 'plain notes, not a trace'
            Import-Trace -LiteralPath $path -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.UnknownFormat,SkillForge.Commands.ImportTraceCommand'
            foreach ($format in 'ClaudeCode', 'Codex', 'OTel', 'SweAgent', 'SkillForge') {
                $err[0].Exception.Message | Should -BeLike "*$format*"
            }
        }

        It 'refuses a memory export with an error that names Import-MemoryExport' {
            $events = @(Import-Trace (Join-Path $ExamplesPath 'memories.jsonl') -ErrorVariable err -ErrorAction SilentlyContinue)
            $events.Count | Should -Be 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.IsMemoryExport,SkillForge.Commands.ImportTraceCommand'
            $err[0].Exception.Message | Should -BeLike '*is a memory export*Import-MemoryExport*'
        }

        It 'reads a file Auto cannot place when -Format names it' {
            $path = Join-Path $TestDrive 'odd.jsonl'
            Set-Content -LiteralPath $path -Value '{"header":true}', '{"kind":"action_succeeded","action_id":"a1"}'
            $events = @(Import-Trace -LiteralPath $path -Format SkillForge -ErrorAction SilentlyContinue)
            $events.ActionId | Should -Be 'a1'
        }

        It 'completes -Format values' {
            (Get-Command Import-Trace).Parameters['Format'].ParameterType | Should -Be ([SkillForge.Traces.TraceFormat])
        }
    }

    Context 'default view' {
        It 'never cuts a trace id at 120 columns' {
            $path = Join-Path $TestDrive 'sidechain.jsonl'
            $traceId = '0f4c2a9e-5b7d-4e1a-9c3b-2d8e6f1a7b90/sidechain'
            Set-Content -LiteralPath $path -Value "{`"trace_id`":`"$traceId`",`"kind`":`"action_succeeded`",`"action_id`":`"toolu_01ABCDEFGHIJKLMNOPQRSTUV`",`"tool`":`"Bash`"}"
            $table = Import-Trace -LiteralPath $path | Out-String -Width 120
            $table | Should -BeLike "*$traceId*"
            $table | Should -BeLike '*toolu_01ABCDEFGHIJKLMNOPQRSTUV*'
        }
    }

    Context 'help' {
        It 'has a synopsis, examples and parameter help' {
            $help = Get-Help Import-Trace -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    $script:Fqid = ',SkillForge.Commands.ImportMemoryExportCommand'
    $script:Utf8 = [System.Text.UTF8Encoding]::new($false)

    # Writes text exactly as given (UTF-8, no BOM, no newline translation).
    function Write-TestFile {
        param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][AllowEmptyString()][string] $Content)
        [System.IO.File]::WriteAllText($Path, $Content, $script:Utf8)
        $Path
    }

    function Write-GzipFile {
        param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][string] $Content)
        $bytes = $script:Utf8.GetBytes($Content)
        $file = [System.IO.File]::Create($Path)
        try {
            $gzip = [System.IO.Compression.GZipStream]::new($file, [System.IO.Compression.CompressionMode]::Compress)
            try { $gzip.Write($bytes, 0, $bytes.Length) } finally { $gzip.Dispose() }
        }
        finally { $file.Dispose() }
        $Path
    }

    $script:ThreeLines = @(
        '{"id":"m1","text":"Deploys run from the release branch.","tier":"Core","scope":"project:billing-api","tags":["ops"],"kind":"fact","access_count":12}'
        '{"id":"m2","text":"Dana prefers small pull requests.","tier":"Working","scope":"user:dana","tags":"style, reviews","access_count":"3"}'
        '{"id":"m3","text":"Run migrations before the app starts."}'
    ) -join "`n"
}

Describe 'Import-MemoryExport' {

    Context 'The bundled example export' {
        BeforeAll {
            $script:ExamplePath = Join-Path $ExamplesPath 'memories.jsonl'
            $script:ExampleDocs = @(Import-MemoryExport -Path $script:ExamplePath -ErrorVariable exampleErrors)
            $script:ExampleErrors = $exampleErrors
        }

        It 'imports every record without an error' {
            $script:ExampleDocs.Count | Should -Be @(Get-Content -LiteralPath $script:ExamplePath | Where-Object { $_.Trim() }).Count
            $script:ExampleDocs.Count | Should -BeGreaterOrEqual 200
            $script:ExampleErrors | Should -BeNullOrEmpty
        }

        It 'writes SkillForge.MemoryDoc objects' {
            $script:ExampleDocs[0] | Should -BeOfType ([SkillForge.MemoryDoc])
            $script:ExampleDocs[0].PSObject.TypeNames[0] | Should -Be 'SkillForge.MemoryDoc'
        }

        It 'records the file and the line of each doc' {
            $script:ExampleDocs[0].SourceFile | Should -Be (Resolve-Path -LiteralPath $script:ExamplePath).ProviderPath
            $script:ExampleDocs[0].SourceLine | Should -Be 1
            $script:ExampleDocs[-1].SourceLine | Should -Be $script:ExampleDocs.Count
        }

        It 'holds several scopes and tiers and some crystallized docs' {
            @($script:ExampleDocs.Scope | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 4
            $script:ExampleDocs.Tier | Should -Contain 'Working'
            $script:ExampleDocs.Tier | Should -Contain 'Archive'
            @($script:ExampleDocs | Where-Object { $_.Tags -contains 'crystallized' }).Count | Should -BeGreaterThan 0
        }

        It 'takes the path by position' {
            @(Import-MemoryExport $script:ExamplePath).Count | Should -Be $script:ExampleDocs.Count
        }
    }

    Context 'Fields of a SkillForge export' {
        BeforeAll {
            $path = Write-TestFile -Path (Join-Path $TestDrive 'fields.jsonl') -Content $script:ThreeLines
            $script:FieldDocs = @(Import-MemoryExport -Path $path)
        }

        It 'maps every field' {
            $doc = $script:FieldDocs[0]
            $doc.Id | Should -Be 'm1'
            $doc.Text | Should -Be 'Deploys run from the release branch.'
            $doc.Tier | Should -Be 'Core'
            $doc.Scope | Should -Be 'project:billing-api'
            $doc.Tags | Should -Be @('ops')
            $doc.Kind | Should -Be 'fact'
            $doc.AccessCount | Should -Be 12
        }

        It 'reads comma-separated tags and a numeric string access count' {
            $script:FieldDocs[1].Tags | Should -Be @('style', 'reviews')
            $script:FieldDocs[1].AccessCount | Should -Be 3
        }

        It 'gives a record without tier the tier Core and without scope the empty scope' {
            $script:FieldDocs[2].Tier | Should -Be 'Core'
            $script:FieldDocs[2].Scope | Should -Be ''
        }

        It 'finds <Name> in any naming style' -ForEach @(
            @{ Name = 'access_count'; Field = 'access_count' }
            @{ Name = 'accessCount'; Field = 'accessCount' }
            @{ Name = 'AccessCount'; Field = 'AccessCount' }
        ) {
            $path = Write-TestFile -Path (Join-Path $TestDrive "case-$Field.jsonl") -Content "{`"id`":`"a`",`"text`":`"t`",`"$Field`":7}`n"
            (Import-MemoryExport -LiteralPath $path).AccessCount | Should -Be 7
        }
    }

    Context 'Layout <Name>' -ForEach @(
        @{ Name = 'JSON Lines'; File = 'layout.jsonl'; Content = '{"id":"a","text":"one"}' + "`r`n" + '{"id":"b","text":"two"}' + "`r`n"; Lines = @(1, 2) }
        @{ Name = 'JSON array'; File = 'layout.json'; Content = "[`n  {`"id`": `"a`", `"text`": `"one`"},`n  {`n    `"id`": `"b`",`n    `"text`": `"two`"`n  }`n]`n"; Lines = @(2, 3) }
        @{ Name = 'wrapper object'; File = 'wrapper.json'; Content = "{`n  `"version`": 1,`n  `"memories`": [`n    {`"id`": `"a`", `"text`": `"one`"},`n    {`"id`": `"b`", `"text`": `"two`"}`n  ]`n}`n"; Lines = @(4, 5) }
    ) {
        It 'reads both records with the line each starts on' {
            $path = Write-TestFile -Path (Join-Path $TestDrive $File) -Content $Content
            $docs = @(Import-MemoryExport -Path $path -ErrorVariable errs)
            $errs | Should -BeNullOrEmpty
            $docs.Id | Should -Be @('a', 'b')
            $docs.SourceLine | Should -Be $Lines
        }
    }

    Context 'Gzip-compressed exports' {
        It 'decompresses <Name>' -ForEach @(
            @{ Name = 'a .jsonl.gz file'; File = 'memories.jsonl.gz' }
            @{ Name = 'a gzip file without a .gz name'; File = 'compressed.jsonl' }
        ) {
            $path = Write-GzipFile -Path (Join-Path $TestDrive $File) -Content $script:ThreeLines
            $docs = @(Import-MemoryExport -Path $path -ErrorVariable errs)
            $errs | Should -BeNullOrEmpty
            $docs.Id | Should -Be @('m1', 'm2', 'm3')
        }
    }

    Context 'Pipeline input' {
        BeforeAll {
            $script:PipeDir = Join-Path $TestDrive 'pipe'
            New-Item -ItemType Directory -Path $script:PipeDir | Out-Null
            $script:PipeA = Write-TestFile -Path (Join-Path $script:PipeDir 'a.jsonl') -Content '{"id":"a1","text":"first file"}'
            $script:PipeB = Write-TestFile -Path (Join-Path $script:PipeDir 'b.jsonl') -Content '{"id":"b1","text":"second file"}'
            $script:Bracketed = Write-TestFile -Path (Join-Path $script:PipeDir 'export[1].jsonl') -Content '{"id":"x1","text":"bracketed name"}'
        }

        It 'binds Get-ChildItem output by FullName/PSPath, names with brackets included' {
            $docs = @(Get-ChildItem -LiteralPath $script:PipeDir -File | Import-MemoryExport -ErrorVariable errs)
            $errs | Should -BeNullOrEmpty
            $docs.Id | Sort-Object | Should -Be @('a1', 'b1', 'x1')
        }

        It 'binds a string from the pipeline to -Path' {
            (@($script:PipeA | Import-MemoryExport)).Id | Should -Be @('a1')
        }

        It 'binds the <Property> property of <Source> objects' -ForEach @(
            @{ Property = 'Path'; Source = 'pscustomobject' }
            @{ Property = 'FullName'; Source = 'pscustomobject' }
            @{ Property = 'PSPath'; Source = 'pscustomobject' }
            @{ Property = 'Path'; Source = 'ConvertFrom-Json' }
            @{ Property = 'FullName'; Source = 'ConvertFrom-Json' }
        ) {
            $object = [pscustomobject]@{ $Property = $script:PipeB }
            if ($Source -eq 'ConvertFrom-Json') { $object = $object | ConvertTo-Json | ConvertFrom-Json }
            (@($object | Import-MemoryExport)).Id | Should -Be @('b1')
        }

        It 'expands wildcards in -Path' {
            $docs = @(Import-MemoryExport -Path (Join-Path $script:PipeDir '?.jsonl'))
            $docs.Id | Sort-Object | Should -Be @('a1', 'b1')
        }

        It 'reads a name with brackets through -LiteralPath' {
            (@(Import-MemoryExport -LiteralPath $script:Bracketed)).Id | Should -Be @('x1')
        }

        It 'reads several paths in one call' {
            (@(Import-MemoryExport -Path $script:PipeA, $script:PipeB)).Id | Should -Be @('a1', 'b1')
        }
    }

    Context 'Bad records' {
        BeforeAll {
            $script:BadPath = Write-TestFile -Path (Join-Path $TestDrive 'bad.jsonl') -Content (@(
                    '{"id":"a","text":"good one"}'
                    '{"id":"b","text":"missing brace"'
                    '{"id":"c","text":"good two"}'
                    '{"text":"no id"}'
                    '{"id":"e","text":"good three"}'
                ) -join "`n")
        }

        It 'reports each bad line as InvalidRecord and still imports the others' {
            $docs = @(Import-MemoryExport -Path $script:BadPath -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Id | Should -Be @('a', 'c', 'e')
            $errs.Count | Should -Be 2
            $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "SkillForge.Import.InvalidRecord$script:Fqid" }
            $errs | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'InvalidData' }
            $errs[0].ErrorDetails.Message | Should -BeLike "*line 2*"
            $errs[0].ErrorDetails.Message | Should -BeLike "*bad.jsonl*"
            $errs[1].ErrorDetails.Message | Should -BeLike "*line 4*no id*"
        }

        It 'stops at the first bad record with -ErrorAction Stop, and says the rest was not imported' {
            { Import-MemoryExport -Path $script:BadPath -ErrorAction Stop } |
                Should -Throw -ErrorId "SkillForge.Import.InvalidRecord$script:Fqid"
            try { Import-MemoryExport -Path $script:BadPath -ErrorAction Stop } catch { $stopped = $_ }
            $stopped.Exception.Message | Should -Not -BeLike '*the other records were imported*'
            $stopped.Exception.Message | Should -BeLike '*the import stopped there (-ErrorAction Stop)*'
            $stopped.ErrorDetails.RecommendedAction | Should -BeLike '*stopped there*'
            # Without Stop the import goes on, and the message says so.
            $null = Import-MemoryExport -Path $script:BadPath -ErrorVariable goesOn -ErrorAction SilentlyContinue
            $goesOn[0].Exception.Message | Should -BeLike '*the other * were imported*'
        }

        It 'reports a record that is not an object' {
            $path = Write-TestFile -Path (Join-Path $TestDrive 'scalar.jsonl') -Content "`"just text`"`n{`"id`":`"a`",`"text`":`"t`"}`n"
            $docs = @(Import-MemoryExport -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Id | Should -Be @('a')
            $errs[0].FullyQualifiedErrorId | Should -Be "SkillForge.Import.InvalidRecord$script:Fqid"
        }
    }

    Context 'A trace given instead of an export' {
        It 'is an error that names Import-Trace, and imports nothing' {
            $docs = @(Import-MemoryExport (Join-Path $ExamplesPath 'trace.jsonl') -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Count | Should -Be 0
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "SkillForge.Import.IsTrace$script:Fqid"
            $errs[0].Exception.Message | Should -BeLike '*is a trace*Import-Trace*'
        }
    }

    Context 'Default view' {
        It 'never cuts an id or a scope at 120 columns; the text takes what is left' {
            $id = 'mem0-7024ae60cffa98b1c2d3e4f5a6b7c8d9'
            $path = Write-TestFile -Path (Join-Path $TestDrive 'long-ids.jsonl') -Content (
                "{`"id`":`"$id`",`"text`":`"$('A long memory text. ' * 20)`",`"scope`":`"project:billing-api-eu-west`"}")
            $table = Import-MemoryExport $path | Out-String -Width 120
            $table | Should -BeLike "*$id*"
            $table | Should -BeLike '*project:billing-api-eu-west*'
            ($table -split "`n" | Where-Object { $_ -like "$id*" }) | Should -BeLike '*…'
            ($table -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 120
        }
    }

    Context 'Files that cannot be imported' {
        It 'reports a missing file through <Parameter> as FileNotFound' -ForEach @(
            @{ Parameter = 'Path' }
            @{ Parameter = 'LiteralPath' }
        ) {
            $params = @{ $Parameter = (Join-Path $TestDrive 'missing.jsonl') }
            $docs = @(Import-MemoryExport @params -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "SkillForge.Io.FileNotFound$script:Fqid"
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'goes on with the next file after a missing one' {
            $good = Write-TestFile -Path (Join-Path $TestDrive 'good.jsonl') -Content '{"id":"g","text":"t"}'
            $docs = @(Import-MemoryExport -Path (Join-Path $TestDrive 'absent.jsonl'), $good -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs.Id | Should -Be @('g')
            $errs.Count | Should -Be 1
        }

        It 'refuses a binary file with one clear error and no docs' {
            $path = Join-Path $TestDrive 'image.jsonl'
            $bytes = [byte[]]::new(4096)
            [System.Random]::new(42).NextBytes($bytes)
            $bytes[0] = 0x89; $bytes[1] = 0x50; $bytes[2] = 0
            [System.IO.File]::WriteAllBytes($path, $bytes)
            $docs = @(Import-MemoryExport -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue)
            $docs | Should -BeNullOrEmpty
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be "SkillForge.Import.UnknownFormat$script:Fqid"
            $errs[0].ErrorDetails.Message | Should -BeLike '*binary*'
        }

        It 'refuses a binary file read as -Format SkillForge' {
            $path = Join-Path $TestDrive 'image2.jsonl'
            [System.IO.File]::WriteAllBytes($path, [byte[]](0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0x02, 0x03))
            $null = Import-MemoryExport -Path $path -Format SkillForge -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be "SkillForge.Import.InvalidJson$script:Fqid"
        }

        It 'warns about an empty file and writes nothing' {
            $path = Write-TestFile -Path (Join-Path $TestDrive 'empty.jsonl') -Content ''
            $docs = @(Import-MemoryExport -Path $path -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errs)
            $docs | Should -BeNullOrEmpty
            $errs | Should -BeNullOrEmpty
            $warnings.Count | Should -Be 1
        }

        It 'reports a folder as FileUnreadable' {
            $null = Import-MemoryExport -LiteralPath $TestDrive -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be "SkillForge.Io.FileUnreadable$script:Fqid"
        }

        It 'names the formats it tried for JSON it does not recognise' {
            $path = Write-TestFile -Path (Join-Path $TestDrive 'other.json') -Content '{"conv_0": [{"question": "q"}]}'
            $null = Import-MemoryExport -Path $path -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].FullyQualifiedErrorId | Should -Be "SkillForge.Import.UnknownFormat$script:Fqid"
            $errs[0].ErrorDetails.Message | Should -BeLike '*Letta, Mem0, SkillRL, Reflexion, SkillForge*'
        }
    }

    Context 'Parameters' {
        It 'defaults -Format to Auto and accepts SkillForge' {
            $path = Write-TestFile -Path (Join-Path $TestDrive 'fmt.jsonl') -Content '{"id":"f","text":"t"}'
            (Import-MemoryExport -Path $path -Format SkillForge).Id | Should -Be 'f'
            (Get-Command Import-MemoryExport).Parameters['Format'].ParameterType.FullName | Should -Be 'SkillForge.Import.MemoryFormat'
        }

        It 'declares SkillForge.MemoryDoc as its output type' {
            (Get-Command Import-MemoryExport).OutputType.Name | Should -Contain 'SkillForge.MemoryDoc'
        }

        It 'gives -LiteralPath the aliases PSPath, FullName and LP' {
            $aliases = (Get-Command Import-MemoryExport).Parameters['LiteralPath'].Aliases
            $aliases | Should -Contain 'PSPath'
            $aliases | Should -Contain 'FullName'
            $aliases | Should -Contain 'LP'
        }
    }
}

BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Test-SkillMarkdown' {
    BeforeAll {
        # $Text is untyped on purpose: a [string] parameter turns $null into '' and would write an empty SKILL.md.
        function New-SkillFolder([string] $Root, [string] $Folder, $Text) {
            $dir = Join-Path $Root $Folder
            [System.IO.Directory]::CreateDirectory($dir) | Out-Null
            if ($null -ne $Text) { [System.IO.File]::WriteAllText((Join-Path $dir 'SKILL.md'), $Text) }
            $dir
        }
        $script:Valid = "---`nname: web-search`ndescription: Searches the web. Use when a fact is missing.`n---`n`n# Web search`n`n1. Search.`n"
    }

    Context 'Checking text' {
        It 'returns a valid result for a minimal skill' {
            $result = Test-SkillMarkdown -Content $script:Valid
            $result | Should -BeOfType SkillForge.SkillValidationResult
            $result.IsValid | Should -BeTrue
            $result.Name | Should -Be 'web-search'
            $result.Content | Should -Be $script:Valid
            $result.Diagnostics | Should -HaveCount 0
        }

        It 'binds strings from the pipeline to -Content' {
            $results = @($script:Valid, "no frontmatter") | Test-SkillMarkdown
            $results | Should -HaveCount 2
            $results[0].IsValid | Should -BeTrue
            $results[1].IsValid | Should -BeFalse
            $results[1].Diagnostics[0].Code | Should -Be 'SF1001'
        }

        It 'reports <Code> on line <Line>' -ForEach @(
            @{ Text = "`n---`nname: web`ndescription: d`n---`nbody`n"; Code = 'SF1002'; Line = 1 }
            @{ Text = "---`nname: web`ndescription: d`nbody`n"; Code = 'SF1003'; Line = 1 }
            @{ Text = "---`nname: web`ndescription: d`ndescription: e`n---`nbody`n"; Code = 'SF1006'; Line = 4 }
            @{ Text = "---`nname: &a web`ndescription: *a`n---`nbody`n"; Code = 'SF1007'; Line = 2 }
            @{ Text = "---`nname: My_Skill`ndescription: d`n---`nbody`n"; Code = 'SF2004'; Line = 2 }
            @{ Text = "---`nname: web--x`ndescription: d`n---`nbody`n"; Code = 'SF2006'; Line = 2 }
            @{ Text = "---`nname: web`n---`nbody`n"; Code = 'SF3001'; Line = 1 }
            @{ Text = "---`nname: web`ndescription: d`nauthor: me`n---`nbody`n"; Code = 'SF4001'; Line = 4 }
            @{ Text = "---`nname: web`ndescription: d`nmetadata:`n  a: [1, 2]`n---`nbody`n"; Code = 'SF4005'; Line = 5 }
        ) {
            $result = Test-SkillMarkdown -Content $Text
            $result.IsValid | Should -BeFalse
            $diagnostic = $result.Diagnostics | Where-Object Code -EQ $Code | Select-Object -First 1
            $diagnostic | Should -Not -BeNullOrEmpty
            $diagnostic.Line | Should -Be $Line
            $diagnostic.Severity | Should -Be 'Error'
        }

        It 'reports every problem, not only the first' {
            $result = Test-SkillMarkdown -Content "---`nname: Bad--Name-`ndescription:`nfoo: 1`n---`nbody`n"
            $codes = $result.Diagnostics.Code
            $codes | Should -Contain 'SF2004'
            $codes | Should -Contain 'SF2005'
            $codes | Should -Contain 'SF2006'
            $codes | Should -Contain 'SF3001'
            $codes | Should -Contain 'SF4001'
        }

        It 'reads metadata 1.0 as text and accepts it' {
            (Test-SkillMarkdown -Content "---`nname: web`ndescription: d`nmetadata:`n  version: 1.0`n---`nbody`n").IsValid | Should -BeTrue
        }

        It 'treats runtime extensions as warnings, and -Strict as errors' {
            $text = "---`nname: web`ndescription: d`nuser-invocable: true`n---`nbody`n"
            $loose = Test-SkillMarkdown -Content $text
            $loose.IsValid | Should -BeTrue
            $loose.Diagnostics[0].Code | Should -Be 'SF5005'
            $loose.Diagnostics[0].Severity | Should -Be 'Warning'
            (Test-SkillMarkdown -Content $text -Strict).IsValid | Should -BeFalse
        }

        It 'counts an emoji as one character' {
            $emoji = [char]::ConvertFromUtf32(0x1F600) * 1024
            (Test-SkillMarkdown -Content "---`nname: web`ndescription: $emoji`n---`nbody`n").IsValid | Should -BeTrue
        }

        It 'accepts CRLF and a byte-order mark' {
            $text = "$([char]0xFEFF)---`r`nname: web`r`ndescription: d`r`n---`r`nbody`r`n"
            (Test-SkillMarkdown -Content $text).IsValid | Should -BeTrue
        }
    }

    Context 'Checking files and folders' {
        BeforeAll {
            $script:Library = Join-Path $TestDrive 'skills'
            New-SkillFolder $script:Library 'web-search' $script:Valid | Out-Null
            New-SkillFolder $script:Library 'wrong-folder' $script:Valid | Out-Null
            New-SkillFolder $script:Library 'no-skill-file' $null | Out-Null
        }

        It 'takes a piped string that names an existing file or folder as a path' {
            Push-Location -LiteralPath $script:Library
            try {
                $file = './web-search/SKILL.md' | Test-SkillMarkdown
                $folder = './web-search' | Test-SkillMarkdown
            }
            finally { Pop-Location }
            $file.IsValid | Should -BeTrue
            $file.Path | Should -Be (Join-Path $script:Library 'web-search/SKILL.md')
            $folder.Path | Should -Be $file.Path
            # A string that names nothing is text, as before.
            ('./no/such/SKILL.md' | Test-SkillMarkdown).Diagnostics[0].Code | Should -Be 'SF1001'
        }

        It 'audits a library from Get-ChildItem -Directory, listing folders without SKILL.md' {
            $results = Get-ChildItem $script:Library -Directory | Test-SkillMarkdown
            $results | Should -HaveCount 3
            ($results | Where-Object IsValid).Path | Should -Be (Join-Path $script:Library 'web-search' 'SKILL.md')
            ($results | Where-Object { $_.Diagnostics.Code -contains 'SF2007' }).Path | Should -Be (Join-Path $script:Library 'wrong-folder' 'SKILL.md')
            ($results | Where-Object { $_.Diagnostics.Code -contains 'SF1011' }).Path | Should -Be (Join-Path $script:Library 'no-skill-file')
        }

        It 'skips the crystallization ledger folder (.skillforge), which is visible on Windows' {
            $ledgerFolder = Join-Path $TestDrive 'with-ledger' '.skillforge'
            [System.IO.Directory]::CreateDirectory($ledgerFolder) | Out-Null
            [System.IO.File]::WriteAllText((Join-Path $ledgerFolder 'ledger.json'), '{"version":1,"entries":[]}')
            $results = @(Test-SkillMarkdown -LiteralPath $ledgerFolder -ErrorVariable errs)
            $results | Should -HaveCount 0
            $errs | Should -HaveCount 0
        }

        It 'binds FileInfo objects from Get-ChildItem -File' {
            $results = Get-ChildItem $script:Library -Recurse -Filter SKILL.md | Test-SkillMarkdown
            $results | Should -HaveCount 2
        }

        It 'expands wildcards in -Path' {
            $results = Test-SkillMarkdown -Path (Join-Path $script:Library '*')
            $results | Should -HaveCount 3
        }

        It 'takes -LiteralPath as typed' {
            $dir = New-SkillFolder $TestDrive 'lit[1]' "---`nname: lit`ndescription: d`n---`nbody`n"
            $result = Test-SkillMarkdown -LiteralPath (Join-Path $dir 'SKILL.md')
            $result.Diagnostics.Code | Should -Contain 'SF2007'
        }

        It 'reports invalid UTF-8 as a diagnostic, not an exception' {
            $dir = Join-Path $TestDrive 'bad-utf8'
            New-Item -ItemType Directory -Path $dir | Out-Null
            [System.IO.File]::WriteAllBytes((Join-Path $dir 'SKILL.md'), [byte[]](0x2D, 0x2D, 0x2D, 0x0A, 0xC3, 0x28, 0x0A))
            $result = Test-SkillMarkdown -LiteralPath $dir -ErrorAction Stop
            $result.IsValid | Should -BeFalse
            $result.Diagnostics[0].Code | Should -Be 'SF1010'
        }

        It 'writes SkillForge.Io.FileNotFound for a path that does not exist' {
            $result = Test-SkillMarkdown -Path (Join-Path $TestDrive 'missing') -ErrorVariable err -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Io.FileNotFound,SkillForge.Commands.TestSkillMarkdownCommand'
        }
    }

    Context '-Quiet' {
        It 'returns one $true when every input is valid' {
            $result = @($script:Valid, $script:Valid) | Test-SkillMarkdown -Quiet
            $result | Should -BeOfType bool
            $result | Should -HaveCount 1
            $result | Should -BeTrue
        }

        It 'returns $false when any input is invalid' {
            @($script:Valid, 'nope') | Test-SkillMarkdown -Quiet | Should -BeFalse
        }

        It 'returns $false when a path does not exist' {
            Test-SkillMarkdown -Path (Join-Path $TestDrive 'missing') -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
        }

        It 'with -Strict, fails on warnings' {
            "---`nname: web`ndescription: d`n---`n" | Test-SkillMarkdown -Quiet | Should -BeTrue
            "---`nname: web`ndescription: d`n---`n" | Test-SkillMarkdown -Quiet -Strict | Should -BeFalse
        }
    }
}

BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'Export-Skill' {
    BeforeAll {
        function New-SkillText([string] $Name, [string] $Body = "`n# Body`n`nDo it.`n") {
            "---`nname: $Name`ndescription: Does things. Use when needed.`n---`n$Body"
        }
    }

    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    Context 'Writing' {
        It 'writes SKILL.md in a folder named after the skill under -Path, and creates the root' {
            $file = New-SkillText 'web-search' | Export-Skill -Path $root
            $file | Should -BeOfType SkillForge.SkillFile
            $file.Name | Should -BeExactly 'web-search'
            $file.Status | Should -Be 'Written'
            $file.Path | Should -Be (Join-Path $root 'web-search' 'SKILL.md')
            Test-Path -LiteralPath $file.Path | Should -BeTrue
            (Test-SkillMarkdown -LiteralPath $file.Path).IsValid | Should -BeTrue
        }

        It 'takes -Content' {
            $file = Export-Skill -Path $root -Content (New-SkillText 'from-content')
            $file.Name | Should -BeExactly 'from-content'
        }

        It 'records provenance from parameters in metadata' {
            $file = Export-Skill -Path $root -Content (New-SkillText 'prov') -SourceId 'm1', 'm2' -Fingerprint 'abc' -Model 'gpt-4.1-mini'
            $file.SourceIds | Should -Be @('m1', 'm2')
            $file.Fingerprint | Should -BeExactly 'abc'
            $file.Model | Should -BeExactly 'gpt-4.1-mini'
            $text = Get-Content -LiteralPath $file.Path -Raw
            $text | Should -Match 'skillforge-source-ids: m1,m2'
            $text | Should -Match 'skillforge-created: "?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'
            $text | Should -Match '(?s)---\n\n# Body\n\nDo it\.\n$'
        }

        It 'writes a SkillValidationResult''s Content' {
            $file = Test-SkillMarkdown -Content (New-SkillText 'checked') | Export-Skill -Path $root
            $file.Name | Should -BeExactly 'checked'
        }

        It 'writes an object with a Text property, with its provenance' {
            $file = [pscustomobject]@{ Text = (New-SkillText 'texty'); SourceIds = @('a', 'b'); Fingerprint = 'fp'; Model = 'm' } | Export-Skill -Path $root
            $file.SourceIds | Should -Be @('a', 'b')
            $file.Fingerprint | Should -BeExactly 'fp'
        }

        It 'writes a skill from a pscustomobject through ConvertTo-SkillMarkdown' {
            $file = [pscustomobject]@{ name = 'x'; description = 'y'; when_to_apply = 'z' } | ConvertTo-SkillMarkdown | Export-Skill -Path $root
            $file.Path | Should -Be (Join-Path $root 'x' 'SKILL.md')
        }

        It 'goes on after a bad item and writes the good ones' {
            $files = @((New-SkillText 'good-one'), 'not a skill', (New-SkillText 'good-two')) |
                Export-Skill -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
            $files | Should -HaveCount 2
            $err | Should -HaveCount 1
        }
    }

    Context 'Collisions' {
        It 'suffixes -2, -3 and rewrites the name to match the folder' {
            $files = 1..3 | ForEach-Object { New-SkillText 'web' "`nversion $_`n" } | Export-Skill -Path $root
            $files.Name | Should -Be @('web', 'web-2', 'web-3')
            $results = Get-ChildItem $root -Directory | Test-SkillMarkdown
            $results.IsValid | Should -Not -Contain $false
        }

        It 'skips a skill that is already there when the export runs again' {
            $first = New-SkillText 'web' | Export-Skill -Path $root -SourceId 'm1'
            $again = New-SkillText 'web' | Export-Skill -Path $root -SourceId 'm1'
            $again.Status | Should -Be 'Skipped'
            $again.Path | Should -Be $first.Path
            $again.SourceIds | Should -Be @('m1')
            Get-ChildItem $root -Directory | Should -HaveCount 1
        }

        It 'replaces with -Force' {
            New-SkillText 'web' "`nold`n" | Export-Skill -Path $root | Out-Null
            $file = New-SkillText 'web' "`nnew`n" | Export-Skill -Path $root -Force
            $file.Status | Should -Be 'Replaced'
            Get-Content -LiteralPath $file.Path -Raw | Should -Match 'new'
            Get-ChildItem $root -Directory | Should -HaveCount 1
        }

        It 'fails the 100th copy of one name with SkillForge.Skill.TooManyCollisions' {
            $texts = 1..100 | ForEach-Object { New-SkillText 'busy' "`nversion $_`n" }
            $files = $texts | Export-Skill -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
            $files | Should -HaveCount 99
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Skill.TooManyCollisions,SkillForge.Commands.ExportSkillCommand'
        }
    }

    Context '-WhatIf' {
        It 'writes nothing, not even the root' {
            $out = New-SkillText 'web' | Export-Skill -Path $root -WhatIf
            $out | Should -BeNullOrEmpty
            Test-Path -LiteralPath $root | Should -BeFalse
        }

        It 'still reports invalid skills' {
            'not a skill' | Export-Skill -Path $root -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Skill.Invalid,SkillForge.Commands.ExportSkillCommand'
        }
    }

    Context 'Errors' {
        It 'rejects an invalid skill with SkillForge.Skill.Invalid and writes nothing' {
            "---`nname: web`n---`nbody" | Export-Skill -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Skill.Invalid,SkillForge.Commands.ExportSkillCommand'
            $err[0].Exception.Message | Should -Match 'SF3001'
            Test-Path -LiteralPath (Join-Path $root 'web') | Should -BeFalse
        }

        It "rejects the name '<Name>' with SkillForge.Skill.InvalidName" -ForEach @(
            @{ Name = '../x' }
            @{ Name = '../../etc' }
            @{ Name = "'..\x'" }
            @{ Name = 'My_Skill' }
            @{ Name = "''" }
        ) {
            New-SkillText $Name | Export-Skill -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Skill.InvalidName,SkillForge.Commands.ExportSkillCommand'
            Test-Path -LiteralPath $root | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $TestDrive 'x') | Should -BeFalse
        }

        It 'stops a script with -ErrorAction Stop' {
            { 'not a skill' | Export-Skill -Path $root -ErrorAction Stop } | Should -Throw -ErrorId 'SkillForge.Skill.Invalid,SkillForge.Commands.ExportSkillCommand'
        }

        It 'rejects input it cannot read with SkillForge.Skill.UnsupportedInput' {
            42 | Export-Skill -Path $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Skill.UnsupportedInput,SkillForge.Commands.ExportSkillCommand'
        }

        It 'leaves no temporary file behind' {
            New-SkillText 'clean' | Export-Skill -Path $root | Out-Null
            Get-ChildItem $root -Recurse -Force -Filter '*.tmp' | Should -BeNullOrEmpty
        }
    }
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    function New-Skill([string] $Library, [string] $Folder, [string] $Name) {
        $dir = Join-Path $Library $Folder
        $null = New-Item -ItemType Directory -Path $dir -Force
        Set-Content -LiteralPath (Join-Path $dir 'SKILL.md') -Value "---`nname: $Name`ndescription: Does $Name. Use when testing.`n---`n`n# $Name`n"
    }
}

Describe 'Test-SkillMarkdown auditing a library' {
    It 'fails folders that only look like their skill''s name (fullwidth letters, ligatures)' {
        $lib = Join-Path $TestDrive 'look-alike'
        New-Skill $lib 'deploy' 'deploy'
        New-Skill $lib ([string]::new([char[]](0xFF44, 0xFF45, 0xFF50, 0xFF4C, 0xFF4F, 0xFF59))) 'deploy'
        New-Skill $lib 'file' 'file'
        New-Skill $lib ([string][char]0xFB01 + 'le') 'file'
        $results = @(Get-ChildItem -LiteralPath $lib -Directory | Test-SkillMarkdown)
        $results.Count | Should -Be 4
        @($results | Where-Object IsValid).Count | Should -Be 2
        foreach ($bad in $results | Where-Object { -not $_.IsValid }) {
            $bad.Diagnostics.Code | Should -Contain 'SF2007'
            ($bad.Diagnostics | Where-Object Code -eq 'SF2007').Message | Should -Match 'only looks the same'
        }
        Get-ChildItem -LiteralPath $lib -Directory | Test-SkillMarkdown -Quiet | Should -BeFalse
    }

    It 'fails a second skill of the same name in one library' {
        $lib = Join-Path $TestDrive 'duplicate'
        New-Skill $lib 'deploy' 'deploy'
        $copy = Join-Path $lib 'copy/SKILL.md'
        $null = New-Item -ItemType Directory -Path (Split-Path $copy)
        Copy-Item -LiteralPath (Join-Path $lib 'deploy/SKILL.md') -Destination $copy
        $results = @(Test-SkillMarkdown -LiteralPath (Join-Path $lib 'deploy/SKILL.md'), $copy, (Join-Path $lib 'deploy'))
        $results[0].IsValid | Should -BeTrue
        $results[1].Diagnostics.Code | Should -Contain 'SF2008'
        ($results[1].Diagnostics | Where-Object Code -eq 'SF2008').Message | Should -Match "Another skill in .* has the name 'deploy'"
        # The same skill checked again through its folder is not a second skill.
        $results[2].Diagnostics.Code | Should -Not -Contain 'SF2008'
    }

    It 'audits a library whose SKILL.md links to /dev/zero: an error for it, the other skills checked' -Skip:($IsWindows) {
        $lib = Join-Path $TestDrive 'zero-lib'
        $null = New-Item -ItemType Directory -Path (Join-Path $lib 'zero'), (Join-Path $lib 'good')
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $lib 'zero/SKILL.md') -Target /dev/zero
        Set-Content -LiteralPath (Join-Path $lib 'good/SKILL.md') -Value "---`nname: good`ndescription: Good. Use when testing.`n---`n`n# Good`n"
        $results = @(Get-ChildItem -LiteralPath $lib -Directory | Test-SkillMarkdown)
        $results.Count | Should -Be 2
        ($results | Where-Object Name -eq 'good').IsValid | Should -BeTrue
        $bad = $results | Where-Object Path -like '*zero-lib/zero/*'
        $bad.IsValid | Should -BeFalse
        $bad.Diagnostics[0].Message | Should -Match 'is a device, not a regular file'
    }

}

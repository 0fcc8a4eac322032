# Module-wide checks through real PowerShell: the manifest imports, every exported cmdlet has full help,
# every output type has its table view. The xunit module contract test checks the same without PowerShell.
BeforeDiscovery {
    # The built manifest when there is one; else the source manifest (the same list), so that discovery never fails
    # and an unbuilt module is reported once, by TestSetup.ps1 in BeforeAll.
    $manifest = if ($env:SKILLFORGE_MODULE) { $env:SKILLFORGE_MODULE } else { Join-Path $PSScriptRoot '../out/SkillForge/SkillForge.psd1' }
    if (-not (Test-Path -LiteralPath $manifest)) { $manifest = Join-Path $PSScriptRoot '../SkillForge.psd1' }
    $CommandCases = @((Import-PowerShellDataFile -LiteralPath $manifest).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters +
        [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'SkillForge module' {
    Context 'Manifest' {
        It 'passes Test-ModuleManifest' {
            { Test-ModuleManifest -Path $script:ModuleManifest -ErrorAction Stop } | Should -Not -Throw
        }

        It 'exports exactly the cmdlets the manifest lists' {
            $listed = (Import-PowerShellDataFile -LiteralPath $script:ModuleManifest).CmdletsToExport | Sort-Object
            $exported = (Get-Command -Module SkillForge -CommandType Cmdlet).Name | Sort-Object
            $exported | Should -Be $listed
        }

        It 'loads its dependencies into a private load context, not the default one' {
            # Validation parses YAML, so YamlDotNet is loaded after this.
            $null = Test-SkillMarkdown -Content "---`nname: demo`ndescription: Shows the load context.`n---`nBody.`n"
            $yaml = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'YamlDotNet' })
            $yaml.Count | Should -BeGreaterThan 0
            foreach ($assembly in $yaml) {
                [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name | Should -Be 'SkillForge.Dependencies'
            }
        }
    }

    Context 'Help as Get-Help shows it' {
        It 'has about_SkillForge' {
            $about = Get-Help about_SkillForge
            "$about" | Should -BeLike '*Invoke-SkillCrystallization*'
        }

        It 'gives each parameter the default its help states' {
            (Get-Help Invoke-SkillDistillation -Parameter SourceTokens).defaultValue | Should -Be '0'
            (Get-Help Find-MemoryCluster -Parameter MinSize).defaultValue | Should -Not -Be 'None'
            (Get-Help Invoke-SkillDistillation -Parameter Offline).defaultValue | Should -Be 'False'
        }

        It 'shows each item of a Markdown list as its own paragraph, without backticks' {
            $paragraphs = @((Get-Help ConvertFrom-SkillJson).Description.Text)
            @($paragraphs | Where-Object { $_ -match '^1\. ' }).Count | Should -Be 1
            @($paragraphs | Where-Object { $_ -match '^2\. ' }).Count | Should -Be 1
            ((Get-Help Invoke-SkillDistillation -Full | Out-String) -match '`') | Should -BeFalse -Because 'inline code marks are Markdown, not help text'
        }
    }

    Context 'Removing the module' {
        It 'forgets the session API key, so Import-Module starts clean' {
            Set-SkillForgeContext -ApiKey 'sk-remove-module-0000' -Model gpt-4.1-mini
            (Get-SkillForgeContext).KeySource | Should -Be 'context'
            Remove-Module SkillForge
            Import-Module $script:ModuleManifest -ErrorAction Stop
            $saved = $env:OPENAI_API_KEY
            try {
                $env:OPENAI_API_KEY = $null
                (Get-SkillForgeContext).KeySource | Should -Not -Be 'context'
                (Get-SkillForgeContext).MaskedKey | Should -Not -BeLike '*0000'
            }
            finally { $env:OPENAI_API_KEY = $saved }
        }
    }

    Context 'Another module loaded a different YamlDotNet first' {
        BeforeAll {
            # A module that carries its own YamlDotNet 99.0.0.0 (no type SkillForge uses), compiled here with the
            # Roslyn that PowerShell ships for Add-Type.
            $script:FakeModule = Join-Path $TestDrive 'FakeYaml'
            $null = New-Item -ItemType Directory -Path $script:FakeModule
            $out = Invoke-SkillForgeChild -NoImport @"
Add-Type -TypeDefinition 'public static class SkillForgeTestRoslynWarmUp { }'
`$source = '[assembly: System.Reflection.AssemblyVersion("99.0.0.0")] namespace YamlDotNet.Fake { public static class Marker { } }'
`$runtime = [System.IO.Path]::GetDirectoryName([object].Assembly.Location)
`$references = [Microsoft.CodeAnalysis.MetadataReference[]]@(
    [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile([object].Assembly.Location)
    [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile((Join-Path `$runtime 'System.Runtime.dll')))
`$compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('YamlDotNet',
    [Microsoft.CodeAnalysis.SyntaxTree[]]@([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText(`$source)), `$references,
    [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
`$stream = [System.IO.File]::Create('$script:FakeModule/YamlDotNet.dll')
try { if (-not `$compilation.Emit(`$stream).Success) { throw 'the fake YamlDotNet did not compile' } } finally { `$stream.Dispose() }
New-ModuleManifest -Path '$script:FakeModule/FakeYaml.psd1' -RequiredAssemblies 'YamlDotNet.dll' -ModuleVersion 1.0
'fake built'
"@
            $out | Should -Contain 'fake built'
        }

        It 'still uses its own copies: validates, writes YAML and keeps its types' {
            $out = Invoke-SkillForgeChild -NoImport @"
Import-Module '$script:FakeModule/FakeYaml.psd1' -ErrorAction Stop
'first: ' + ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { `$_.GetName().Version })
Import-Module '$($script:ModuleManifest)' -ErrorAction Stop
'valid: ' + (Test-SkillMarkdown -Content "---``nname: a-b``ndescription: Does a thing. Use when testing.``n---``n# A``n" -Quiet)
'yaml: ' + ([SkillForge.DistilledSkill]@{ Name = 'yaml-check'; Description = 'Checks: YAML quoting.'; Code = 'x' } | ConvertTo-SkillMarkdown).Contains("name: yaml-check")
'type: ' + ((Import-MemoryExport '$ExamplesPath/memories.jsonl' | Select-Object -First 1) -is [SkillForge.MemoryDoc])
"@
            $out | Should -Contain 'first: 99.0.0.0'
            $out | Should -Contain 'valid: True'
            $out | Should -Contain 'yaml: True'
            $out | Should -Contain 'type: True'
            ($out -join "`n") | Should -Not -BeLike '*Could not load*'
        }
    }

    Context 'Help for <Name>' -ForEach $CommandCases {
        BeforeAll {
            $script:Help = Get-Help -Name $Name -Full
            $script:Command = Get-Command -Name $Name
        }

        It 'has a synopsis' {
            $script:Help.Synopsis | Should -Not -BeNullOrEmpty
            $script:Help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name))"
        }

        It 'has a description' {
            ($script:Help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }

        It 'has at least one example with code' {
            @($script:Help.Examples.Example).Count | Should -BeGreaterThan 0
            $script:Help.Examples.Example[0].Code | Should -Not -BeNullOrEmpty
        }

        It 'describes every parameter' {
            $parameters = $script:Command.Parameters.Keys | Where-Object { $_ -notin $script:CommonParameters }
            foreach ($parameter in $parameters) {
                $entry = $script:Help.Parameters.Parameter | Where-Object Name -EQ $parameter
                ($entry.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help"
            }
        }

        It 'declares its output types' {
            $script:Command.OutputType | Should -Not -BeNullOrEmpty
        }

        It 'has a view for each SkillForge type it outputs' {
            $types = @($script:Command.OutputType.Name | Where-Object { $_ -like 'SkillForge.*' })
            foreach ($type in $types) {
                Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a view in SkillForge.format.ps1xml"
            }
        }

        It 'has its own Pester file' {
            Join-Path $script:RepoRoot "tests/$Name.Tests.ps1" | Should -Exist
        }
    }
}

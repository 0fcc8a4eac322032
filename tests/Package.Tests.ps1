# SkillForge as users get it: packed with Publish-PSResource by the script `build.ps1 Package` runs, installed by name
# from a local folder repository, imported by name in a fresh `pwsh -NoProfile`, then uninstalled. PSResourceGet
# runs in a private home under $TestDrive (build/Invoke-InPrivateHome.ps1), so nothing reaches the user's own
# repositories or modules, and the home goes with $TestDrive. No network: the repository is a folder.
BeforeDiscovery {
    # On Windows PSResourceGet's per-user folders do not follow HOME: the install would land among the user's modules.
    $NoPrivateHome = $IsWindows
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    $script:InPrivateHome = Join-Path $RepoRoot 'build/Invoke-InPrivateHome.ps1'
    $script:UserHome = Join-Path $TestDrive 'home'
    $script:Packages = Join-Path $TestDrive 'packages'
    $script:Layout = @(Get-Content -LiteralPath (Join-Path $RepoRoot 'build/ModuleLayout.txt') | ForEach-Object Trim | Where-Object { $_ })
    $script:Version = ([xml](Get-Content -Raw -LiteralPath (Join-Path $RepoRoot 'Directory.Build.props'))).Project.PropertyGroup.Version |
        Where-Object { $_ } | Select-Object -First 1

    # What the user's own PSResourceGet state is: compared after the run, which must leave it as it was.
    function Get-UserPSResourceState {
        $config = Join-Path ([Environment]::GetFolderPath('LocalApplicationData', 'DoNotVerify')) 'PSResourceGet/PSResourceRepository.xml'
        $modules = Join-Path $HOME '.local/share/powershell/Modules/SkillForge'
        [pscustomobject]@{
            Repositories = if (Test-Path -LiteralPath $config) { (Get-FileHash -LiteralPath $config).Hash } else { 'absent' }
            Modules      = if (Test-Path -LiteralPath $modules) { @(Get-ChildItem -LiteralPath $modules -Recurse -Force).FullName -join "`n" } else { 'absent' }
        }
    }
    $script:UserStateBefore = Get-UserPSResourceState
}

Describe 'SkillForge as a module package' -Tag PrivateHome -Skip:$NoPrivateHome {
    BeforeAll {
        # The module as built, beside a companion module that requires it (as SkillForge.LocalEmbeddings does), each
        # with its own layout; the companion's layout comes first, and packing puts it after SkillForge all the same.
        $modules = Join-Path $TestDrive 'modules'
        $companion = Join-Path $modules 'SkillForge.Companion'
        $null = New-Item -ItemType Directory -Force -Path $companion
        Copy-Item -LiteralPath (Split-Path -Parent $ModuleManifest) -Destination (Join-Path $modules 'SkillForge') -Recurse
        Set-Content -LiteralPath (Join-Path $companion 'SkillForge.Companion.psm1') -Value 'function Get-CompanionState { "ready" }'
        Set-Content -LiteralPath (Join-Path $companion 'SkillForge.Companion.psd1') -Value @"
@{
    RootModule        = 'SkillForge.Companion.psm1'
    ModuleVersion     = '$(($Version -split '-')[0])'
    GUID              = '$([guid]::NewGuid())'
    Author            = 'SkillForge contributors'
    Description       = 'A companion module that requires SkillForge.'
    RequiredModules   = @('SkillForge')
    FunctionsToExport = @('Get-CompanionState')
    CmdletsToExport   = @()
    AliasesToExport   = @()
    PrivateData       = @{ PSData = @{ Prerelease = '$(($Version -split '-', 2)[1])' } }
}
"@
        $companionLayout = Join-Path $TestDrive 'SkillForge.Companion.Layout.txt'
        Set-Content -LiteralPath $companionLayout -Value 'SkillForge.Companion.psd1', 'SkillForge.Companion.psm1'

        $script:Packed = @(& $InPrivateHome -HomePath $UserHome -ArgumentList (Join-Path $RepoRoot 'build/Publish-ModulePackage.ps1'), @{
                LayoutPath      = $companionLayout, (Join-Path $RepoRoot 'build/ModuleLayout.txt')
                ModuleRoot      = $modules
                DestinationPath = $Packages
                StagingPath     = Join-Path $TestDrive 'staging'
            } -ScriptBlock {
                param($Script, $Parameters)
                & $Script @Parameters
            })
        $script:SkillForgePackage = $Packed | Where-Object Name -EQ 'SkillForge'
        $script:CompanionPackage = $Packed | Where-Object Name -EQ 'SkillForge.Companion'

        # A user: register the folder as a repository, install SkillForge by name.
        $script:Installed = & $InPrivateHome -HomePath $UserHome -ArgumentList $Packages -ScriptBlock {
            param($Packages)
            $ErrorActionPreference = 'Stop'
            Register-PSResourceRepository -Name SkillForgeTest -Uri $Packages -Trusted
            Install-PSResource -Name SkillForge -Repository SkillForgeTest -Prerelease -Scope CurrentUser
            [pscustomobject]@{
                Resources     = @(Get-InstalledPSResource -Scope CurrentUser | ForEach-Object { "$($_.Name) $($_.Version)-$($_.Prerelease)" })
                UserModules   = Join-Path $HOME '.local/share/powershell/Modules'
                Dependencies  = @((Find-PSResource -Name SkillForge.Companion -Repository SkillForgeTest -Prerelease).Dependencies.Name)
                FoundByTag    = @(Find-PSResource -Tag 'SKILL.md', 'AgentSkills' -Repository SkillForgeTest -Prerelease | ForEach-Object Name)
            }
        }

        # Their next session: import by name, no path.
        $script:Session = & $InPrivateHome -HomePath $UserHome -ArgumentList $ExamplesPath, (Join-Path $TestDrive 'skills') -ScriptBlock {
            param($Examples, $SkillsPath)
            $ErrorActionPreference = 'Stop'
            Import-Module SkillForge
            $module = Get-Module SkillForge
            $tested = Test-ModuleManifest -Path (Join-Path $module.ModuleBase 'SkillForge.psd1')
            $clusters = @(Import-MemoryExport -Path (Join-Path $Examples 'memories.jsonl') | Find-MemoryCluster)
            $skills = @($clusters | New-DistillPrompt | Invoke-SkillDistillation -Offline | Export-Skill -Path $SkillsPath)
            [pscustomobject]@{
                ModuleBase       = $module.ModuleBase
                Version          = "$($module.Version)"
                Exported         = @((Get-Command -Module SkillForge).Name)
                Listed           = @($tested.ExportedCmdlets.Keys)
                Examples         = @((Get-Help Find-MemoryCluster -Examples).Examples.Example | ForEach-Object { "$($_.Code)" })
                Manifest         = $tested | Select-Object Name, Version, Description, Author, CompanyName, Copyright,
                    CompatiblePSEditions, PowerShellVersion, Tags, ProjectUri, LicenseUri, ReleaseNotes,
                    @{ Name = 'Prerelease'; Expression = { $_.PrivateData.PSData.Prerelease } }
                Clusters         = $clusters.Count
                Skills           = $skills.Count
                ValidSkills      = @(Get-ChildItem -LiteralPath $SkillsPath -Directory | Test-SkillMarkdown | Where-Object IsValid).Count
            }
        }

        # Remove it all again.
        $script:Removed = & $InPrivateHome -HomePath $UserHome -ScriptBlock {
            $ErrorActionPreference = 'Stop'
            Uninstall-PSResource -Name SkillForge -Scope CurrentUser -Prerelease
            Unregister-PSResourceRepository -Name SkillForgeTest
            $folder = Join-Path $HOME '.local/share/powershell/Modules'
            [pscustomobject]@{
                Resources    = @(Get-InstalledPSResource -Scope CurrentUser -ErrorAction SilentlyContinue | ForEach-Object Name)
                Repositories = @(Get-PSResourceRepository | ForEach-Object Name)
                ModuleFiles  = @(Get-ChildItem -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue | ForEach-Object FullName)
            }
        }
    }

    Context 'Packing' {
        It 'names the package by the version of Directory.Build.props' {
            $SkillForgePackage.Version | Should -Be $Version
            Split-Path -Leaf $SkillForgePackage.Path | Should -Be "SkillForge.$Version.nupkg"
        }

        It 'holds exactly the files of build/ModuleLayout.txt: no tests, pdbs or build leftovers' {
            Add-Type -AssemblyName System.IO.Compression.FileSystem
            $zip = [IO.Compression.ZipFile]::OpenRead($SkillForgePackage.Path)
            try { $entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
            # NuGet's own parts of any package: the nuspec, the relationships, the content types, the core properties.
            $moduleFiles = $entries | Where-Object { $_ -notmatch '^(_rels/|package/|\[Content_Types\]\.xml$|SkillForge\.nuspec$)' }
            @($moduleFiles | Sort-Object) | Should -Be @($Layout | Sort-Object)
            $SkillForgePackage.Files.Count | Should -Be $Layout.Count
        }

        It 'packs a companion module as a package of its own that requires SkillForge' {
            Split-Path -Leaf $CompanionPackage.Path | Should -Be "SkillForge.Companion.$Version.nupkg"
            $Installed.Dependencies | Should -Be 'SkillForge'
        }

        It 'is found by the tags users search for' {
            $Installed.FoundByTag | Should -Contain 'SkillForge'
        }
    }

    Context 'Installed by name' {
        It 'installs SkillForge, and not the companion, into the user''s module folder' {
            $Installed.Resources | Should -Be "SkillForge $(($Version -split '-')[0])-$(($Version -split '-', 2)[1])"
        }

        It 'imports by name in a fresh session, from the installed copy' {
            $Session.ModuleBase | Should -BeLike (Join-Path $Installed.UserModules 'SkillForge/*')
            $Session.Version | Should -Be ($Version -split '-')[0]
        }

        It 'exports the cmdlets its manifest lists' {
            @($Session.Exported | Sort-Object) | Should -Be @($Session.Listed | Sort-Object)
            $Session.Exported | Should -Contain 'Find-MemoryCluster'
        }

        It 'has the help examples of Find-MemoryCluster' {
            $Session.Examples.Count | Should -BeGreaterThan 0
            $Session.Examples -join "`n" | Should -Match 'Find-MemoryCluster'
        }

        It 'runs the offline memory flow on the bundled example' {
            $Session.Clusters | Should -BeGreaterThan 0
            $Session.Skills | Should -Be $Session.Clusters
            $Session.ValidSkills | Should -Be $Session.Skills
        }

        It 'passes Test-ModuleManifest with what a gallery shows' {
            $m = $Session.Manifest
            $m.Name | Should -Be 'SkillForge'
            $m.Prerelease | Should -Be ($Version -split '-', 2)[1]
            foreach ($text in $m.Description, $m.Author, $m.CompanyName, $m.Copyright) { $text | Should -Not -BeNullOrEmpty }
            $m.CompatiblePSEditions | Should -Be 'Core'
            "$($m.PowerShellVersion)" | Should -Be '7.4'
            foreach ($tag in 'AgentSkills', 'SKILL.md', 'LLM', 'Memory', 'Claude', 'Codex', 'OpenAI') { $m.Tags | Should -Contain $tag }
            "$($m.ProjectUri)" | Should -Match '^https://'
            "$($m.LicenseUri)" | Should -Match '^https://'
        }

        It 'carries the release notes of its CHANGELOG.md section' {
            $changelog = Get-Content -LiteralPath (Join-Path $RepoRoot 'CHANGELOG.md')
            $start = [array]::FindIndex($changelog, [Predicate[string]] { param($l) $l -like "## ``[$Version``]*" })
            $start | Should -BeGreaterOrEqual 0 -Because "CHANGELOG.md needs a section for $Version"
            $section = $changelog[($start + 1)..($changelog.Count - 1)]
            $end = [array]::FindIndex([string[]]$section, [Predicate[string]] { param($l) $l -like '## *' })
            if ($end -ge 0) { $section = $section[0..($end - 1)] }
            $Session.Manifest.ReleaseNotes | Should -Be (($section -join "`n").Trim())
        }
    }

    Context 'Uninstalled' {
        It 'leaves no module, no package and no repository behind' {
            $Removed.Resources | Should -BeNullOrEmpty
            $Removed.ModuleFiles | Should -BeNullOrEmpty
            $Removed.Repositories | Should -Not -Contain 'SkillForgeTest'
            $Removed.Repositories | Where-Object { $_ -like 'SkillForgeBuild*' } | Should -BeNullOrEmpty
        }

        It 'leaves the user''s own repositories and modules as they were' {
            $after = Get-UserPSResourceState
            $after.Repositories | Should -Be $UserStateBefore.Repositories
            $after.Modules | Should -Be $UserStateBefore.Modules
            # NuGet, inside PSResourceGet, writes a NuGet.Config into the working directory when the home has none.
            Join-Path $RepoRoot 'NuGet' | Should -Not -Exist
        }
    }
}

Describe 'Packing a module that differs from its layout' -Tag PrivateHome -Skip:$NoPrivateHome {
    BeforeAll {
        # A built module with a leftover the layout does not list, and a layout that lists a file never built.
        $modules = Join-Path $TestDrive 'mismatch'
        $module = Join-Path $modules 'SkillForge.Mismatch'
        $null = New-Item -ItemType Directory -Force -Path $module
        Set-Content -LiteralPath (Join-Path $module 'SkillForge.Mismatch.psd1') -Value "@{ ModuleVersion = '1.0.0' }"
        Set-Content -LiteralPath (Join-Path $module 'SkillForge.Mismatch.pdb') -Value 'leftover'
        $unlisted = Join-Path $TestDrive 'unlisted.txt'
        Set-Content -LiteralPath $unlisted -Value 'SkillForge.Mismatch.psd1'
        $missing = Join-Path $TestDrive 'missing.txt'
        Set-Content -LiteralPath $missing -Value 'SkillForge.Mismatch.psd1', 'SkillForge.Mismatch.pdb', 'en-US/about_Mismatch.help.txt'

        $script:Failures = @(& $InPrivateHome -HomePath (Join-Path $TestDrive 'mismatch-home') -ArgumentList (
            Join-Path $RepoRoot 'build/Publish-ModulePackage.ps1'), $modules, (Join-Path $TestDrive 'mismatch-out'), @($unlisted, $missing) -ScriptBlock {
            param($Script, $ModuleRoot, $Out, [string[]] $Layouts)
            foreach ($layout in $Layouts) {
                try { & $Script -LayoutPath $layout -ModuleRoot $ModuleRoot -DestinationPath $Out -StagingPath $Out; 'packed' }
                catch { $_.Exception.Message }
            }
        })
        $script:MismatchOut = Join-Path $TestDrive 'mismatch-out'
    }

    It 'refuses a built file the layout does not list, and names it' {
        $Failures[0] | Should -Match 'does not list: SkillForge\.Mismatch\.pdb'
    }

    It 'refuses a listed file the build did not produce, and names it' {
        $Failures[1] | Should -Match 'did not produce: en-US/about_Mismatch\.help\.txt'
    }

    It 'writes no package for either' {
        Get-ChildItem -LiteralPath $MismatchOut -Filter '*.nupkg' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

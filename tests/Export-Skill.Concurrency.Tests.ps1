BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    function New-SkillText([string] $Name, [string] $Body) {
        "---`nname: $Name`ndescription: Does things. Use when needed.`n---`n`n# $Name`n`n$Body`n"
    }

    # Every file and folder under $Path (links not followed), relative, sorted.
    function Get-Tree([string] $Path) {
        if (-not (Test-Path -LiteralPath $Path)) { return @() }
        @(Get-ChildItem -LiteralPath $Path -Recurse -Force -FollowSymlink:$false | ForEach-Object { [IO.Path]::GetRelativePath($Path, $_.FullName) } | Sort-Object)
    }
}

Describe 'Export-Skill under concurrency and hostile folders' {
    Context 'Writers of one name in parallel runspaces' {
        It 'gives every writer its own folder (shared-slug, -2 … -8) and each Written file holds that writer''s text' {
            $root = Join-Path $TestDrive 'parallel'
            $module = $ModuleManifest
            $results = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:module
                $text = "---`nname: shared-slug`ndescription: Writer $_. Use when testing.`n---`n`n# Writer $_`n`nText of writer $_.`n"
                $file = Export-Skill -Path $using:root -Content $text -ErrorAction SilentlyContinue -ErrorVariable err
                [pscustomobject]@{ Writer = $_; File = $file; Errors = @($err | ForEach-Object FullyQualifiedErrorId) }
            }
            $results.Errors | Should -BeNullOrEmpty
            $written = @($results | Where-Object { $_.File.Status -eq 'Written' })
            $written.Count | Should -Be 8
            @($written.File.Path | Sort-Object -Unique).Count | Should -Be 8
            foreach ($r in $written) {
                Get-Content -LiteralPath $r.File.Path -Raw | Should -Match "Text of writer $($r.Writer)\."
                (Test-SkillMarkdown -LiteralPath $r.File.Path).IsValid | Should -BeTrue
            }
            $names = @(Get-ChildItem -LiteralPath $root -Directory -Force | ForEach-Object Name | Sort-Object)
            $names | Should -Be (@('shared-slug') + (2..8 | ForEach-Object { "shared-slug-$_" }) | Sort-Object)
            @(Get-Tree $root | Where-Object { $_ -like '*.tmp*' }) | Should -BeNullOrEmpty
        }

        It 'gives writers in separate processes their own folders too' {
            $root = Join-Path $TestDrive 'processes'
            $pwsh = (Get-Process -Id $PID).Path
            $script = {
                param($Module, $Root, $Writer)
                Import-Module $Module
                $text = "---`nname: shared-slug`ndescription: Writer $Writer. Use when testing.`n---`n`n# Writer $Writer`n`nText of writer $Writer.`n"
                Export-Skill -Path $Root -Content $text -ErrorAction Stop | Out-Null
            }
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script.ToString()))
            $processes = foreach ($writer in 1..4) {
                $command = "& ([scriptblock]::Create([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('$encoded')))) '$ModuleManifest' '$root' $writer"
                Start-Process -FilePath $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $command -PassThru -NoNewWindow
            }
            $processes | ForEach-Object { $_.WaitForExit(120000) | Should -BeTrue; $_.ExitCode | Should -Be 0 }
            $files = @(Get-ChildItem -LiteralPath $root -Recurse -Filter SKILL.md)
            $files.Count | Should -Be 4
            $texts = $files | ForEach-Object { if ((Get-Content -LiteralPath $_.FullName -Raw) -match 'Text of writer (\d)\.') { $Matches[1] } }
            @($texts | Sort-Object) | Should -Be @('1', '2', '3', '4')
            @(Get-Tree $root | Where-Object { $_ -like '*.tmp*' }) | Should -BeNullOrEmpty
        }
    }

    Context 'A skill folder swapped for a link while exporting' -Skip:($IsWindows) {
        It 'never writes outside -Path and reports every failure as a SkillForge error' {
            $root = Join-Path $TestDrive 'swap-root'
            $outside = Join-Path $TestDrive 'swap-outside'
            $null = New-Item -ItemType Directory -Path $root, $outside
            $stop = Join-Path $TestDrive 'swap-stop'
            # A separate process flips root/target between a real folder and a link to $outside as fast as it can.
            $count = Join-Path $TestDrive 'swap-count'
            $start = [System.Diagnostics.ProcessStartInfo]::new('bash')
            $start.ArgumentList.Add('-c')
            $start.ArgumentList.Add('n=0; while [ ! -e "$3" ]; do rm -rf "$1/target"; mkdir "$1/target"; rm -rf "$1/target"; ln -s "$2" "$1/target"; n=$((n+1)); done 2>/dev/null; echo $n > "$4"')
            foreach ($arg in 'swap', $root, $outside, $stop, $count) { $start.ArgumentList.Add($arg) }
            $swapper = [System.Diagnostics.Process]::Start($start)
            try {
                $errors = [System.Collections.Generic.List[object]]::new()
                $written = 0
                foreach ($i in 1..300) {
                    $file = Export-Skill -Path $root -Content (New-SkillText 'target' "Round $i.") -Force -ErrorAction SilentlyContinue -ErrorVariable err
                    if ($file) { $written++ }
                    $err | ForEach-Object { $errors.Add($_) }
                }
            }
            finally {
                New-Item -ItemType File -Path $stop | Out-Null
                $swapper.WaitForExit(30000) | Should -BeTrue
            }
            [int](Get-Content -LiteralPath $count) | Should -BeGreaterThan 0
            Get-Tree $outside | Should -BeNullOrEmpty
            $errors | ForEach-Object {
                $_.FullyQualifiedErrorId | Should -Match '^SkillForge\.Skill\.(OutsideRoot|WriteFailed),'
                $_.Exception.GetType().FullName | Should -Be 'SkillForge.Diagnostics.SkillForgeException'
            }
            ($written + $errors.Count) | Should -Be 300
            @(Get-Tree $root | Where-Object { $_ -like '*.tmp*' }) | Should -BeNullOrEmpty
        }
    }
}

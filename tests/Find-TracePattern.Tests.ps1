BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    # Claude Code-shaped events: an Edit refused because the file was not read, the Read, the same Edit again.
    function New-ReadBeforeEdit([string] $Trace, [string] $File) {
        $input = @{ file_path = "/work/$Trace/$File"; old_string = 'a'; new_string = 'b' }
        @(
            [pscustomobject]@{ trace_id = $Trace; kind = 'user_prompt'; data = @{ text = 'Update the settings file' } }
            [pscustomobject]@{ trace_id = $Trace; kind = 'action_failed'; action_id = "$Trace-1"; tool = 'Edit'; state_before = @{ cwd = "/work/$Trace" }
                data = @{ input = $input; error = 'npm warn config ignored' + "`n" + 'File has not been read yet. Read it first before writing to it.' } }
            [pscustomobject]@{ trace_id = $Trace; kind = 'action_succeeded'; action_id = "$Trace-2"; tool = 'Read'; data = @{ input = @{ file_path = "/work/$Trace/$File" } } }
            [pscustomobject]@{ trace_id = $Trace; kind = 'action_succeeded'; action_id = "$Trace-3"; tool = 'Edit'; data = @{ input = $input } }
        )
    }
    function New-Noise([string] $Trace) {
        @(
            [pscustomobject]@{ trace_id = $Trace; kind = 'action_failed'; action_id = "$Trace-g"; tool = 'Bash'; data = @{ input = @{ command = 'rg -n needle src' }; error = 'Exit code 1' } }
            [pscustomobject]@{ trace_id = $Trace; kind = 'action_failed'; action_id = "$Trace-c"; tool = 'Bash'; data = @{ input = @{ command = 'git commit -am x' }; error = "Exit code 1`nnothing to commit, working tree clean" } }
            [pscustomobject]@{ trace_id = $Trace; kind = 'action_succeeded'; action_id = "$Trace-s"; tool = 'Bash'; data = @{ input = @{ command = 'git status' } } }
        )
    }
    $script:Lesson = @(New-ReadBeforeEdit 's1' 'a.json') + @(New-ReadBeforeEdit 's2' 'b.yaml')
}

Describe 'Find-TracePattern' {
    Context 'lessons across traces' {
        It 'turns a lesson recurring in two traces into one TracePattern' {
            $patterns = @($script:Lesson | Find-TracePattern)
            $patterns.Count | Should -Be 1
            $p = $patterns[0]
            $p | Should -BeOfType ([SkillForge.TracePattern])
            $p.Kind | Should -Be 'Lesson'
            $p.Tool | Should -Be 'Edit'
            $p.Support | Should -Be 2
            # The warning above the error is passed over.
            $p.Signature | Should -Be 'File has not been read yet. Read it first before writing to it'
            $p.SourceIds | Should -Be @('s1#s1-1', 's2#s2-1')
            $p.Occurrences.FixKind | Should -Be @('CallsInBetween', 'CallsInBetween')
            $p.Fingerprint | Should -Match '^[0-9a-f]{64}$'
        }

        It 'needs -MinSupport traces unless a correction confirms the lesson' {
            @(New-ReadBeforeEdit 's1' 'a.json' | Find-TracePattern).Count | Should -Be 0
            @(New-ReadBeforeEdit 's1' 'a.json' | Find-TracePattern -MinSupport 1).Count | Should -Be 1
            $corrected = @(
                [pscustomobject]@{ trace_id = 'c'; kind = 'action_succeeded'; action_id = 'w1'; tool = 'Write'; data = @{ input = @{ file_path = 'notes.md'; content = 'x' } } }
                [pscustomobject]@{ trace_id = 'c'; kind = 'user_correction'; data = @{ text = 'do not rewrite that file'; corrects_action_id = 'w1' } }
            )
            $p = @($corrected | Find-TracePattern)
            $p.Count | Should -Be 1
            $p[0].Support | Should -Be 1
            $p[0].CorrectionCount | Should -Be 1
        }

        It 'treats documented noise as no failure and says so with -Verbose' {
            $noise = @(New-Noise 'n1') + @(New-Noise 'n2')
            @($noise | Find-TracePattern -MinSupport 1).Count | Should -Be 0
            $verbose = $noise | Find-TracePattern -MinSupport 1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            "$verbose" | Should -Match '0 failures .* 4 not failures \(search-no-match 2, nothing-to-commit 2\)'
        }

        It 'takes extra -NotFailure patterns and rejects an invalid one' {
            @($script:Lesson | Find-TracePattern -NotFailure 'has not been read').Count | Should -Be 0
            { $script:Lesson | Find-TracePattern -NotFailure '([' -ErrorAction Stop } |
                Should -Throw -ErrorId 'SkillForge.Pattern.InvalidNotFailure,SkillForge.Commands.FindTracePatternCommand'
        }

        It 'finds workflows only with -Kind Workflow' {
            $runs = foreach ($t in 'w1', 'w2') {
                [pscustomobject]@{ trace_id = $t; kind = 'action_succeeded'; tool = 'Bash'; data = @{ input = @{ command = "git log -$($t.Length)" } } }
                [pscustomobject]@{ trace_id = $t; kind = 'action_succeeded'; tool = 'Read'; data = @{ input = @{ file_path = "src/$t.py" } } }
                [pscustomobject]@{ trace_id = $t; kind = 'action_succeeded'; tool = 'Edit'; data = @{ input = @{ file_path = "src/$t.py"; old_string = 'x'; new_string = 'y' } } }
            }
            @($runs | Find-TracePattern).Count | Should -Be 0
            $w = @($runs | Find-TracePattern -Kind Workflow)
            $w.Count | Should -Be 1
            $w[0].Kind | Should -Be 'Workflow'
            $w[0].Signature | Should -Be 'Bash(git) → Read → Edit'
        }

        It 'reports an object without a kind and goes on' {
            $bad = [pscustomobject]@{ trace_id = 'x'; tool = 'Edit' }
            $out = @(@($bad) + $script:Lesson | Find-TracePattern -ErrorVariable problems -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -Match '^SkillForge.Trace.InvalidRecord'
        }

        It 'shows a table view' {
            $text = $script:Lesson | Find-TracePattern | Format-Table | Out-String
            $text | Should -Match 'Kind\s+Tool\s+Support'
            $text | Should -Match 'Lesson\s+Edit\s+2'
        }
    }

    Context 'memories' {
        It 'refuses a MemoryDoc with an error that names Find-MemoryCluster, as Split-Trace does' {
            $docs = Import-MemoryExport (Join-Path $ExamplesPath 'memories.jsonl') | Select-Object -First 2
            $patterns = @($docs | Find-TracePattern -MinSupport 1 -ErrorVariable err -ErrorAction SilentlyContinue)
            $patterns.Count | Should -Be 0
            $err.Count | Should -Be 2
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.FindTracePatternCommand'
            $err[0].Exception.Message | Should -BeLike 'Find-TracePattern takes trace events*SkillForge.MemoryDoc*Find-MemoryCluster*'
        }
    }

    Context 'the corpus flow, offline' {
        It 'writes one skill in the skill shape, with its evidence beside it' {
            $out = Join-Path $TestDrive 'skills'
            $files = @($script:Lesson | Find-TracePattern | New-DistillPrompt | Invoke-SkillDistillation -Offline | Export-Skill -Path $out)
            $files.Count | Should -Be 1
            $files[0].Name | Should -Be 'read-file-before-edit'
            $files[0].CompressionRatio | Should -BeGreaterThan 0
            $text = Get-Content -LiteralPath $files[0].Path -Raw
            foreach ($section in '## When to use', '## Principle', '## Steps', '## Mistakes to avoid', '## Example', '## Evidence') { $text | Should -Match ([regex]::Escape($section)) }
            # Paths inside the trace's working directory are written relative to it.
            $text | Should -Not -Match '/work/s1'
            Test-Path -LiteralPath (Join-Path (Split-Path $files[0].Path) 'references/evidence.md') | Should -BeTrue
            (Test-SkillMarkdown -Path $files[0].Path).IsValid | Should -BeTrue
        }
    }
}

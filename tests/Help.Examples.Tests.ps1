# Every example in the help runs as printed: in a fresh runspace, in a temporary folder holding the bundled
# examples (memories.jsonl, trace.jsonl), offline. Examples that call a model reach the local test server through
# $env:OPENAI_BASE_URL, or use -WhatIf.
BeforeDiscovery {
    # The files the test folder holds (see New-ExampleFolder); an example naming any other file cannot run as printed.
    $provided = '^\./(memories\.jsonl|trace\.jsonl|examples/(memories|trace)\.jsonl|runs(/\*?[a-z]*\.jsonl)?|exports(/\*\.jsonl)?|skills(/.*)?|x)$'
    $script:ExampleCases = foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot '../docs/help') -Filter '*-*.md') {
        $text = (Get-Content -Raw -LiteralPath $file.FullName) -replace "`r`n", "`n"
        foreach ($m in [regex]::Matches($text, '(?ms)^### (?<title>Example \d+[^\n]*)\n```powershell\n(?<code>.*?)\n```')) {
            $code = $m.Groups['code'].Value
            $missing = @([regex]::Matches($code, '\./[A-Za-z0-9_./*-]+').Value | Where-Object { $_ -notmatch $provided })
            # Read-Host waits for a person: such an example is shown, not run.
            if ($code -match 'Read-Host') { $missing += 'a key typed at Read-Host' }
            @{ Command = $file.BaseName; Title = $m.Groups['title'].Value; Code = $code; Missing = $missing -join ', ' }
        }
    }
    $script:RunnableCases = @($script:ExampleCases | Where-Object { -not $_.Missing })
    $script:OtherFileCases = @($script:ExampleCases | Where-Object { $_.Missing })
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1
    $script:Server = Start-SkillForgeTestServer
    $script:SavedEnv = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_MODEL') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    # A model named in an example goes to the local server, which answers any model name; a key is configured,
    # as the help assumes.
    [Environment]::SetEnvironmentVariable('OPENAI_BASE_URL', $script:Server.Endpoint)
    [Environment]::SetEnvironmentVariable('OPENAI_API_KEY', 'sk-help-examples-0000')
    [Environment]::SetEnvironmentVariable('SKILLFORGE_MODEL', 'gpt-4.1-mini')

    # The bundled examples under the names the help uses, and a skills library distilled from them offline.
    $script:Template = Join-Path $TestDrive 'template'
    foreach ($dir in 'examples', 'runs', 'exports') { $null = New-Item -ItemType Directory -Path (Join-Path $script:Template $dir) }
    foreach ($name in 'memories.jsonl', 'trace.jsonl') {
        $source = Join-Path $ExamplesPath $name
        Copy-Item -LiteralPath $source -Destination $script:Template
        Copy-Item -LiteralPath $source -Destination (Join-Path $script:Template 'examples')
    }
    Copy-Item -LiteralPath (Join-Path $ExamplesPath 'trace.jsonl') -Destination (Join-Path $script:Template 'runs/today.jsonl')
    Copy-Item -LiteralPath (Join-Path $ExamplesPath 'memories.jsonl') -Destination (Join-Path $script:Template 'exports/memories.jsonl')
    $skills = Join-Path $script:Template 'skills'
    $null = Import-MemoryExport (Join-Path $ExamplesPath 'memories.jsonl') | Find-MemoryCluster | New-DistillPrompt | Invoke-SkillDistillation -Offline | Export-Skill -Path $skills
    $null = Import-Trace (Join-Path $ExamplesPath 'trace.jsonl') | Split-Trace | New-DistillPrompt | Invoke-SkillDistillation -Offline |
        ConvertFrom-SkillJson | ConvertTo-SkillMarkdown | Export-Skill -Path $skills
}

AfterAll {
    Stop-SkillForgeTestServer $script:Server
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
}

Describe 'Help examples' {
    It '<Command> <Title> names <Missing>' -ForEach $OtherFileCases -Tag HelpExampleFiles -Skip { }

    It '<Command> <Title> runs as printed' -ForEach $RunnableCases {
        $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        Copy-Item -LiteralPath $script:Template -Destination $folder -Recurse
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$($ModuleManifest -replace "'", "''")'; Set-Location -LiteralPath '$($folder -replace "'", "''")'").Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript($Code).Invoke()
            $problems = @($ps.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
        }
        catch {
            $problems = @("$_")
        }
        finally { $ps.Dispose() }
        $problems | Should -BeNullOrEmpty -Because "the example of $Command must run as printed:`n$Code"
    }
}

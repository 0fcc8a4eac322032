BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:Answer = @'
Here are the skills I extracted:

```json
[
  {
    "name": "retry-3ds-checkout",
    "description": "When a 3-D Secure challenge times out, ask the user to approve it and retry the same checkout once.",
    "when_to_apply": "Card payment fails with a 3-D Secure timeout",
    "scope": {"domain": "travel-booking"},
    "source": "failure",
    "domain": "",
    "trigger": {"persona": "", "url_pattern": "*/checkout*", "task_keywords": ["checkout", "3-D Secure"]},
    "code": "",
  },
  {
    "name": "never-store-card-numbers",
    "description": "Keep payment card details out of long-term memory.",
    "when_to_apply": "Any time payment data appears",
    "scope": "global",
    "trigger": {"task_keywords": "payment, card, memory"}
  }
]
```
'@
}

Describe 'ConvertFrom-SkillJson' {
    Context 'strings' {
        It 'reads the array out of prose and a code fence' {
            $skills = @($script:Answer | ConvertFrom-SkillJson)
            $skills.Count | Should -Be 2
            $skills[0] | Should -BeOfType ([SkillForge.DistilledSkill])
            $skills.Name | Should -Be @('retry-3ds-checkout', 'never-store-card-numbers')
        }

        It 'maps scope, trigger and keywords' {
            $skills = @($script:Answer | ConvertFrom-SkillJson)
            $skills[0].Scope | Should -Be 'travel-booking'
            $skills[0].Domain | Should -Be 'travel-booking'
            $skills[0].Trigger.UrlPattern | Should -Be '*/checkout*'
            $skills[0].Trigger.TaskKeywords | Should -Be @('checkout', '3-D Secure')
            $skills[1].Scope | Should -Be 'global'
            $skills[1].Trigger.TaskKeywords | Should -Be @('payment', 'card', 'memory')
        }

        It 'reads a single object as one skill' {
            $skill = '{"name": "one", "description": "d"}' | ConvertFrom-SkillJson
            $skill.Name | Should -Be 'one'
        }

        It 'reads a file piped line by line from Get-Content' {
            $file = Join-Path $TestDrive 'answer.md'
            Set-Content -LiteralPath $file -Value $script:Answer -Encoding utf8
            @(Get-Content -LiteralPath $file | ConvertFrom-SkillJson).Count | Should -Be 2
            @(Get-Content -LiteralPath $file -Raw | ConvertFrom-SkillJson).Count | Should -Be 2
        }

        It 'warns on an explicit empty array' {
            $out = '[]' | ConvertFrom-SkillJson -WarningVariable warn -WarningAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $warn.Count | Should -Be 1
        }
    }

    Context 'distillation results and other objects' {
        It 'carries provenance from a DistillationResult' {
            $prompt = [SkillForge.DistillPrompt]@{ Kind = 'TraceSuccess'; Fingerprint = 'abc123'; SourceIds = [string[]]@('t1#a1', 't1#a2') }
            $result = [SkillForge.DistillationResult]@{ Prompt = $prompt; Text = '[{"name": "n", "description": "d"}]'; Model = 'gpt-test' }
            $skill = $result | ConvertFrom-SkillJson
            $skill.SourceIds | Should -Be @('t1#a1', 't1#a2')
            $skill.Fingerprint | Should -Be 'abc123'
            $skill.Model | Should -Be 'gpt-test'
            $skill.Source | Should -Be 'success'
        }

        It 'reads the Text property of other objects' {
            $skill = [pscustomobject]@{ Text = '[{"name": "n", "description": "d"}]'; Model = 'm1'; SourceIds = @('x') } | ConvertFrom-SkillJson
            $skill.Name | Should -Be 'n'
            $skill.Model | Should -Be 'm1'
            $skill.SourceIds | Should -Be @('x')
        }

        It 'points SKILL.md answers to Export-Skill' {
            $prompt = [SkillForge.DistillPrompt]@{ Kind = 'MemoryCluster'; ExpectedOutput = 'SkillMarkdown'; Fingerprint = 'f00d' }
            $result = [SkillForge.DistillationResult]@{ Prompt = $prompt; Text = "---`nname: x`ndescription: y`n---`nBody" }
            $result | ConvertFrom-SkillJson -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.SkillJson.InvalidInput,SkillForge.Commands.ConvertFromSkillJsonCommand'
            $err[0].Exception.Message | Should -BeLike '*Export-Skill*'
        }

        It 'reports input without text' {
            42 | ConvertFrom-SkillJson -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.SkillJson.InvalidInput,SkillForge.Commands.ConvertFromSkillJsonCommand'
        }
    }

    Context 'bad answers' {
        It 'reports <Name> as SkillForge.SkillJson.Invalid with a snippet' -ForEach @(
            @{ Name = 'prose without JSON'; Text = 'I could not find any reusable skill in this trace.'; Snippet = '*could not find*' }
            @{ Name = 'truncated JSON'; Text = '[{"name": "a", "description": "b"}, {"name": "c", "descr'; Snippet = '*cut off*descr*' }
        ) {
            $out = $Text | ConvertFrom-SkillJson -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.SkillJson.Invalid,SkillForge.Commands.ConvertFromSkillJsonCommand'
            $err[0].Exception.Message | Should -BeLike $Snippet
        }

        It 'reports elements without a name and still writes the others' {
            $skills = @('[{"name": "ok", "description": "d"}, {"description": "nameless"}]' |
                ConvertFrom-SkillJson -ErrorVariable err -ErrorAction SilentlyContinue)
            $skills.Name | Should -Be 'ok'
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.SkillJson.MissingField,SkillForge.Commands.ConvertFromSkillJsonCommand'
        }

        It 'throws with -ErrorAction Stop' {
            { 'no json' | ConvertFrom-SkillJson -ErrorAction Stop } |
                Should -Throw -ErrorId 'SkillForge.SkillJson.Invalid,SkillForge.Commands.ConvertFromSkillJsonCommand'
        }
    }

    Context 'help' {
        It 'has a synopsis and examples' {
            $help = Get-Help ConvertFrom-SkillJson -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        }
    }
}

BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'ConvertTo-SkillMarkdown' {
    Context 'From objects with loosely named properties' {
        It 'converts a pscustomobject with name, description and when_to_apply' {
            $md = [pscustomobject]@{ name = 'Retry On 429'; description = 'Back off and retry'; when_to_apply = 'an API answers 429' } | ConvertTo-SkillMarkdown
            $md | Should -BeOfType string
            $result = Test-SkillMarkdown -Content $md
            $result.IsValid | Should -BeTrue
            $result.Name | Should -BeExactly 'retry-on-429'
            $result.Description | Should -BeExactly 'Back off and retry. Use when an API answers 429'
            $md | Should -Match '(?m)^## When to apply$'
            $md | Should -Match '(?m)^## Principle$'
        }

        It 'accepts camelCase and PascalCase names (<Property>)' -ForEach @(
            @{ Property = 'when_to_apply' }
            @{ Property = 'whenToApply' }
            @{ Property = 'WhenToApply' }
        ) {
            $object = [pscustomobject]@{ name = 'x'; description = 'd' }
            $object | Add-Member -NotePropertyName $Property -NotePropertyValue 'it rains'
            (Test-SkillMarkdown -Content ($object | ConvertTo-SkillMarkdown)).Description | Should -BeExactly 'd. Use when it rains'
        }

        It 'converts objects from ConvertFrom-Json, with nested scope and trigger' {
            $json = '[{"name":"Checkout","description":"Pay with the saved card","when_to_apply":"the cart is ready",' +
                    '"scope":{"domain":"shop.example.com"},"source":"failure","trigger":{"persona":"buyer","url_pattern":"*/cart*","task_keywords":["buy","pay"]},' +
                    '"code":"click(''#pay'')"}]'
            $md = $json | ConvertFrom-Json | ConvertTo-SkillMarkdown
            (Test-SkillMarkdown -Content $md).IsValid | Should -BeTrue
            $md | Should -Match 'scope: shop\.example\.com'
            $md | Should -Match 'trigger-task-keywords: buy, pay'
            $md | Should -Match '(?m)^## Lesson$'
            $md | Should -Match '(?m)^## Procedure$'
        }

        It 'converts a hashtable' {
            $md = @{ name = 'h'; description = 'from a hashtable' } | ConvertTo-SkillMarkdown
            (Test-SkillMarkdown -Content $md).Name | Should -BeExactly 'h'
        }
    }

    Context 'Nasty text never breaks the frontmatter' {
        It 'stays valid with <Case>' -ForEach @(
            @{ Case = 'a colon'; Text = 'key: value' }
            @{ Case = 'a hash'; Text = 'x # not a comment' }
            @{ Case = 'quotes'; Text = '"double" and ''single''' }
            @{ Case = 'a newline'; Text = "line one`nline two" }
            @{ Case = 'a leading dash'; Text = '- item' }
            @{ Case = 'a leading star'; Text = '*alias' }
            @{ Case = 'a leading ampersand'; Text = '&anchor' }
            @{ Case = 'angle brackets'; Text = 'use <tool>' }
            @{ Case = 'a fence'; Text = '---' }
            @{ Case = 'backticks'; Text = '```' }
        ) {
            $md = [pscustomobject]@{ name = $Text; description = $Text; when_to_apply = $Text; code = $Text } | ConvertTo-SkillMarkdown
            $result = Test-SkillMarkdown -Content $md -Strict
            $result.IsValid | Should -BeTrue -Because ($result.Diagnostics | Out-String)
        }

        It 'cuts a long description to 1024 characters' {
            $md = [pscustomobject]@{ name = 'long'; description = ('word ' * 500) } | ConvertTo-SkillMarkdown
            $result = Test-SkillMarkdown -Content $md
            $result.IsValid | Should -BeTrue
            $result.Description.Length | Should -BeLessOrEqual 1024
        }
    }

    Context 'Pipeline into Export-Skill' {
        It 'writes a valid skill folder' {
            $root = Join-Path $TestDrive 'skills'
            $file = [pscustomobject]@{ name = 'x'; description = 'y'; when_to_apply = 'z' } | ConvertTo-SkillMarkdown | Export-Skill -Path $root
            $file | Should -BeOfType SkillForge.SkillFile
            $file.Path | Should -Be (Join-Path $root 'x' 'SKILL.md')
            (Test-SkillMarkdown -LiteralPath (Split-Path $file.Path)).IsValid | Should -BeTrue
        }
    }

    Context 'Errors' {
        It 'writes SkillForge.Skill.UnsupportedInput for an object with no description' {
            $out = [pscustomobject]@{ Id = 1 } | ConvertTo-SkillMarkdown -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Skill.UnsupportedInput,SkillForge.Commands.ConvertToSkillMarkdownCommand'
        }

        It 'goes on with the next object after a bad one' {
            $out = @([pscustomobject]@{ Id = 1 }, [pscustomobject]@{ name = 'ok'; description = 'fine' }) |
                ConvertTo-SkillMarkdown -ErrorAction SilentlyContinue
            $out | Should -HaveCount 1
        }
    }
}

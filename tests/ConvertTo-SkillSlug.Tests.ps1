BeforeAll { . $PSScriptRoot/TestSetup.ps1 }

Describe 'ConvertTo-SkillSlug' {
    Context 'Slugs' {
        It "turns '<Text>' into '<Slug>'" -ForEach @(
            @{ Text = 'Web Search Pattern'; Slug = 'web-search-pattern' }
            @{ Text = ' LLM--Retry Logic! '; Slug = 'llm-retry-logic' }
            @{ Text = 'hello-world'; Slug = 'hello-world' }
            @{ Text = 'Café'; Slug = 'cafe' }
            @{ Text = 'Straße'; Slug = 'strasse' }
            @{ Text = '../../etc/passwd'; Slug = 'etc-passwd' }
            @{ Text = 'My_Skill'; Slug = 'my-skill' }
            @{ Text = ''; Slug = 'unnamed-skill' }
            @{ Text = '!!!'; Slug = 'unnamed-skill' }
        ) {
            ConvertTo-SkillSlug -InputObject $Text | Should -BeExactly $Slug
        }

        It 'keeps at most 64 characters and never ends with a hyphen' {
            $slug = ConvertTo-SkillSlug ('segment ' * 20)
            $slug.Length | Should -BeLessOrEqual 64
            $slug | Should -Not -Match '-$'
            $slug | Should -Match '^[a-z0-9]+(-[a-z0-9]+)*$'
        }
    }

    Context 'Pipeline binding' {
        It 'binds strings by value' {
            'Web Search' | ConvertTo-SkillSlug | Should -BeExactly 'web-search'
        }

        It 'returns one slug per input' {
            $slugs = 'One Thing', 'Two Things' | ConvertTo-SkillSlug
            $slugs | Should -HaveCount 2
            $slugs[1] | Should -BeExactly 'two-things'
        }

        It 'binds the Name property of objects' {
            $rows = '[{"Name":"Retry On 429"},{"Name":"Parse  Dates"}]' | ConvertFrom-Json
            $rows | ConvertTo-SkillSlug | Should -Be @('retry-on-429', 'parse-dates')
        }

        It 'binds the Name property of pscustomobject' {
            [pscustomobject]@{ Name = 'Fix Flaky Tests' } | ConvertTo-SkillSlug | Should -BeExactly 'fix-flaky-tests'
        }

        It 'accepts an array positionally' {
            ConvertTo-SkillSlug 'A B', 'C D' | Should -Be @('a-b', 'c-d')
        }
    }

    Context 'Output' {
        It 'outputs strings' {
            'x' | ConvertTo-SkillSlug | Should -BeOfType string
        }

        It 'gives names Test-SkillMarkdown accepts' {
            $slug = ConvertTo-SkillSlug 'Ünïcödé & Friends — 2024!'
            (Test-SkillMarkdown -Content "---`nname: $slug`ndescription: d`n---`nbody`n").IsValid | Should -BeTrue
        }
    }
}

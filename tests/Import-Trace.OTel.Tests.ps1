# Import-Trace -Format OTel: OpenTelemetry GenAI span exports (any-agent span JSON, OTLP JSON, OTLP JSON Lines).
BeforeDiscovery {
    $HasRealData = Test-Path -LiteralPath (Join-Path $PSScriptRoot '../../shared/real-data/otel-genai/any-agent')
    # Counted independently from the files: execute_tool spans per export, and each export's trace id.
    $AnyAgentCases = @(
        @{ File = 'AGNO_trace.json'; Actions = 2; TraceId = '39712373237291850001929057769826244787' }
        @{ File = 'GOOGLE_trace.json'; Actions = 3; TraceId = '273475590164507581703505203264503192396' }
        @{ File = 'LANGCHAIN_trace.json'; Actions = 2; TraceId = '115825058289444712299650141807529952578' }
        @{ File = 'OPENAI_trace.json'; Actions = 2; TraceId = '100927429609276267646756448943279827607' }
        @{ File = 'SMOLAGENTS_trace.json'; Actions = 3; TraceId = '193014249579837554382251753808266698816' }
    )
}

BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:OTelFixtures = Join-Path $PSScriptRoot 'SkillForge.Core.Tests/Fixtures/otel'
    $script:AnyAgent = Join-Path $script:RealDataPath 'otel-genai/any-agent'
}

Describe 'Import-Trace' {
    Context 'any-agent span exports' -Tag RealData -Skip:(-not $HasRealData) {
        It '<File> gives <Actions> succeeded actions and one note, all in trace <TraceId>' -ForEach $AnyAgentCases {
            $events = @(Import-Trace -LiteralPath (Join-Path $AnyAgent $File) -Format OTel -ErrorAction Stop)
            $events.Count | Should -Be ($Actions + 1)
            @($events | Where-Object Kind -EQ 'action_succeeded').Count | Should -Be $Actions
            @($events | Where-Object Kind -EQ 'assistant_note').Count | Should -Be 1
            $events[0].Kind | Should -Be 'assistant_note'
            $events | ForEach-Object { $_.TraceId | Should -BeExactly $TraceId }
            $events[0] | Should -BeOfType SkillForge.TraceEvent
        }

        It 'recognises <File> without -Format' -ForEach $AnyAgentCases {
            $events = @(Import-Trace -Path (Join-Path $AnyAgent $File) -ErrorAction Stop)
            @($events | Where-Object Kind -EQ 'action_succeeded').Count | Should -Be $Actions
        }

        It 'keeps ids above Int64 as exact text' {
            $events = @(Import-Trace -LiteralPath (Join-Path $AnyAgent 'OPENAI_trace.json'))
            $events[1].ActionId | Should -BeExactly '13687147528289423029'
            $events[1].ActionId | Should -BeOfType [string]
            $events[1].Tool | Should -Be 'get_current_time'
            $events[1].DurationMs | Should -Be 2.52
        }

        It 'binds every export from Get-ChildItem' {
            $events = @(Get-ChildItem -LiteralPath $AnyAgent -Filter '*_trace.json' | Import-Trace -Format OTel)
            @($events | Where-Object Kind -EQ 'action_succeeded').Count | Should -Be 12
            @($events.TraceId | Sort-Object -Unique).Count | Should -Be 5
        }
    }

    Context 'a failing tool span (hand-made)' {
        BeforeAll {
            $script:Failing = Join-Path $OTelFixtures 'failing-tool-span.json'
            $script:FailingEvents = @(Import-Trace -LiteralPath $Failing -Format OTel -ErrorVariable failingErrors -ErrorAction SilentlyContinue)
            $script:FailingErrors = @($failingErrors)
        }

        It 'emits events in start-time order with the failures marked' {
            $FailingEvents.Kind | Should -Be @('assistant_note', 'action_failed', 'action_succeeded', 'action_failed')
            $FailingEvents[1].ActionId | Should -Be 'call_read_1'
            $FailingEvents[1].DurationMs | Should -Be 500
        }

        It 'carries the error text in Data' {
            ($FailingEvents[1].Data | ConvertFrom-Json).error | Should -Be 'FileNotFoundError: config.yaml'
            ($FailingEvents[3].Data | ConvertFrom-Json).error | Should -Be 'TimeoutError'
            ($FailingEvents[3].Data | ConvertFrom-Json).arguments.suite | Should -Be 'unit'
        }

        It 'reports the span without a trace id as a non-terminating error naming the file' {
            $FailingErrors.Count | Should -Be 1
            $FailingErrors[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
            $FailingErrors[0].Exception.Message | Should -BeLike '*failing-tool-span.json*'
        }

        It 'keeps the 128-bit trace id as text' {
            $FailingEvents | ForEach-Object { $_.TraceId | Should -BeExactly '340282366920938463463374607431768211455' }
        }

        It 'stops on the bad span with -ErrorAction Stop' {
            { Import-Trace -LiteralPath $Failing -Format OTel -ErrorAction Stop } |
                Should -Throw -ErrorId 'SkillForge.Trace.InvalidRecord,SkillForge.Commands.ImportTraceCommand'
        }
    }

    Context 'OTLP JSON with a guardrail (hand-made)' {
        BeforeAll {
            $script:Guarded = @(Import-Trace -LiteralPath (Join-Path $OTelFixtures 'otlp-guardrail.json') -ErrorAction Stop)
        }

        It 'turns triggered guardrails into policy violations' {
            $Guarded.Kind | Should -Be @('assistant_note', 'action_succeeded', 'policy_violation', 'policy_violation')
            $Guarded[2].Tool | Should -Be 'refund_order'
            $Guarded[3].Tool | Should -Be 'output_policy'
        }

        It 'lower-cases hex trace and span ids' {
            $Guarded | ForEach-Object { $_.TraceId | Should -BeExactly '5b8efff798038103d269b633813fc60c' }
            $Guarded[2].ActionId | Should -BeExactly 'eee19b7ec3c1b176'
        }

        It 'binds a path by property name' {
            $events = @([pscustomobject]@{ Path = (Join-Path $OTelFixtures 'otlp-guardrail.json') } | Import-Trace -Format OTel)
            $events.Count | Should -Be 4
        }
    }

    Context 'OpenAI Agents SDK span export (hand-made)' {
        It 'maps function, failed function, guardrail and agent spans' {
            $events = @(Import-Trace -LiteralPath (Join-Path $OTelFixtures 'agents-sdk.jsonl') -ErrorAction Stop)
            $events.Kind | Should -Be @('assistant_note', 'action_succeeded', 'action_failed', 'policy_violation')
            $events[2].Tool | Should -Be 'refund'
            ($events[2].Data | ConvertFrom-Json).error | Should -Be 'Error running tool: payment gateway timeout'
            $events | ForEach-Object { $_.TraceId | Should -BeExactly 'trace_0a1b2c3d4e5f' }
        }
    }

    Context 'OTLP JSON Lines from a collector file exporter' {
        It 'reads each line and reports the bad one by line number' {
            $span = '{"traceId":"AB","spanId":"01","name":"execute_tool t","startTimeUnixNano":"1000","endTimeUnixNano":"2000","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"execute_tool"}}]}'
            $line = '{"resourceSpans":[{"scopeSpans":[{"spans":[' + $span + ']}]}]}'
            $file = Join-Path $TestDrive 'collector.jsonl'
            Set-Content -LiteralPath $file -Value @($line, '{broken', $line) -Encoding utf8
            $events = @(Import-Trace -LiteralPath $file -Format OTel -ErrorVariable errs -ErrorAction SilentlyContinue)
            $events.Count | Should -Be 2
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'SkillForge.Trace.InvalidJson,SkillForge.Commands.ImportTraceCommand'
            $errs[0].Exception.Message | Should -BeLike '*Line 2*'
        }
    }

    Context 'with Split-Trace' {
        It 'puts the failing spans into Failures' {
            $partition = Import-Trace -LiteralPath (Join-Path $OTelFixtures 'failing-tool-span.json') -ErrorAction SilentlyContinue | Split-Trace
            @($partition).Count | Should -Be 1
            @($partition.Failures).Count | Should -Be 2
            @($partition.Successes).Count | Should -Be 1
        }
    }
}

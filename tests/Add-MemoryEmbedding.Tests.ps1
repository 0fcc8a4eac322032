BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    . $PSScriptRoot/SkillForge.TestServer/TestServer.ps1

    $script:Server = Start-SkillForgeTestServer
    $script:Endpoint = $script:Server.Endpoint
    $script:Fqid = ',SkillForge.Commands.AddMemoryEmbeddingCommand'

    # Tests decide what is configured: nothing from the machine or an earlier test leaks in.
    $script:SavedEnv = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'SKILLFORGE_EMBEDDING_MODEL', 'SKILLFORGE_EMBEDDING_ENDPOINT', 'SKILLFORGE_EMBEDDING_CACHE', 'SKILLFORGE_LOCAL_EMBEDDINGS') {
        $script:SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    Set-SkillForgeContext -Clear

    # The embeddings requests the server received whose first input is $Text (all when $Text is empty).
    function Get-EmbeddingRequest([string] $Text) {
        $log = Invoke-RestMethod -Uri "$script:Endpoint/embedding-requests" -NoProxy
        @($log.data | Where-Object { [string]::IsNullOrEmpty($Text) -or $_.first_input -ceq $Text })
    }

    function Get-Cosine([float[]] $a, [float[]] $b) {
        $dot = 0.0
        for ($i = 0; $i -lt $a.Length; $i++) { $dot += $a[$i] * $b[$i] }
        $dot
    }

    function New-Doc([string] $Id, [string] $Text) { [pscustomobject]@{ Id = $Id; Text = $Text } }
}

AfterAll {
    Stop-SkillForgeTestServer $script:Server
    Set-SkillForgeContext -Clear
    foreach ($name in $script:SavedEnv.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedEnv[$name]) }
}

Describe 'Add-MemoryEmbedding with an embeddings endpoint' {
    BeforeEach { $script:Cache = Join-Path $TestDrive ([guid]::NewGuid()) }

    It 'attaches the vectors the endpoint returns, in input order, to copies of the docs' {
        $unique = [guid]::NewGuid().ToString('N')
        $docs = @(New-Doc 'a' "check the drawer first $unique"), (New-Doc 'b' "the drawer first always $unique"), (New-Doc 'c' "unrelated weather report $unique")
        $out = @($docs | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -CachePath $script:Cache)
        $out.Id | Should -Be 'a', 'b', 'c'
        $out[0] | Should -BeOfType ([SkillForge.MemoryDoc])
        $out[0].EmbeddingModel | Should -Be 'embed-test'
        $out[0].Embedding.Length | Should -Be 64
        # The server's vectors are deterministic: shared words give a higher cosine.
        (Get-Cosine $out[0].Embedding $out[1].Embedding) | Should -BeGreaterThan (Get-Cosine $out[0].Embedding $out[2].Embedding)
        $docs[0].PSObject.Properties['Embedding'] | Should -BeNullOrEmpty
        (Get-EmbeddingRequest "check the drawer first $unique").Count | Should -Be 1
    }

    It 'sends memory text through the redaction pass: no secret or home folder reaches the endpoint' {
        $unique = [guid]::NewGuid().ToString('N')
        $token = 'ghp_' + 'Zq7Lm2Xw9Rt4Vb8Nc1Kd6Hs3Jf5Pg0Ya2Ue7'
        $doc = New-Doc 'leak' "clone https://x-access-token:$token@github.com/acme/api.git into /home/dana/src $unique"
        $null = $doc | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -CachePath $script:Cache
        $sent = @(Get-EmbeddingRequest | Where-Object { $_.first_input -like "*$unique*" })
        $sent.Count | Should -Be 1
        $sent[0].first_input | Should -Not -BeLike "*$token*"
        $sent[0].first_input | Should -Not -BeLike '*/home/dana*'
        $sent[0].first_input | Should -BeLike '*`[redacted:github-token`]*'
    }

    It 'answers a re-run from the cache without a request' {
        $unique = [guid]::NewGuid().ToString('N')
        $docs = 1..5 | ForEach-Object { New-Doc "d$_" "memory$_ $unique" }
        $first = @($docs | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -CachePath $script:Cache)
        $before = @(Get-EmbeddingRequest | Where-Object { $_.first_input -like "*$unique" }).Count
        $second = @($docs | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -CachePath $script:Cache -Verbose 4>&1)
        @(Get-EmbeddingRequest | Where-Object { $_.first_input -like "*$unique" }).Count | Should -Be $before
        $verbose = $second | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match '5 of 5 distinct texts were in the embedding cache'
        $docsOut = $second | Where-Object { $_ -is [SkillForge.MemoryDoc] }
        $docsOut[2].Embedding | Should -Be $first[2].Embedding
        Get-ChildItem -LiteralPath $script:Cache -Recurse -Filter *.vec | Should -HaveCount 5
    }

    It 'keys the cache by model: another model embeds again' {
        $unique = [guid]::NewGuid().ToString('N')
        $null = New-Doc 'x' "same text $unique" | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-one' -CachePath $script:Cache
        $null = New-Doc 'x' "same text $unique" | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-two' -CachePath $script:Cache
        (Get-EmbeddingRequest "same text $unique").model | Should -Be 'embed-one', 'embed-two'
    }

    It 'keeps an embedding a doc already has, unless -Force' {
        $doc = [SkillForge.MemoryDoc]@{ Id = 'k'; Text = "kept $(New-Guid)"; Embedding = [float[]](1, 0, 0) }
        (@($doc | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -NoCache))[0].Embedding | Should -Be @(1, 0, 0)
        (@($doc | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -NoCache -Force))[0].Embedding.Length | Should -Be 64
    }

    It 'retries a rate limit and then succeeds' {
        $unique = [guid]::NewGuid().ToString('N')
        $out = @(New-Doc 'r' "rate limited $unique" | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'ratelimit:1:0' -NoCache)
        $out[0].Embedding.Length | Should -Be 64
        (Get-EmbeddingRequest "rate limited $unique").status | Should -Be 429, 200
    }

    It 'fails with the ErrorId of the failure and keeps the key out of the message' {
        $key = 'sk-test-' + ('k' * 24) + 'TAIL'
        { New-Doc 'u' "unauthorized $(New-Guid)" | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'status:401' -ApiKey $key -NoCache -ErrorAction Stop } |
            Should -Throw -ErrorId "SkillForge.Distill.Unauthorized$script:Fqid"
        try { New-Doc 'u' "unauthorized $(New-Guid)" | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'status:401' -ApiKey $key -NoCache -ErrorAction Stop }
        catch { $_.Exception.Message | Should -Not -Match 'kkkkkkkk' }
    }

    It 'sends nothing with -WhatIf' {
        $unique = [guid]::NewGuid().ToString('N')
        $out = @(New-Doc 'w' "what if $unique" | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -NoCache -WhatIf)
        $out | Should -BeNullOrEmpty
        Get-EmbeddingRequest "what if $unique" | Should -BeNullOrEmpty
    }

    It 'takes the endpoint and key from Set-SkillForgeContext when -EmbeddingModel names a remote model' {
        Set-SkillForgeContext -Endpoint $script:Endpoint -ApiKey 'sk-context-key-0000000000000000'
        try {
            $unique = [guid]::NewGuid().ToString('N')
            $out = @(New-Doc 'c' "from context $unique" | Add-MemoryEmbedding -EmbeddingModel 'embed-test' -NoCache)
            $out[0].EmbeddingModel | Should -Be 'embed-test'
            (Get-EmbeddingRequest "from context $unique")[0].authorized | Should -BeTrue
        }
        finally { Set-SkillForgeContext -Clear }
    }

    It 'asks for a model when a non-OpenAI endpoint is named without one' {
        { New-Doc 'n' 'no model' | Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -NoCache -ErrorAction Stop } |
            Should -Throw -ErrorId "SkillForge.Embedding.NotConfigured$script:Fqid"
    }

    It 'binds objects by property name and reports one without Text without losing the others' {
        $out = @(@{ id = 'h1'; text = "hashtable $(New-Guid)" }, [pscustomobject]@{ Id = 'bad' } |
            Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -NoCache -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Id | Should -Be 'h1'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'SkillForge.Cluster.InvalidInput*'
    }
}

Describe 'Find-MemoryCluster -Similarity Embedding embeds what has no embedding' {
    It 'clusters docs through the endpoint and reports the method and threshold' {
        $unique = [guid]::NewGuid().ToString('N')
        $docs = @(
            New-Doc 'p1' "open the fridge take the apple $unique"
            New-Doc 'p2' "take the apple open the fridge $unique"
            New-Doc 'p3' "the apple take open fridge the $unique"
            New-Doc 'q1' "weather tomorrow is sunny and warm"
        )
        $clusters = @($docs | Find-MemoryCluster -Similarity Embedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -NoCache)
        $clusters | Should -HaveCount 1
        $clusters[0].Method | Should -Be 'Embedding'
        $clusters[0].Threshold | Should -Be 0.85
        ($clusters[0].DocumentIds | Sort-Object) | Should -Be 'p1', 'p2', 'p3'
    }

    It 'leaves alone the embeddings docs bring, whatever model made them' {
        $docs = 1..3 | ForEach-Object { [SkillForge.MemoryDoc]@{ Id = "o$_"; Text = "own vector $(New-Guid)"; Embedding = [float[]]@(1, (0.01 * $_)); EmbeddingModel = 'elsewhere' } }
        $clusters = @($docs | Find-MemoryCluster -Similarity Embedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -NoCache)
        $clusters[0].Size | Should -Be 3
        Get-EmbeddingRequest | Where-Object first_input -like 'own vector*' | Should -BeNullOrEmpty
    }

    It 'embeds nothing and returns nothing with -WhatIf' {
        $unique = [guid]::NewGuid().ToString('N')
        $out = @(1..3 | ForEach-Object { New-Doc "w$_" "what if cluster $unique" } |
            Find-MemoryCluster -Similarity Embedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -NoCache -WhatIf)
        $out | Should -BeNullOrEmpty
        Get-EmbeddingRequest "what if cluster $unique" | Should -BeNullOrEmpty
    }
}

Describe 'Add-MemoryEmbedding with the local model (SkillForge.LocalEmbeddings)' {
    BeforeAll {
        $script:LocalModule = Join-Path (Split-Path -Parent (Split-Path -Parent $script:ModuleManifest)) 'SkillForge.LocalEmbeddings'
    }

    It 'is the default: 384 unit-length values from all-MiniLM-L6-v2, paraphrases close and unrelated facts far' {
        $docs = @(
            New-Doc 'a' 'Always check the drawer before searching the countertops.'
            New-Doc 'b' 'Look inside the drawers first and only then go over the counters.'
            New-Doc 'c' 'The quarterly invoice is due on the first of the month.'
        )
        $out = @($docs | Add-MemoryEmbedding -NoCache)
        $out[0].EmbeddingModel | Should -Be 'all-MiniLM-L6-v2'
        $out[0].Embedding.Length | Should -Be 384
        [math]::Sqrt((Get-Cosine $out[0].Embedding $out[0].Embedding)) | Should -BeGreaterThan 0.999
        (Get-Cosine $out[0].Embedding $out[1].Embedding) | Should -BeGreaterThan 0.6
        (Get-Cosine $out[0].Embedding $out[2].Embedding) | Should -BeLessThan 0.3
    }

    It 'groups paraphrases that lexical similarity leaves apart' {
        $docs = @(
            New-Doc 'h1' 'To heat an object, put it in the microwave and turn it on.'
            New-Doc 'h2' 'Warm things up by placing them inside the microwave and switching it on.'
            New-Doc 'h3' 'Heat food by putting it into the microwave, then start it.'
            New-Doc 'x1' 'The user has a sister named Clara.'
        )
        $docs | Find-MemoryCluster -Similarity Lexical | Should -BeNullOrEmpty
        $clusters = @($docs | Find-MemoryCluster -Similarity Embedding -NoCache)
        $clusters | Should -HaveCount 1
        $clusters[0].Threshold | Should -Be 0.47
        ($clusters[0].DocumentIds | Sort-Object) | Should -Be 'h1', 'h2', 'h3'
    }

    It 'keeps apart memories of one template that say different things' {
        $docs = @(
            New-Doc 'g1' 'The user prefers replies in German.'
            New-Doc 'g2' 'Answer this person in German, that is what they like.'
            New-Doc 's1' 'The user prefers replies in Spanish.'
        )
        $clusters = @($docs | Find-MemoryCluster -Similarity Embedding -MinSize 2 -NoCache)
        $clusters | Should -HaveCount 1
        ($clusters[0].DocumentIds | Sort-Object) | Should -Be 'g1', 'g2'
    }

    It 'embeds the normalised text: object numbers do not separate two memories' {
        $out = @(New-Doc 'n1' 'Take the bowl 3 from cabinet 2.'), (New-Doc 'n2' 'Take the bowl 1 from cabinet 7.') | Add-MemoryEmbedding -NoCache
        (Get-Cosine $out[0].Embedding $out[1].Embedding) | Should -BeGreaterThan 0.9999
        $out[0].Text | Should -Be 'Take the bowl 3 from cabinet 2.'
    }

    It 'says where it looked when the companion module is missing' {
        $env:SKILLFORGE_LOCAL_EMBEDDINGS = Join-Path $TestDrive 'nowhere'
        try {
            # The model may already be loaded in this session; a fresh process finds nothing.
            $script = "Import-Module '$script:ModuleManifest'; try { [pscustomobject]@{ Id='a'; Text='x' } | Add-MemoryEmbedding -NoCache -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
            $result = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script
            $result[0] | Should -BeLike 'SkillForge.Embedding.LocalModelMissing*'
            $result[1] | Should -Match 'nowhere'
        }
        finally { $env:SKILLFORGE_LOCAL_EMBEDDINGS = $null }
    }

    It 'loads the model into a load context of its own, not the default one' {
        $null = New-Doc 'l' 'load context' | Add-MemoryEmbedding -NoCache
        $onnx = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.ML.OnnxRuntime' }
        $onnx | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($onnx[0]).Name | Should -Be 'SkillForge.LocalEmbeddings'
        $script:LocalModule | Should -Exist
    }
}

Describe 'The embedding cache' {
    It 'stays safe when parallel runs share it: every doc gets the same vector, no partial file is left' {
        $cache = Join-Path $TestDrive 'shared-cache'
        $unique = [guid]::NewGuid().ToString('N')
        $manifest = $script:ModuleManifest
        $endpoint = $script:Endpoint
        $results = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            $u = $using:unique
            $docs = 1..40 | ForEach-Object { [pscustomobject]@{ Id = "c$_"; Text = "concurrent$_ $u" } }
            $out = $docs | Add-MemoryEmbedding -EmbeddingEndpoint $using:endpoint -EmbeddingModel 'embed-test' -CachePath $using:cache
            ($out | ForEach-Object { $_.Embedding -join ',' }) -join ';'
        }
        @($results | Select-Object -Unique) | Should -HaveCount 1
        Get-ChildItem -LiteralPath $cache -Recurse -Filter *.vec | Should -HaveCount 40
        Get-ChildItem -LiteralPath $cache -Recurse -Filter *.tmp | Should -BeNullOrEmpty
    }

    It 'stays within its size bound' {
        $cache = Join-Path $TestDrive 'bounded-cache'
        $env:SKILLFORGE_EMBEDDING_CACHE_MB = '0'
        try {
            $null = 1..10 | ForEach-Object { New-Doc "b$_" "bounded$_ $(New-Guid)" } |
                Add-MemoryEmbedding -EmbeddingEndpoint $script:Endpoint -EmbeddingModel 'embed-test' -CachePath $cache
            @(Get-ChildItem -LiteralPath $cache -Recurse -Filter *.vec).Count | Should -Be 0
        }
        finally { $env:SKILLFORGE_EMBEDDING_CACHE_MB = $null }
    }
}

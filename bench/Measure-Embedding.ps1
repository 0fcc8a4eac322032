#Requires -Version 7.4
<#
.SYNOPSIS
    Calibrates and measures semantic similarity: threshold quality on labelled pairs, embedding throughput of
    the local model, and clustering with embeddings at scale.

.DESCRIPTION
    Three parts, each printed as a table:

      pairs     bench/data/embedding-pairs.tsv: paraphrases an admin would merge (label 1) and same-shaped
                memories that say different things (label 0). Every pair is embedded with the model
                (Add-MemoryEmbedding) and scored by cosine, and by Find-MemoryCluster's lexical Jaccard.
                Prints pair precision and recall of what Find-MemoryCluster scores (for a calibrated model the
                cosine beyond word overlap, see OverlapDiscount) at the model's default threshold, of the plain
                cosine at its best threshold, of lexical at its 0.6, and the threshold the sweep picks (best F1
                among thresholds with precision >= 0.8).
      embed     -Count (default 10,000) short generated memories through Add-MemoryEmbedding -NoCache: texts
                per second; then the same docs again through a fresh cache twice, to show a re-run's cost.
      cluster   Find-MemoryCluster -Similarity Embedding over the embedded docs, and over -ClusterCount
                (default 100,000) generated 384-value vectors in groups: docs per second and how many
                similarities were computed against the n(n-1)/2 an all-pairs comparison needs.

    Run it from `pwsh -NoProfile` after ./build.ps1 Build (it imports out/SkillForge, which loads the local
    model from out/SkillForge.LocalEmbeddings). Figures are from one run on one machine.

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-Embedding.ps1

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-Embedding.ps1 -Part pairs
#>
[CmdletBinding()]
param(
    [ValidateSet('pairs', 'embed', 'cluster')]
    [string[]] $Part = @('pairs', 'embed', 'cluster'),

    [ValidateRange(10, 1000000)]
    [int] $Count = 10000,

    [ValidateRange(10, 10000000)]
    [int] $ClusterCount = 100000,

    # An embeddings endpoint model instead of the local one (with -EmbeddingEndpoint).
    [string] $EmbeddingModel,
    [uri] $EmbeddingEndpoint
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$repo = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $repo 'out/SkillForge/SkillForge.psd1') -Force
$embedArgs = @{}
if ($EmbeddingModel) { $embedArgs.EmbeddingModel = $EmbeddingModel }
if ($EmbeddingEndpoint) { $embedArgs.EmbeddingEndpoint = $EmbeddingEndpoint }
$model = if ($EmbeddingModel) { $EmbeddingModel } else { [SkillForge.Embeddings.EmbeddingModelCatalog]::LocalModel }

function Get-Cosine([float[]] $a, [float[]] $b) {
    $dot = 0.0; $na = 0.0; $nb = 0.0
    for ($i = 0; $i -lt $a.Length; $i++) { $dot += $a[$i] * $b[$i]; $na += $a[$i] * $a[$i]; $nb += $b[$i] * $b[$i] }
    $dot / [math]::Sqrt($na * $nb)
}

function Measure-Pairs([object[]] $pairs, [string] $score, [double] $threshold) {
    $tp = @($pairs | Where-Object { $_.Label -eq 1 -and $_.$score -ge $threshold }).Count
    $fp = @($pairs | Where-Object { $_.Label -eq 0 -and $_.$score -ge $threshold }).Count
    $fn = @($pairs | Where-Object { $_.Label -eq 1 -and $_.$score -lt $threshold }).Count
    $precision = if ($tp + $fp) { $tp / ($tp + $fp) } else { 1.0 }
    $recall = if ($tp + $fn) { $tp / ($tp + $fn) } else { 0.0 }
    [pscustomobject]@{
        Similarity = $score; Threshold = [math]::Round($threshold, 2)
        Precision = [math]::Round($precision, 3); Recall = [math]::Round($recall, 3)
        F1 = if ($precision + $recall) { [math]::Round(2 * $precision * $recall / ($precision + $recall), 3) } else { 0 }
        TruePositives = $tp; FalsePositives = $fp
    }
}

if ('pairs' -in $Part) {
    $lines = Get-Content -LiteralPath (Join-Path $PSScriptRoot 'data/embedding-pairs.tsv') | Where-Object { $_ -and -not $_.StartsWith('#') }
    $pairs = @(foreach ($line in $lines) {
        $label, $first, $second = $line -split "`t"
        [pscustomobject]@{ Label = [int]$label; First = $first; Second = $second; Embedding = 0.0; Cosine = 0.0; Lexical = [SkillForge.Clustering.LexicalSimilarity]::Jaccard($first, $second) }
    })
    $docs = for ($i = 0; $i -lt $pairs.Count; $i++) {
        [pscustomobject]@{ Id = "p$i-a"; Text = $pairs[$i].First }
        [pscustomobject]@{ Id = "p$i-b"; Text = $pairs[$i].Second }
    }
    $byId = @{}
    $docs | Add-MemoryEmbedding -NoCache @embedArgs | ForEach-Object { $byId[$_.Id] = $_ }
    for ($i = 0; $i -lt $pairs.Count; $i++) {
        $a = $byId["p$i-a"]; $b = $byId["p$i-b"]
        $pairs[$i].Cosine = Get-Cosine $a.Embedding $b.Embedding
        # What Find-MemoryCluster scores: beyond word overlap for calibrated models, plain cosine for the others.
        $pairs[$i].Embedding = if ([SkillForge.Embeddings.EmbeddingModelCatalog]::DiscountsWordOverlap($model)) { [SkillForge.Embeddings.OverlapDiscount]::Similarity($a, $b) } else { $pairs[$i].Cosine }
    }

    $default = [SkillForge.Embeddings.EmbeddingModelCatalog]::DefaultThreshold($model)
    $sweep = foreach ($t in 30..95) { Measure-Pairs $pairs 'Embedding' ($t / 100) }
    $best = $sweep | Where-Object Precision -ge 0.8 | Sort-Object F1, Threshold -Descending | Select-Object -First 1
    $cosineBest = foreach ($t in 30..95) { Measure-Pairs $pairs 'Cosine' ($t / 100) }
    $cosineBest = $cosineBest | Where-Object Precision -ge 0.8 | Sort-Object F1 -Descending | Select-Object -First 1
    $lexSweep = foreach ($t in 5..95) { Measure-Pairs $pairs 'Lexical' ($t / 100) }
    $lexBest = $lexSweep | Where-Object Precision -ge 0.8 | Sort-Object F1 -Descending | Select-Object -First 1
    "Labelled pairs: $(@($pairs | Where-Object Label -eq 1).Count) paraphrases, $(@($pairs | Where-Object Label -eq 0).Count) same-shaped different facts; model $model"
    "Embedding = what Find-MemoryCluster scores (for calibrated models the cosine beyond word overlap); Cosine = the plain cosine at its best threshold; Lexical = Jaccard."
    @(
        Measure-Pairs $pairs 'Embedding' $default
        $cosineBest
        Measure-Pairs $pairs 'Lexical' ([SkillForge.Clustering.ClusterOptions]::DefaultLexicalThreshold)
        $lexBest
    ) | Format-Table -AutoSize | Out-String -Width 200
    "Best embedding threshold on these pairs (precision >= 0.8, best F1): $($best.Threshold) (precision $($best.Precision), recall $($best.Recall)); the catalog default for $model is $default."
    "Per-model default thresholds:"
    [SkillForge.Embeddings.EmbeddingModelCatalog]::CalibratedThresholds.GetEnumerator() | ForEach-Object { "  $($_.Key)  $($_.Value)  (calibrated)" }
    "  any other model  $([SkillForge.Embeddings.EmbeddingModelCatalog]::UncalibratedThreshold)  (uncalibrated: give -SimilarityThreshold)"
    ""
}

# Short memories in the style of agent memory stores: templates x subjects x details, every text distinct.
function New-ShortMemory([int] $n) {
    $verbs = 'Check', 'Prefer', 'Avoid', 'Remember', 'Use', 'Never skip', 'Always run', 'Look at'
    $objects = 'the drawer', 'the staging database', 'the release notes', 'pnpm', 'the fridge', 'the retry queue', 'dark mode', 'the invoice service'
    $contexts = 'before deploying', 'when the build fails', 'for this user', 'on Tuesdays', 'after lunch', 'in the kitchen', 'during review', 'if tests time out'
    for ($i = 0; $i -lt $n; $i++) {
        [SkillForge.MemoryDoc]@{
            Id = "m$i"; Scope = 'bench'; AccessCount = $i % 17
            Text = "$($verbs[$i % 8]) $($objects[($i -shr 3) % 8]) $($contexts[($i -shr 6) % 8]) (note $i)."
        }
    }
}

$embedded = $null
if ('embed' -in $Part -or 'cluster' -in $Part) {
    $memories = @(New-ShortMemory $Count)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $embedded = @($memories | Add-MemoryEmbedding -NoCache @embedArgs)
    $seconds = $clock.Elapsed.TotalSeconds
    $cache = Join-Path ([IO.Path]::GetTempPath()) "skillforge-bench-cache-$PID"
    try {
        $clock.Restart(); $null = $memories | Add-MemoryEmbedding -CachePath $cache @embedArgs; $cold = $clock.Elapsed.TotalSeconds
        $clock.Restart(); $null = $memories | Add-MemoryEmbedding -CachePath $cache @embedArgs; $warm = $clock.Elapsed.TotalSeconds
    }
    finally { Remove-Item -LiteralPath $cache -Recurse -Force -ErrorAction SilentlyContinue }
    "Embedding $Count short memories with ${model}: $([math]::Round($seconds, 1)) s, $([math]::Round($Count / $seconds)) texts/s on $([Environment]::ProcessorCount) cores."
    "Through the cache: first run $([math]::Round($cold, 1)) s (fills it), re-run $([math]::Round($warm, 1)) s ($([math]::Round($Count / $warm)) docs/s, nothing embedded)."
    ""
}

if ('cluster' -in $Part) {
    function Measure-Cluster([object[]] $docs, [string] $what) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $verbose = @()
        $clusters = @($docs | Find-MemoryCluster -Similarity Embedding -Verbose 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { $verbose += $_.Message } else { $_ } })
        $seconds = $clock.Elapsed.TotalSeconds
        $computed = ($verbose | Select-String '(\d+) similarities computed' | ForEach-Object { [long]$_.Matches[0].Groups[1].Value } | Measure-Object -Sum).Sum
        $allPairs = [long]$docs.Count * ($docs.Count - 1) / 2
        "Clustering $what ($($docs.Count) docs): $([math]::Round($seconds, 1)) s, $([math]::Round($docs.Count / $seconds)) docs/s, $($clusters.Count) clusters; " +
            "$computed similarities computed of $allPairs pairs ($([math]::Round(100.0 * $computed / $allPairs, 3))%)."
    }
    Measure-Cluster $embedded "the $Count embedded memories"

    # Generated vectors: groups of 5 around random centres in 384 dimensions, plus noise.
    Add-Type -ReferencedAssemblies ([SkillForge.MemoryDoc].Assembly.Location), 'System.Runtime', 'System.Collections' -TypeDefinition @'
public static class SkillForgeBenchVectors {
    public static SkillForge.MemoryDoc[] Make(int n, int dims, int seed) {
        var r = new System.Random(seed);
        var docs = new SkillForge.MemoryDoc[n];
        float[] centre = null;
        for (int i = 0; i < n; i++) {
            if (i % 5 == 0) { centre = new float[dims]; for (int k = 0; k < dims; k++) centre[k] = (float)(r.NextDouble() * 2 - 1); }
            var v = new float[dims];
            for (int k = 0; k < dims; k++) v[k] = centre[k] + (float)((r.NextDouble() * 2 - 1) * 0.3);
            docs[i] = new SkillForge.MemoryDoc { Id = "v" + i, Text = "vector " + i, Scope = "bench", Embedding = v, EmbeddingModel = "bench-vectors" };
        }
        return docs;
    }
}
'@
    Measure-Cluster ([SkillForgeBenchVectors]::Make($ClusterCount, 384, 7)) "$ClusterCount generated 384-value vectors in groups of 5"
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using SkillForge.Clustering;

namespace SkillForge.Benchmarks
{
    /// <summary>One planted near-duplicate cluster: the seed doc (the most accessed) and its paraphrases.</summary>
    public sealed class PlantedCluster
    {
        public string SeedId { get; set; } = "";
        public string Scope { get; set; } = "";
        public List<string> MemberIds { get; } = new List<string>();
    }

    /// <summary>A generated memory export and the clusters planted in it.</summary>
    public sealed class GeneratedExport
    {
        public List<MemoryDoc> Docs { get; } = new List<MemoryDoc>();
        public List<PlantedCluster> Clusters { get; } = new List<PlantedCluster>();
    }

    /// <summary>
    /// Seeded generator of realistic-looking agent memory exports. Distinct docs are 2–4 sentences drawn from
    /// about 60 sentence templates whose slots (services, tools, paths, people, numbers, …) come from large
    /// vocabularies, so two facts from the same templates mostly score below 0.5. About a tenth of the docs
    /// sit in planted clusters: a seed doc plus 2–7 paraphrases (adjacent words swapped, filler words inserted,
    /// words deleted) that score 0.62–1.0 against the seed (checked with the clusterer's own Jaccard).
    /// </summary>
    public static class MemoryExportGenerator
    {
        public const double PlantedFraction = 0.10;
        private const double MinMemberSimilarity = 0.62;

        private static readonly string[] Scopes = { "payments", "search", "infra", "mobile", "data-platform", "support" };
        private static readonly string[] Kinds = { "fact", "procedure", "preference", "incident", "decision" };
        private static readonly string[] Fillers = { "also", "usually", "still", "now", "always", "again", "really", "then", "first", "only" };

        private static readonly string[] Adjectives =
        {
            "billing", "ledger", "invoice", "search", "catalog", "profile", "session", "auth", "gateway", "router", "notify", "email",
            "report", "export", "import", "metrics", "audit", "payment", "refund", "pricing", "inventory", "shipping", "tracking", "order",
            "cart", "review", "media", "upload", "thumbnail", "feature", "config", "secret", "scheduler", "queue", "stream", "index",
        };
        private static readonly string[] Nouns =
        {
            "api", "service", "worker", "daemon", "proxy", "cache", "store", "sync", "job", "pipeline", "gateway", "bridge", "engine",
            "hub", "agent", "monitor", "loader", "writer", "reader", "broker", "cron", "backend", "frontend", "relay", "watcher",
        };
        private static readonly string[] Tools =
        {
            "terraform", "helm", "kubectl", "ansible", "docker", "podman", "bazel", "gradle", "maven", "npm", "pnpm", "yarn", "cargo",
            "poetry", "pip", "uv", "make", "cmake", "ninja", "jest", "pytest", "xunit", "pester", "vitest", "playwright", "cypress",
            "grafana", "prometheus", "loki", "tempo", "jaeger", "sentry", "datadog", "pagerduty", "vault", "consul", "nomad", "argo",
            "flux", "jenkins", "buildkite", "circleci", "sonar", "trivy", "snyk", "renovate", "dependabot", "redis", "kafka", "rabbitmq",
        };
        private static readonly string[] Databases = { "postgres", "mysql", "sqlite", "mongodb", "cassandra", "dynamodb", "clickhouse", "bigquery", "snowflake", "elasticsearch", "opensearch", "cockroachdb", "mariadb", "neo4j", "timescale" };
        private static readonly string[] Environments = { "staging", "production", "canary", "preview", "dev", "qa", "sandbox", "perf", "demo", "hotfix" };
        private static readonly string[] Regions = { "eu-west-1", "eu-central-1", "us-east-1", "us-east-2", "us-west-2", "ap-south-1", "ap-northeast-1", "sa-east-1", "ca-central-1", "af-south-1" };
        private static readonly string[] People =
        {
            "amara", "bogdan", "chen", "dalia", "emeka", "farah", "goran", "hana", "ivo", "jamal", "kasia", "lior", "mateo", "noor",
            "oskar", "priya", "quinn", "rania", "soren", "tomas", "uma", "viktor", "wen", "ximena", "yusuf", "zofia", "aiko", "bruno",
            "carmen", "dmitri", "elif", "felix", "greta", "hugo", "ines", "jonas", "keiko", "lars", "maya", "nils",
        };
        private static readonly string[] Teams = { "platform", "sre", "growth", "checkout", "identity", "data", "ml", "security", "mobile", "web", "devex", "finance", "support", "search", "infra" };
        private static readonly string[] Languages = { "python", "go", "rust", "typescript", "java", "kotlin", "csharp", "swift", "ruby", "elixir", "scala", "php" };
        private static readonly string[] Folders = { "src", "lib", "config", "deploy", "scripts", "tools", "docs", "tests", "charts", "infra", "migrations", "fixtures", "assets", "ops" };
        private static readonly string[] Files = { "settings", "values", "main", "handler", "client", "schema", "routes", "worker", "policy", "retry", "limits", "flags", "secrets", "logging", "startup" };
        private static readonly string[] Extensions = { "yaml", "json", "toml", "py", "go", "ts", "rs", "cs", "sql", "sh", "tf", "ini" };
        private static readonly string[] Errors = { "timeout", "deadlock", "oom", "throttling", "certificate expiry", "dns failure", "disk pressure", "connection reset", "schema drift", "clock skew", "stale cache", "race condition", "memory leak", "permission denied", "quota exhaustion" };
        private static readonly string[] Days = { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" };
        private static readonly string[] Branches = { "main", "trunk", "develop", "release", "next", "stable" };
        private static readonly string[] Verbs = { "restart", "redeploy", "rollback", "scale", "drain", "rotate", "purge", "reindex", "backfill", "pause", "resume", "migrate" };

        // Slots: {svc} {svc2} {tool} {tool2} {db} {env} {region} {person} {person2} {team} {lang} {path} {num} {num2} {err} {day} {branch} {verb} {ver} {port} {pct}
        private static readonly string[] Templates =
        {
            "The {svc} deploys to {env} in {region} with {tool} and needs {num} replicas.",
            "{person} from the {team} team owns {svc} and prefers reviews before {day} noon.",
            "Run {tool} against {path} before merging into {branch}, otherwise the {svc} build breaks.",
            "The {svc} reads its settings from {path} and falls back to {db} when the file is missing.",
            "When {svc} reports {err} in {env}, {verb} it and page the {team} on-call.",
            "Use {tool2} {ver} for {svc}; version {num2} caused {err} last quarter.",
            "{person} said the {db} cluster in {region} is near {pct} percent disk usage.",
            "The {team} team writes {svc} in {lang} and tests it with {tool}.",
            "Port {port} on {svc} is reserved for the {tool} exporter in {env}.",
            "Nightly {verb} of {svc} runs at {num} utc and takes about {num2} minutes.",
            "Secrets for {svc} live in {tool} under {path}, rotated every {num} days.",
            "{person2} asked to keep {svc} logs for {num} days because of the {team} audit.",
            "The {svc} calls {svc2} over grpc with a {num} ms timeout and {num2} retries.",
            "Migrations for {db} sit in {path} and must be applied before the {svc} deploy.",
            "Feature flag {file}-{num} gates the new {svc} flow for {pct} percent of {env} traffic.",
            "If {tool} fails on {branch} with {err}, clear the cache in {path} and rerun.",
            "{person} prefers {lang} over {lang2} for new {team} services.",
            "The {svc} dashboard in {tool} shows p99 latency above {num} ms on {day}s.",
            "Backups of {db} in {region} are kept for {num} days and checked by {person}.",
            "Ask {person} before you {verb} {svc} in {env}; {svc2} depends on it.",
            "The {team} team moved {svc} from {db} to {db2} in release {ver}.",
            "Incident {num}: {err} in {svc} after a {tool} upgrade, fixed by {person2}.",
            "The {svc} image is built with {tool} from {path} and pushed to the {region} registry.",
            "Load tests for {svc} use {tool2} with {num} virtual users against {env}.",
            "{svc} rate limits clients to {num} requests per minute per token.",
            "On-call for {team} rotates on {day}; {person} covers {svc} this week.",
            "Config key {file}.{file2} controls how many {svc} workers start, default {num}.",
            "The {lang} client for {svc} lives in {path} and is released by {tool}.",
            "Alerts for {err} on {svc} go to the {team} channel and to {person2}.",
            "Cost of {svc} in {region} grew {pct} percent after moving to {db}.",
            "{person} documented how to {verb} {svc} in {path}.",
            "The staging copy of {db} is refreshed from {env} every {day}.",
            "Schema changes in {db} need approval from {person} and the {team} team.",
            "The {svc} health check hits {path} on port {port} every {num} seconds.",
            "Use {branch} for hotfixes to {svc}; {branch2} is frozen until release {ver}.",
            "{svc} caches results in {tool2} for {num} seconds to spare {db}.",
            "Build agents for {team} run {tool} {ver} with {num} GB of memory.",
            "Clients of {svc} must send the {file} header, or requests fail with {err}.",
            "{person2} found that {err} in {svc} comes from {svc2} during {verb} windows.",
            "Tracing for {svc} goes through {tool2} with a sample rate of {pct} percent.",
            "The {svc} job in {tool} is pinned to {region} because of data residency.",
            "Customer exports from {svc} are written to {path} as {ext} files.",
            "{team} prefers squash merges and {tool} checks on every {svc} pull request.",
            "Never {verb} {db} in {env} during business hours; {person} will object.",
            "The {svc} queue in {tool2} holds at most {num} messages before back pressure.",
            "Dependency updates for {svc} come from {tool2} every {day} morning.",
            "TLS certificates for {svc} expire every {num} days and renew through {tool}.",
            "Replica lag on {db} above {num} seconds breaks {svc} reads in {region}.",
            "The {lang} linter config for {team} is in {path} and blocks {err} patterns.",
            "{person} and {person2} pair on {svc} every {day} afternoon.",
            "Canary analysis for {svc} compares error rate and latency over {num} minutes.",
            "Logs from {svc} older than {num} days move to cold storage in {region}.",
            "Sandbox accounts for {team} are cleaned by {tool} every {day} night.",
            "The {svc} admin page is behind sso and only {team} members can open it.",
            "A {verb} of {svc} needs {num} minutes of downtime announced to {team}.",
            "{svc} writes audit events to {db2} with a retention of {num} months.",
            "Version {ver} of {svc} dropped support for {lang} {num2} clients.",
            "The {team} runbook for {err} lives in {path} and was last updated by {person}.",
            "Batch size for {svc} imports is {num} rows; larger batches hit {err} in {db}.",
            "{person} wants every {svc} change to mention the ticket in the {branch} commit.",
        };

        /// <summary>Generates count docs (deterministic for a seed) with planted clusters.</summary>
        public static GeneratedExport Generate(int count, int seed = 20251121)
        {
            var export = new GeneratedExport();
            var random = new Random(seed);
            int next = 0;
            while (export.Docs.Count < count)
            {
                int remaining = count - export.Docs.Count;
                // A cluster averages 5.5 docs: starting one with probability f / (5.5 − 4.5 f) puts a fraction f of docs in clusters.
                if (remaining >= 3 && random.NextDouble() < PlantedFraction / (5.5 - 4.5 * PlantedFraction))
                {
                    int size = Math.Min(remaining, 3 + random.Next(6));
                    PlantCluster(export, random, ref next, size);
                }
                else
                {
                    export.Docs.Add(DistinctDoc(random, ref next));
                }
            }
            return export;
        }

        /// <summary>Writes docs as JSONL in SkillForge's export shape (snake_case fields).</summary>
        public static long WriteJsonl(string path, IEnumerable<MemoryDoc> docs)
        {
            long written = 0;
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
            var newline = new byte[] { (byte)'\n' };
            foreach (var d in docs)
            {
                writer.WriteStartObject();
                writer.WriteString("id", d.Id);
                writer.WriteString("text", d.Text);
                writer.WriteString("tier", d.Tier);
                writer.WriteString("scope", d.Scope);
                writer.WriteStartArray("tags");
                foreach (var t in d.Tags) writer.WriteStringValue(t);
                writer.WriteEndArray();
                writer.WriteString("kind", d.Kind);
                writer.WriteNumber("access_count", d.AccessCount);
                if (d.CreatedAt is DateTimeOffset created) writer.WriteString("created_at", created);
                writer.WriteEndObject();
                writer.Flush();
                stream.Write(newline, 0, 1);
                writer.Reset();
                written++;
            }
            return written;
        }

        /// <summary>Writes the planted clusters as a JSON array of {seed_id, scope, member_ids}.</summary>
        public static void WriteGroundTruth(string path, IEnumerable<PlantedCluster> clusters)
        {
            using var stream = File.Create(path);
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartArray();
            foreach (var c in clusters)
            {
                writer.WriteStartObject();
                writer.WriteString("seed_id", c.SeedId);
                writer.WriteString("scope", c.Scope);
                writer.WriteStartArray("member_ids");
                foreach (var m in c.MemberIds) writer.WriteStringValue(m);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }

        private static void PlantCluster(GeneratedExport export, Random random, ref int next, int size)
        {
            var seed = DistinctDoc(random, ref next);
            seed.Tier = "Core";
            seed.Tags = new[] { "runbook" };
            seed.AccessCount = 60 + random.Next(40);
            export.Docs.Add(seed);
            var planted = new PlantedCluster { SeedId = seed.Id, Scope = seed.Scope };
            var words = seed.Text.Split(' ');
            for (int m = 1; m < size; m++)
            {
                string text = seed.Text;
                for (int ops = 1 + random.Next(4); ops >= 1; ops--)
                {
                    text = Paraphrase(words, ops, random);
                    if (LexicalSimilarity.Jaccard(seed.Text, text) >= MinMemberSimilarity) break;
                }
                if (LexicalSimilarity.Jaccard(seed.Text, text) < MinMemberSimilarity) text = seed.Text;
                var member = new MemoryDoc
                {
                    Id = NextId(ref next),
                    Text = text,
                    Tier = "Core",
                    Scope = seed.Scope,
                    Kind = seed.Kind,
                    AccessCount = random.Next(60),
                    CreatedAt = seed.CreatedAt!.Value.AddHours(random.Next(1, 2000)),
                };
                export.Docs.Add(member);
                planted.MemberIds.Add(member.Id);
            }
            export.Clusters.Add(planted);
        }

        private static string Paraphrase(string[] seedWords, int ops, Random random)
        {
            var words = new List<string>(seedWords);
            for (int k = 0; k < ops; k++)
            {
                switch (random.Next(3))
                {
                    case 0 when words.Count > 2:
                        int i = random.Next(words.Count - 1);
                        (words[i], words[i + 1]) = (words[i + 1], words[i]);
                        break;
                    case 1 when words.Count > 4:
                        words.RemoveAt(random.Next(words.Count));
                        break;
                    default:
                        words.Insert(random.Next(words.Count + 1), Fillers[random.Next(Fillers.Length)]);
                        break;
                }
            }
            return string.Join(" ", words);
        }

        /// <summary>
        /// Pairs of texts written from the same sentence templates, in the same order, with independent slot values:
        /// the "different facts from the same template" case, which should mostly score below 0.5.
        /// </summary>
        public static IEnumerable<(string A, string B)> SameTemplatePairs(int count, int seed = 7)
        {
            var random = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                var templates = PickTemplates(random);
                yield return (Compose(templates, random), Compose(templates, random));
            }
        }

        private static int[] PickTemplates(Random random)
        {
            var templates = new int[2 + random.Next(3)];
            for (int i = 0; i < templates.Length; i++) templates[i] = random.Next(Templates.Length);
            return templates;
        }

        private static string Compose(int[] templates, Random random)
        {
            var sb = new StringBuilder();
            for (int s = 0; s < templates.Length; s++)
            {
                if (s > 0) sb.Append(' ');
                sb.Append(Fill(Templates[templates[s]], random));
            }
            return sb.ToString();
        }

        private static MemoryDoc DistinctDoc(Random random, ref int next)
        {
            var sb = new StringBuilder(Compose(PickTemplates(random), random));
            double tierRoll = random.NextDouble();
            var doc = new MemoryDoc
            {
                Id = NextId(ref next),
                Text = sb.ToString(),
                Tier = tierRoll < 0.85 ? "Core" : tierRoll < 0.95 ? "Working" : "Archive",
                Scope = Scopes[random.Next(Scopes.Length)],
                Kind = Kinds[random.Next(Kinds.Length)],
                AccessCount = random.Next(80),
                Tags = random.NextDouble() < 0.05 ? new[] { "crystallized" } : random.NextDouble() < 0.3 ? new[] { Teams[random.Next(Teams.Length)] } : Array.Empty<string>(),
                CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 500_000)),
            };
            return doc;
        }

        private static string NextId(ref int next) => "mem-" + (next++).ToString("D7", CultureInfo.InvariantCulture);

        private static string Fill(string template, Random random)
        {
            var sb = new StringBuilder(template.Length + 40);
            int i = 0;
            while (i < template.Length)
            {
                char c = template[i];
                if (c != '{')
                {
                    sb.Append(c);
                    i++;
                    continue;
                }
                int end = template.IndexOf('}', i);
                string slot = template.Substring(i + 1, end - i - 1);
                sb.Append(SlotValue(slot, random));
                i = end + 1;
            }
            return sb.ToString();
        }

        private static string Pick(string[] values, Random random) => values[random.Next(values.Length)];

        private static string SlotValue(string slot, Random random)
        {
            switch (slot.TrimEnd('2'))
            {
                case "svc": return Pick(Adjectives, random) + "-" + Pick(Nouns, random);
                case "tool": return Pick(Tools, random);
                case "db": return Pick(Databases, random);
                case "env": return Pick(Environments, random);
                case "region": return Pick(Regions, random);
                case "person": return Pick(People, random);
                case "team": return Pick(Teams, random);
                case "lang": return Pick(Languages, random);
                case "path": return Pick(Folders, random) + "/" + Pick(Files, random) + "." + Pick(Extensions, random);
                case "file": return Pick(Files, random);
                case "ext": return Pick(Extensions, random);
                case "num": return (1 + random.Next(999)).ToString(CultureInfo.InvariantCulture);
                case "err": return Pick(Errors, random);
                case "day": return Pick(Days, random);
                case "branch": return Pick(Branches, random);
                case "verb": return Pick(Verbs, random);
                case "ver": return string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}", 1 + random.Next(9), random.Next(30), random.Next(20));
                case "port": return (1024 + random.Next(60000)).ToString(CultureInfo.InvariantCulture);
                case "pct": return (1 + random.Next(99)).ToString(CultureInfo.InvariantCulture);
                default: return slot;
            }
        }
    }
}

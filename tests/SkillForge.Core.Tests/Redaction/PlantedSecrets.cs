using System.Collections.Generic;

namespace SkillForge.Tests.Redaction
{
    /// <summary>
    /// Fake values of every kind the redaction pass knows, each in the sentence an agent would have seen it in.
    /// The values are assembled from parts so that no scanner mistakes this file for a leak.
    /// </summary>
    public static class PlantedSecrets
    {
        public sealed class Sample
        {
            public Sample(string kind, string value, string before, string after = "")
            {
                Kind = kind;
                Value = value;
                Text = before + value + after;
            }

            public string Kind { get; }
            public string Value { get; }
            public string Text { get; }

            public override string ToString() => Kind + ": " + Text.Replace(Value, "<value>");
        }

        private const string Alnum36 = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c";

        public static readonly string OpenAIKey = "sk-" + "proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3i";
        public static readonly string AnthropicKey = "sk-" + "ant-api03-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA-_abc123DEF";
        public static readonly string GoogleKey = "AI" + "za" + "SyD3kFj8sLq0wPz7Xc4vBn2mQr5tYu9iOp1";
        public static readonly string GitHubClassic = "gh" + "p_" + Alnum36;
        public static readonly string GitHubFineGrained = "github" + "_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
        public static readonly string GitHubUrlToken = "v1.a8f3e9c2d7b4" + "f1e6a5c3b2d9";
        public static readonly string GitLabToken = "gl" + "pat-" + "xY12zW34vU56tS78rQ90";
        public static readonly string SlackToken = "xo" + "xb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
        public static readonly string AwsKeyId = "AK" + "IA" + "2QX7JZ5LKM4NPR8T";
        public static readonly string AwsSecret = "wJa1rXUtnFEMIK7MDENG" + "bPxRfiCYzK9v3Q2LpT8s";
        public static readonly string AzureAccountKey = "Zm9vYmFyYmF6cXV4MTIz" + "NDU2Nzg5MGFiY2RlZmdoaWprbA==";
        public static readonly string AzureSasSig = "AbCdEf0123456789" + "%2BgHiJkLmN%3D";
        public static readonly string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ" + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        public static readonly string BearerToken = "9f8e7d6c5b4a3928" + "1706f5e4d3c2b1a0ZZ";
        public static readonly string PrivateKey = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x9Qk2v8Lm3\nZ0pQr5sT7uV9wX1yZ3aB5cD7eF9g\n-----END RSA PRIVATE KEY-----";
        public static readonly string UrlPassword = "S3cr3t" + "Pa55w0rd";
        public static readonly string PairPassword = "Tr0ub4dor" + "3xQ";
        public static readonly string AssignedSecret = "rk9Qz2LmX8vB" + "4nT7wY1cP6";
        public const string Email = "jane.doe@acme-corp.io";
        public const string PhoneInternational = "+44 20 7946 0958";
        public const string PhoneNorthAmerican = "(415) 555-0132";

        /// <summary>One sample per secret or personal kind (some kinds twice, in their different shapes).</summary>
        public static IReadOnlyList<Sample> All { get; } = new[]
        {
            new Sample("openai-key", OpenAIKey, "export OPENAI_API_KEY=", " && python run.py"),
            new Sample("anthropic-key", AnthropicKey, "ANTHROPIC_API_KEY=\"", "\""),
            new Sample("google-api-key", GoogleKey, "curl 'https://maps.googleapis.com/maps/api/geocode/json?key=", "&address=x'"),
            new Sample("github-token", GitHubClassic, "git remote set-url origin https://", "@github.com/acme/app.git"),
            new Sample("github-token", GitHubFineGrained, "GH_TOKEN=", " gh pr list"),
            new Sample("github-token", GitHubUrlToken, "git clone https://x-access-token:", "@github.com/acme/app.git"),
            new Sample("gitlab-token", GitLabToken, "curl --header \"PRIVATE-TOKEN: ", "\" https://gitlab.com/api/v4/projects"),
            new Sample("slack-token", SlackToken, "SLACK_BOT_TOKEN=", "\n"),
            new Sample("aws-access-key-id", AwsKeyId, "aws_access_key_id = ", "\n"),
            new Sample("aws-secret-key", AwsSecret, "aws_secret_access_key = ", "\n"),
            new Sample("azure-connection-string", AzureAccountKey, "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=", ";EndpointSuffix=core.windows.net"),
            new Sample("azure-sas-token", AzureSasSig, "https://acme.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&sp=r&se=2026-01-01T00:00:00Z&sig=", " downloaded"),
            new Sample("jwt", Jwt, "token: ", "\n"),
            new Sample("bearer-token", BearerToken, "curl -H 'Authorization: Bearer ", "' https://api.acme.io/v1/me"),
            new Sample("private-key", PrivateKey, "cat id_rsa\n", "\n$ "),
            new Sample("password", UrlPassword, "DATABASE_URL=postgres://app:", "@db.internal:5432/app"),
            new Sample("password", PairPassword, "Server=db;User Id=app;Password=", ";Encrypt=true"),
            new Sample("secret", AssignedSecret, "STRIPE_SECRET=", "\n"),
            new Sample("email", Email, "Author: Jane Doe <", ">"),
            new Sample("phone", PhoneInternational, "call the office on ", " before noon"),
            new Sample("phone", PhoneNorthAmerican, "support line ", "."),
        };

        /// <summary>Home folders and what they become.</summary>
        public static IReadOnlyList<(string Text, string Expected)> HomeFolders { get; } = new[]
        {
            ("cd /home/jane/src/app && make", "cd ~/src/app && make"),
            ("File \"/Users/jane.doe/Documents/repo/x.py\", line 3", "File \"~/Documents/repo/x.py\", line 3"),
            ("C:\\Users\\jane\\repo\\build.ps1", "~\\repo\\build.ps1"),
            ("{\"cwd\":\"C:\\\\Users\\\\jane\\\\repo\"}", "{\"cwd\":\"~\\\\repo\"}"),
            ("PATH=/usr/bin:/home/jane/bin", "PATH=/usr/bin:~/bin"),
            ("ls /mnt/c/Users/jane/Downloads", "ls ~/Downloads"),
        };

        /// <summary>Texts that look like secrets or personal data and are not: the pass must leave them alone.</summary>
        public static IReadOnlyList<string> LookAlikes { get; } = new[]
        {
            "commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 (HEAD -> main)",
            "git checkout 3f2a9c1",
            "session 7d1c2b3a-0000-4000-8000-00000000b3c4 started",
            "request_id: 0d9f3c2e-8b1a-4c5d-9e7f-112233445566",
            "installed numpy 1.26.4, torch 2.3.0+cu121 and dotnet 10.0.100-rc.1",
            "\"version\": \"2.1.14\"",
            "![shot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)",
            "The password is stored in the vault; rotate the token monthly; the secret to good tests is isolation.",
            "Use a personal access token with the repo scope, then set the API key in your shell profile.",
            "pip install scikit-learn # sk-learn-is-a-library-name",
            "aws_access_key_id = " + "AKIA" + "IOSFODNN7EXAMPLE",
            "git@github.com:acme/app.git",
            "icon@2x.png and lodash@4.17.21 and @types/node",
            "user@example.com, someone@domain.org, Co-Authored-By: Bot <noreply@anthropic.com>",
            "connect(user=user, password=password)",
            "psql -h db password=$PGPASSWORD",
            "password=<your password here>",
            "client.login(password=args.password)",
            "pwd=getpass()",
            "echo $PWD; bypass=1; compass=north",
            "cache_key=3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d",
            "max_tokens=4096, input_tokens: 1234567890123456",
            "API_KEY=${OPENAI_API_KEY}",
            "\"token\": \"hello\", \"key\": \"Enter\"",
            "SECRET_KEY=django-insecure-change-me",
            "see https://acme.io/home/index and https://acme.io/Users/list",
            "/Users/Shared/build and C:\\Users\\Public\\Desktop and /home/$USER/.bashrc",
            "timestamp 1733140000123, port 5432, 2024-01-15 10:00:00, 192.168.100.200",
            "@@ -12,7 +12,8 @@ def main():",
            "Authorization: Bearer $TOKEN",
            "Bearer tokens expire after an hour",
            "x = q@k.transpose(-2, -1)",
        };
    }
}

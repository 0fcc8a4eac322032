using System;
using System.Collections.Generic;
using System.Linq;
using SkillForge.Diagnostics;
using SkillForge.Distillation;
using SkillForge.Prompts;
using SkillForge.Tests.Support;
using SkillForge.Traces.Patterns;
using Xunit;

namespace SkillForge.Tests.Traces
{
    public class TracePatternFinderTests
    {

        private static TraceEvent Ev(string trace, string kind, string? tool, string data, string? id = null) =>
            new TraceEvent { TraceId = trace, Kind = kind, Tool = tool, Data = data, ActionId = id };

        private static IReadOnlyList<TracePattern> Find(IEnumerable<TraceEvent> events, int minSupport = 2, bool workflows = false, params string[] notFailure)
        {
            var finder = new TracePatternFinder();
            int n = 0;
            foreach (var e in events) { e.Sequence = n++; finder.Add(e); }
            return finder.Find(new TracePatternOptions { MinSupport = minSupport, Workflows = workflows, Lessons = !workflows, NotFailure = notFailure });
        }

        /// <summary>An Edit that fails because the file was not read, then a Read, then the same Edit succeeding.</summary>
        private static IEnumerable<TraceEvent> ReadBeforeEdit(string trace, string file) => new[]
        {
            Ev(trace, "user_prompt", null, "{\"text\":\"Update the config\"}"),
            Ev(trace, "action_failed", "Edit", "{\"input\":{\"file_path\":\"/home/dev/" + trace + "/" + file + "\",\"old_string\":\"a\",\"new_string\":\"b\"},\"error\":\"<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>\"}", trace + "-1"),
            Ev(trace, "action_succeeded", "Read", "{\"input\":{\"file_path\":\"/home/dev/" + trace + "/" + file + "\"}}", trace + "-2"),
            Ev(trace, "action_succeeded", "Edit", "{\"input\":{\"file_path\":\"/home/dev/" + trace + "/" + file + "\",\"old_string\":\"a\",\"new_string\":\"b\"}}", trace + "-3"),
        };

        [Fact]
        public void A_lesson_recurring_across_sessions_is_one_pattern_and_one_skill()
        {
            var patterns = Find(ReadBeforeEdit("s1", "a.json").Concat(ReadBeforeEdit("s2", "b.yaml")));
            var p = Assert.Single(patterns);
            Assert.Equal(TracePatternKind.Lesson, p.Kind);
            Assert.Equal(2, p.Support);
            Assert.Equal("File has not been read yet. Read it first before writing to it", p.Signature);
            Assert.All(p.Occurrences, o => Assert.Equal(TraceFixKind.CallsInBetween, o.FixKind));
            Assert.Equal(new[] { "s1#s1-1", "s2#s2-1" }, p.SourceIds);
            // Stable: the same lesson found from other sessions has the same fingerprint.
            Assert.Equal(p.Fingerprint, Find(ReadBeforeEdit("x", "c.txt").Concat(ReadBeforeEdit("y", "d.txt"))).Single().Fingerprint);

            var prompt = DistillPromptBuilder.ForPattern(p, new DistillPromptOptions());
            var result = new OfflineDistiller().Distill(prompt);
            Assert.Equal("read-file-before-edit", result.Name);
            Assert.Contains("## Mistakes to avoid", result.Text);
            Assert.Contains("s1#s1-1", result.Evidence);
            Assert.True(result.CompressionRatio > 0);
        }

        [Fact]
        public void A_one_off_failure_makes_no_lesson_at_the_default_support()
        {
            Assert.Empty(Find(ReadBeforeEdit("s1", "a.json")));
            Assert.Single(Find(ReadBeforeEdit("s1", "a.json"), minSupport: 1));
        }

        public static IEnumerable<object[]> Noise() => new[]
        {
            new object[] { "{\"input\":{\"command\":\"rg -n needle src\"},\"error\":\"Exit code 1\"}" },
            new object[] { "{\"input\":{\"command\":\"grep -r needle .\"},\"exit_code\":1,\"error\":\"\"}" },
            new object[] { "{\"input\":{\"command\":\"git add . && git commit -m x\"},\"error\":\"Exit code 1\\nOn branch main\\nnothing to commit, working tree clean\"}" },
            new object[] { "{\"input\":{\"command\":\"diff a.txt b.txt\"},\"error\":\"Exit code 1\\n1c1\\n< a\\n---\\n> b\"}" },
            new object[] { "{\"input\":{\"command\":\"test -f out.txt\"},\"error\":\"Exit code 1\"}" },
            new object[] { "{\"input\":{\"command\":\"python reproduce_bug.py\"},\"error\":\"Traceback (most recent call last):\\nValueError: bad\"}" },
        };

        [Theory]
        [MemberData(nameof(Noise))]
        public void Documented_noise_is_not_a_failure(string data)
        {
            IEnumerable<TraceEvent> Trace(string t) => new[]
            {
                Ev(t, "action_failed", "Bash", data, t + "-1"),
                Ev(t, "action_succeeded", "Bash", data.Replace("error", "output"), t + "-2"),
            };
            var finder = new TracePatternFinder();
            foreach (var e in Trace("n1").Concat(Trace("n2"))) finder.Add(e);
            Assert.Empty(finder.Find(new TracePatternOptions { MinSupport = 1 }));
            Assert.Equal(2, finder.Statistics.NotFailures);
            Assert.Equal(0, finder.Statistics.Failures);
        }

        [Fact]
        public void NotFailure_patterns_extend_the_list_and_a_bad_one_is_a_clear_error()
        {
            var events = ReadBeforeEdit("s1", "a.json").Concat(ReadBeforeEdit("s2", "b.json")).ToList();
            Assert.Empty(Find(events, 2, false, "has not been read"));
            var e = Assert.Throws<SkillForgeException>(() => new NotFailureRules(new[] { "([" }));
            Assert.Equal(ErrorIds.PatternInvalidNotFailure, e.ErrorId);
        }

        [Fact]
        public void The_signature_is_the_error_line_not_the_warning_above_it()
        {
            var line = ErrorSignature.ErrorLine("npm warn Unknown env config \"http-proxy\".\nnpm WARN deprecated x@1\nsrc/App.test.tsx(3,20): error TS2307: Cannot find module '@testing-library/react' or its corresponding type declarations.");
            Assert.StartsWith("src/App.test.tsx(3,20): error TS2307", line);
            Assert.Equal("{path}: error TS2307: Cannot find module {value} or its corresponding type declarations", ErrorSignature.Normalize(line));
            Assert.Equal("ValueError: bad value {n}", ErrorSignature.Normalize(ErrorSignature.ErrorLine("Traceback (most recent call last):\n  File \"/x/y.py\", line 3, in <module>\n    f()\nValueError: bad value 42")));
            // Paths, numbers, hashes, ids and quoted values: one signature for the same error in two sessions.
            Assert.Equal(
                ErrorSignature.Normalize("fatal: bad object 3f9a2c1d7e in /home/a/repo/.git (call_abcDEF123456) 'main'"),
                ErrorSignature.Normalize("fatal: bad object 77aa00bb11 in /srv/b/.git (call_zzzYYY987654) \"dev\""));
        }

        [Fact]
        public void A_changed_description_is_not_a_fix_and_an_unrelated_call_is_not_a_retry()
        {
            IEnumerable<TraceEvent> Trace(string t) => new[]
            {
                Ev(t, "action_failed", "Bash", "{\"input\":{\"command\":\"pytest tests/x.py\",\"description\":\"run tests\"},\"error\":\"ERROR: file or directory not found: tests/x.py\"}", t + "-1"),
                Ev(t, "action_succeeded", "Bash", "{\"input\":{\"command\":\"ls -la build\",\"description\":\"look\"}}", t + "-2"),
                Ev(t, "action_succeeded", "Bash", "{\"input\":{\"command\":\"pytest tests/x.py\",\"description\":\"run the tests again\"}}", t + "-3"),
            };
            var p = Find(Trace("a").Concat(Trace("b"))).Single();
            // Only the description changed: the fix is the call in between, not the rerun.
            Assert.All(p.Occurrences, o => Assert.Equal(TraceFixKind.CallsInBetween, o.FixKind));
            Assert.All(p.Occurrences, o => Assert.EndsWith("-2", o.Fix.Single().ActionId));

            IEnumerable<TraceEvent> Unrelated(string t) => new[]
            {
                Ev(t, "action_failed", "Bash", "{\"input\":{\"command\":\"tree /repo -L 3\"},\"error\":\"lsd: 3: No such file or directory (os error 2).\"}", t + "-1"),
                Ev(t, "action_succeeded", "Bash", "{\"input\":{\"command\":\"npm install\"}}", t + "-2"),
            };
            Assert.Empty(Find(Unrelated("a").Concat(Unrelated("b"))));
        }

        [Fact]
        public void A_correction_makes_a_lesson_at_support_one_and_the_corrected_action_is_no_success()
        {
            var events = new[]
            {
                Ev("c", "user_prompt", null, "{\"text\":\"Tidy the README\"}"),
                Ev("c", "action_succeeded", "Write", "{\"input\":{\"file_path\":\"/w/instructions.md\",\"content\":\"new\"}}", "w1"),
                Ev("c", "user_correction", null, "{\"text\":\"i never said to rewrite that file, it was given to you for instructions to follow\",\"corrects_action_id\":\"w1\"}"),
                Ev("c", "action_succeeded", "Edit", "{\"input\":{\"file_path\":\"/w/README.md\",\"old_string\":\"a\",\"new_string\":\"b\"}}", "e1"),
            };
            var p = Assert.Single(Find(events));
            Assert.Equal(1, p.Support);
            Assert.Equal(1, p.CorrectionCount);
            var o = Assert.Single(p.Occurrences);
            Assert.Equal("w1", o.Event.ActionId);
            Assert.Equal(TraceFixKind.Correction, o.FixKind);
            Assert.Equal("e1", o.Fix.Single().ActionId);
            Assert.Empty(Find(events, 1, workflows: true)); // and it is in no workflow
        }

        [Fact]
        public void Workflows_drop_partial_arguments_and_never_double_a_prefix()
        {
            IEnumerable<TraceEvent> Run(string t, string git, bool escalate) => new[]
            {
                Ev(t, "action_succeeded", "shell", "{\"input\":{\"command\":[\"bash\",\"-lc\",\"" + git + "\"]" + (escalate ? ",\"with_escalated_permissions\":true" : "") + "}}", t + "-1"),
                Ev(t, "action_succeeded", "Read", "{\"input\":{\"file_path\":\"src/" + t + ".py\"}}", t + "-2"),
                Ev(t, "action_succeeded", "Edit", "{\"input\":{\"file_path\":\"src/" + t + ".py\",\"old_string\":\"x\",\"new_string\":\"y\"}}", t + "-3"),
            };
            var patterns = Find(Run("a", "git status", true).Concat(Run("b", "git log -1", false)).Concat(Run("c", "git diff", false)), 2, workflows: true);
            var w = Assert.Single(patterns);
            Assert.Equal(TracePatternKind.Workflow, w.Kind);
            Assert.Equal(3, w.Support);
            Assert.Equal("shell(git) → Read → Edit", w.Signature);
            Assert.Equal("shell(command=\"git {args}\")", w.Steps[0].ToString());
            Assert.Equal(new[] { "args: \"status\", \"log -1\"" }, w.Steps[0].Examples);
            Assert.Equal("Edit(file_path={file_path}, old_string=\"x\", new_string=\"y\")", w.Steps[2].ToString());
            Assert.Empty(Find(Run("a", "git status", true), 2, workflows: true)); // one trace is not a recurrence
        }

        [Fact]
        public void No_frontmatter_line_passes_1024_characters_however_many_sources()
        {
            var events = Enumerable.Range(0, 300).SelectMany(i => ReadBeforeEdit("session-with-a-long-identifier-" + i, "f.txt")).ToList();
            var p = Find(events).Single();
            Assert.Equal(300, p.SourceIds.Length);
            var result = new OfflineDistiller().Distill(DistillPromptBuilder.ForPattern(p, new DistillPromptOptions()));
            var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sf-pattern-" + Guid.NewGuid().ToString("N"));
            try
            {
                var library = new SkillForge.Skills.SkillLibrary(dir);
                var file = library.Commit(library.Plan(new SkillForge.Skills.SkillWriteRequest { Content = result.Text, SourceIds = p.SourceIds, Evidence = result.Evidence, SourceTokens = p.EstimatedTokens }));
                var text = System.IO.File.ReadAllText(file.Path);
                Assert.All(text.Split('\n'), l => Assert.True(l.Length <= 1024, $"line of {l.Length} chars"));
                Assert.Contains("skillforge-source-count: \"300\"", text.Replace("'", "\""));
                Assert.Contains("session-with-a-long-identifier-299", System.IO.File.ReadAllText(file.EvidencePath!));
                Assert.True(file.CompressionRatio > 1);
            }
            finally
            {
                if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, true);
            }
        }

        [RealDataFact]
        public void The_largest_shared_transcript_gives_prompts_within_the_limit_that_keep_every_failure_and_its_fix()
        {
            var file = TestPaths.RealDataFile("codex/codex-session-viewer-legacy/example.jsonl");
            var events = SkillForge.Traces.TraceReader.Read(file).Where(o => o.Value != null).Select(o => o.Value!).ToList();
            var partition = SkillForge.Traces.TracePartitioner.Partition(events).Single();
            var prompts = DistillPromptBuilder.ForPartition(partition, new DistillPromptOptions());
            Assert.All(prompts, p => Assert.True(p.EstimatedTokens <= DistillPromptOptions.DefaultMaxPromptTokens, $"{p.Kind}: {p.EstimatedTokens} tokens"));
            var failure = prompts.Single(p => p.Kind == DistillPromptKind.TraceFailure);
            Assert.All(partition.Failures, f => Assert.Contains("action_id=\"" + f.ActionId + "\"", failure.Text));
            // Every fix the trace shows is quoted beside its failure.
            var finder = new TracePatternFinder();
            foreach (var e in events) finder.Add(e);
            finder.Find(new TracePatternOptions { MinSupport = 1 });
            foreach (var o in finder.AllOccurrences.Where(o => o.HasFix && o.FixKind != TraceFixKind.Correction))
                Assert.Contains(EventQuote.Call(o.Fix[0], 60, ref Unused).Substring(0, 40), failure.Text);
            // The raw events, not the sampled quotes, are what the compression ratio counts.
            Assert.True(prompts.Single(p => p.Kind == DistillPromptKind.TraceSuccess).SourceTokens > DistillPromptOptions.DefaultMaxPromptTokens);
        }

        private static bool Unused;
    }
}

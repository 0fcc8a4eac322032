using System.IO;
using System.Text;
using System.Threading;
using SkillForge.Diagnostics;
using SkillForge.Import.Formats;
using SkillForge.Import.Formats.Common;
using SkillForge.IO;
using SkillForge.Tests.Support;
using Xunit;

namespace SkillForge.Tests.MemoryFormats
{
    /// <summary>The whole-document readers: size cap, BOM, invalid JSON, and a 100 MB file.</summary>
    public class WholeDocumentLimitsTests
    {
        [Fact]
        public void A_document_over_the_cap_is_one_clear_error()
        {
            using var stream = new MemoryStream(new byte[5000]);
            var bytes = WholeJson.ReadAll(stream, "big.json", "Reflexion", ErrorIds.ImportInvalidJson, 4096, CancellationToken.None, out var error);
            Assert.Null(bytes);
            Assert.Equal(ErrorIds.ImportInvalidJson, error!.ErrorId);
            Assert.Contains("big.json", error.Message);
            Assert.Contains("Split the export", error.Message);
        }

        [Fact]
        public void A_document_at_the_cap_is_read_whole()
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(new string(' ', 4094) + "[]"));
            var bytes = WholeJson.ReadAll(stream, "ok.json", "Reflexion", ErrorIds.ImportInvalidJson, 4096, CancellationToken.None, out var error);
            Assert.Null(error);
            Assert.Equal(4096, bytes!.Value.Count);
        }

        [Fact]
        public void Invalid_json_names_file_and_line_and_a_bom_is_accepted()
        {
            var reader = new ReflexionMemoryFormat();
            var (docs, errors) = FormatHarness.ReadMemoryText(reader, "trial.json", "[\n  {\"name\": \"env_0\", \"memory\": [\"a\"], \"is_success\": true},\n  {\"name\": \n");
            Assert.Empty(docs);
            var error = Assert.Single(errors);
            Assert.Equal(ErrorIds.ImportInvalidJson, error.ErrorId);
            Assert.Contains("trial.json", error.Message);
            Assert.True(error.Line >= 3);

            (docs, errors) = FormatHarness.ReadMemoryText(reader, "bom.json", "\uFEFF[{\"name\": \"env_0\", \"memory\": [\"a\"], \"is_success\": true}]");
            Assert.Empty(errors);
            Assert.Single(docs);
        }

        [Fact]
        public void A_100_MB_reflexion_log_is_read_without_trouble()
        {
            using var dir = new TempDir();
            var path = dir.File("env_results_trial_1.json");
            var reflection = new string('r', 1000);
            const int envs = 100_000;
            using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
            {
                writer.Write('[');
                for (int i = 0; i < envs; i++)
                {
                    if (i > 0) writer.Write(',');
                    writer.Write("{\"name\":\"env_" + i + "\",\"memory\":[\"" + reflection + "\"],\"is_success\":false}");
                }
                writer.Write(']');
            }
            Assert.True(new FileInfo(path).Length > 100_000_000);

            var reader = new ReflexionMemoryFormat();
            Assert.True(reader.Recognizes(FormatHarness.Sample(path)));
            using var stream = SourceFiles.OpenRead(path);
            int count = 0, errors = 0;
            foreach (var outcome in reader.Read(stream, path, CancellationToken.None))
            {
                if (outcome.IsError) errors++;
                else count++;
            }
            Assert.Equal(0, errors);
            Assert.Equal(envs, count);
        }
    }
}

using System;
using System.Collections.Generic;
using System.Management.Automation;
using SkillForge.Diagnostics;

namespace SkillForge.Infrastructure
{
    /// <summary>Core's reporting interface over a cmdlet's streams. Pipeline thread only.</summary>
    internal sealed class CmdletSink : IOperationSink
    {
        private readonly Cmdlet _cmdlet;
        private readonly Dictionary<string, ProgressRecord> _open = new Dictionary<string, ProgressRecord>(StringComparer.Ordinal);
        private readonly int _baseActivityId;

        public CmdletSink(Cmdlet cmdlet)
        {
            _cmdlet = cmdlet;
            // A fixed id per cmdlet, so nested SkillForge commands show separate bars.
            _baseActivityId = StableHash(cmdlet.GetType().Name) % 10_000 + 1;
        }

        public void Verbose(string message) => _cmdlet.WriteVerbose(message);

        public void Warning(string message) => _cmdlet.WriteWarning(message);

        public void Progress(OperationProgress progress)
        {
            if (!_open.TryGetValue(progress.Activity, out var record))
            {
                record = new ProgressRecord(_baseActivityId + _open.Count, progress.Activity, progress.Status);
                _open[progress.Activity] = record;
            }
            record.StatusDescription = progress.Total > 0 ? $"{progress.Status} {progress.Done}/{progress.Total}" : progress.Status;
            record.PercentComplete = progress.PercentComplete;
            record.RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing;
            _cmdlet.WriteProgress(record);
            if (progress.Completed) _open.Remove(progress.Activity);
        }

        /// <summary>Closes any bar Core left open, so no stale progress stays on screen.</summary>
        public void Complete()
        {
            foreach (var record in _open.Values)
            {
                record.RecordType = ProgressRecordType.Completed;
                _cmdlet.WriteProgress(record);
            }
            _open.Clear();
        }

        private static int StableHash(string text)
        {
            unchecked
            {
                int h = 17;
                foreach (char c in text) h = h * 31 + c;
                return h & 0x7fffffff;
            }
        }
    }
}

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
        // Activity -> its bar's id and last record. Each write is a new ProgressRecord: a host or a
        // Register-ObjectEvent handler may keep the records it was given, so they are never changed afterwards.
        private readonly Dictionary<string, ProgressRecord> _open = new Dictionary<string, ProgressRecord>(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly int _baseActivityId;
        private int _bars;

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
            // ProgressRecord rejects an empty activity or status (ArgumentException): never let a blank one stop the command.
            string activity = string.IsNullOrEmpty(progress.Activity) ? "SkillForge" : progress.Activity;
            string status = string.IsNullOrEmpty(progress.Status) ? "Working" : progress.Status;
            // One id per activity for the cmdlet's life: a bar that completed (every prompt queued so far answered)
            // and then goes on (more prompts piped in) is the same bar, not a second one.
            if (!_ids.TryGetValue(activity, out int id)) _ids[activity] = id = _baseActivityId + _bars++;
            var record = new ProgressRecord(id, activity, progress.Total > 0 ? $"{status} {progress.Done}/{progress.Total}" : status)
            {
                PercentComplete = progress.PercentComplete,
                SecondsRemaining = progress.SecondsRemaining,
                RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            _cmdlet.WriteProgress(record);
            if (progress.Completed) _open.Remove(activity);
            else _open[activity] = record;
        }

        /// <summary>Closes any bar Core left open, so no stale progress stays on screen.</summary>
        public void Complete()
        {
            foreach (var open in _open.Values)
            {
                _cmdlet.WriteProgress(new ProgressRecord(open.ActivityId, open.Activity, open.StatusDescription)
                {
                    PercentComplete = open.PercentComplete,
                    RecordType = ProgressRecordType.Completed,
                });
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

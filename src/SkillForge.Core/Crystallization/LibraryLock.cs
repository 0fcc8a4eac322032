using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using SkillForge.Diagnostics;

namespace SkillForge.Crystallization
{
    /// <summary>
    /// &lt;skills&gt;/.skillforge/lock: one crystallization at a time writes into a skills library, so no cluster is
    /// distilled (and paid for) twice. The lock is an exclusive OS lock on the file (released by the OS when its
    /// holder dies, even by kill -9); lock.owner beside it names the holder (process id, its start time, host) for
    /// the message others see, and an owner whose process no longer runs is a stale lock that is taken over.
    /// </summary>
    public sealed class LibraryLock : IDisposable
    {
        public const string LockFileName = "lock";
        public const string OwnerFileName = "lock.owner";

        private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

        private FileStream? _stream;
        private readonly string _ownerPath;

        private LibraryLock(FileStream stream, string ownerPath)
        {
            _stream = stream;
            _ownerPath = ownerPath;
        }

        /// <summary>
        /// Takes the library's lock, waiting (with one warning) while another live process holds it. Throws
        /// SkillForgeException (SkillOutsideRoot for a state folder that is a link, LedgerWriteFailed when the lock
        /// cannot be made) and OperationCanceledException when cancelled while waiting.
        /// </summary>
        public static LibraryLock Acquire(string skillsPath, IOperationSink? sink, CancellationToken cancellationToken)
        {
            var folder = CrystallizationLedger.StateFolder(skillsPath);
            var lockPath = Path.Combine(folder, LockFileName);
            var ownerPath = Path.Combine(folder, OwnerFileName);
            bool warned = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                FileStream? stream = null;
                try
                {
                    Directory.CreateDirectory(folder);
                    CrystallizationLedger.CheckNotLink(folder, skillsPath);
                    CrystallizationLedger.CheckNotLink(lockPath, skillsPath);
                    stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                }
                catch (IOException) when (File.Exists(lockPath))
                {
                    // Held by another open (another process, or another runspace of this one).
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    throw new SkillForgeException(ErrorIds.LedgerWriteFailed, FailureCategory.WriteError,
                        $"Cannot create the lock '{lockPath}' that keeps two crystallizations from writing into '{skillsPath}' at once: {e.Message} " +
                        "Check the folder's permissions.", lockPath, e);
                }

                var owner = ReadOwner(ownerPath);
                if (stream != null && (owner == null || owner.IsSelf || !owner.IsAlive))
                {
                    var held = new LibraryLock(stream, ownerPath);
                    held.WriteOwner();
                    return held;
                }
                // Either the OS lock is held, or (on a file system without locks) a live process says it holds it.
                stream?.Dispose();
                if (!warned && sink != null)
                {
                    sink.Warning($"Another crystallization ({owner?.Describe() ?? "a process that did not say which"}) is writing into '{skillsPath}'; " +
                                 "waiting for it to finish so that no cluster is distilled twice. Press Ctrl+C to stop waiting.");
                    warned = true;
                }
                cancellationToken.WaitHandle.WaitOne(PollInterval);
            }
        }

        public void Dispose()
        {
            var stream = Interlocked.Exchange(ref _stream, null);
            if (stream == null) return;
            try { File.Delete(_ownerPath); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
            // DeleteOnClose removes the lock file itself as the lock is released.
            stream.Dispose();
        }

        private void WriteOwner()
        {
            using var self = Process.GetCurrentProcess();
            var text = string.Join("\n",
                "pid=" + self.Id.ToString(CultureInfo.InvariantCulture),
                "start=" + self.StartTime.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture),
                "host=" + Environment.MachineName) + "\n";
            try
            {
                File.WriteAllText(_ownerPath, text, new UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The OS lock alone still keeps other runs out; the owner file only names us in their message.
            }
        }

        private static Owner? ReadOwner(string path)
        {
            try
            {
                if (!File.Exists(path) || new FileInfo(path).Length > 4096) return null;
                return Owner.Parse(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private sealed class Owner
        {
            public int Pid { get; private set; }
            public DateTime? Start { get; private set; }
            public string Host { get; private set; } = "";

            public static Owner? Parse(string text)
            {
                var owner = new Owner();
                foreach (var line in text.Split('\n'))
                {
                    int eq = line.IndexOf('=');
                    if (eq < 0) continue;
                    string key = line.Substring(0, eq).Trim(), value = line.Substring(eq + 1).Trim();
                    if (key == "pid" && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid)) owner.Pid = pid;
                    else if (key == "start" && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var start)) owner.Start = start.ToUniversalTime();
                    else if (key == "host") owner.Host = value;
                }
                return owner.Pid > 0 ? owner : null;
            }

            private bool SameHost => string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

            public bool IsSelf
            {
                get
                {
                    using var self = Process.GetCurrentProcess();
                    return SameHost && Pid == self.Id && Start.HasValue && Math.Abs((self.StartTime.ToUniversalTime() - Start.Value).TotalSeconds) < 1;
                }
            }

            /// <summary>Whether the named process still runs (the same process: a reused pid has another start time).</summary>
            public bool IsAlive
            {
                get
                {
                    if (!SameHost) return true; // cannot tell from here: treat as held
                    try
                    {
                        using var process = Process.GetProcessById(Pid);
                        return !Start.HasValue || Math.Abs((process.StartTime.ToUniversalTime() - Start.Value).TotalSeconds) < 1;
                    }
                    catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is System.ComponentModel.Win32Exception)
                    {
                        return false;
                    }
                }
            }

            public string Describe() =>
                $"process {Pid.ToString(CultureInfo.InvariantCulture)}" +
                (Start.HasValue ? ", started " + Start.Value.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "") +
                (Host.Length > 0 ? " on " + Host : "");
        }
    }
}

using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace SkillForge.IO
{
    /// <summary>What a path names once links are followed.</summary>
    public enum FileKindValue
    {
        /// <summary>Nothing there, or the kind could not be found out (then the caller reads it as a file).</summary>
        Unknown,
        Regular,
        Directory,
        /// <summary>A named pipe: opening it waits for a writer, reading it may never end.</summary>
        Fifo,
        /// <summary>A character or block device (/dev/zero, /dev/urandom): endless or huge.</summary>
        Device,
        Socket,
    }

    /// <summary>
    /// Tells regular files from FIFOs, devices and sockets before anything opens them: .NET's file attributes do not
    /// (a FIFO and /dev/zero look like ordinary files), so on Unix this asks the runtime's own stat (System.Native,
    /// which reports the file type bits in a layout the runtime fixes). On Windows every path that is not a folder is a file.
    /// </summary>
    public static class FileKind
    {
        private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000, Regular = 0x8000, Socket = 0xC000;
        private static bool _unavailable;

        /// <summary>The kind of what path names, following links (a link to /dev/zero is a device).</summary>
        public static FileKindValue Of(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || _unavailable)
                return System.IO.Directory.Exists(path) ? FileKindValue.Directory : File.Exists(path) ? FileKindValue.Regular : FileKindValue.Unknown;
            // FileStatus starts { int Flags; int Mode; ... }; the buffer is larger than the whole struct.
            var status = new byte[512];
            var name = Encoding.UTF8.GetBytes(path + "\0");
            int result;
            try
            {
                result = Stat(name, status);
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
            {
                _unavailable = true;
                return Of(path);
            }
            if (result != 0) return FileKindValue.Unknown;
            int mode = BitConverter.ToInt32(status, 4) & TypeMask;
            switch (mode)
            {
                case Regular: return FileKindValue.Regular;
                case Directory: return FileKindValue.Directory;
                case Fifo: return FileKindValue.Fifo;
                case CharDevice:
                case BlockDevice: return FileKindValue.Device;
                case Socket: return FileKindValue.Socket;
                default: return FileKindValue.Unknown;
            }
        }

        /// <summary>A phrase for a kind that is not a regular file ("a named pipe (FIFO)").</summary>
        public static string Describe(FileKindValue kind) => kind switch
        {
            FileKindValue.Fifo => "a named pipe (FIFO)",
            FileKindValue.Device => "a device",
            FileKindValue.Socket => "a socket",
            FileKindValue.Directory => "a folder",
            _ => "not a regular file",
        };

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
        private static extern int Stat(byte[] path, byte[] status);
    }
}

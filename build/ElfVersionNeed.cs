#nullable enable
// Shared by the MSBuild inline task (TorchSharpNativeFix.targets) and Worker.Tests, which compiles it directly.
// Keep it dependency-free: RoslynCodeTaskFactory compiles this file as-is.
using System;
using System.IO;
using System.Text;

namespace Experiments.Build
{
    /// <summary>Result of asking an ELF file to treat one needed symbol version as weak.</summary>
    public enum WeakVersionResult
    {
        /// <summary>The flag was set now.</summary>
        Patched,

        /// <summary>The entry was already weak: nothing written.</summary>
        AlreadyWeak,

        /// <summary>The file needs no such version: nothing written.</summary>
        NotNeeded,
    }

    /// <summary>One Vernaux entry of <c>.gnu.version_r</c>: the version name and where its flags live in the file.</summary>
    public sealed class VersionNeed
    {
        public VersionNeed(string file, string name, ushort flags, long flagsOffset)
        {
            File = file;
            Name = name;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string File { get; }
        public string Name { get; }
        public ushort Flags { get; }
        public long FlagsOffset { get; }
    }

    /// <summary>
    /// Reads the version needs of a little-endian ELF64 file and sets VER_FLG_WEAK on one of them. A weak version need
    /// lets the dynamic loader accept a library that lacks that version (it only warns if a symbol needs it at bind time).
    /// </summary>
    public static class ElfVersionNeeds
    {
        public const ushort VerFlagWeak = 0x2;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtGnuVerdef = 0x6ffffffd;

        public static VersionNeed[] Read(string path)
        {
            byte[] elf = System.IO.File.ReadAllBytes(path);
            return Read(elf);
        }

        public static VersionNeed[] Read(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("Not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("Only little-endian ELF64 is supported.");

            long sectionHeaders = (long)U64(elf, 0x28);
            int headerSize = U16(elf, 0x3A);
            int headerCount = U16(elf, 0x3C);
            var needs = new System.Collections.Generic.List<VersionNeed>();
            for (int i = 0; i < headerCount; i++)
            {
                long header = sectionHeaders + (long)i * headerSize;
                if (U32(elf, header + 4) != ShtGnuVerneed)
                    continue;
                long offset = (long)U64(elf, header + 0x18);
                uint link = U32(elf, header + 0x28);
                uint count = U32(elf, header + 0x2C);
                long strings = (long)U64(elf, sectionHeaders + link * headerSize + 0x18);

                long need = offset;
                for (uint n = 0; n < count; n++)
                {
                    string file = CString(elf, strings + U32(elf, need + 4));
                    int auxCount = U16(elf, need + 2);
                    long aux = need + U32(elf, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        needs.Add(new VersionNeed(file, CString(elf, strings + U32(elf, aux + 8)), (ushort)U16(elf, aux + 4), aux + 4));
                        aux += U32(elf, aux + 12);
                    }
                    need += U32(elf, need + 12);
                }
            }
            return needs.ToArray();
        }

        /// <summary>Sets VER_FLG_WEAK on the need named <paramref name="versionName"/>; writes only those two bytes.</summary>
        public static WeakVersionResult MarkWeak(string path, string versionName)
        {
            VersionNeed? target = null;
            foreach (VersionNeed need in Read(path))
                if (need.Name == versionName)
                    target = need;
            if (target == null)
                return WeakVersionResult.NotNeeded;
            if ((target.Flags & VerFlagWeak) != 0)
                return WeakVersionResult.AlreadyWeak;

            ushort flags = (ushort)(target.Flags | VerFlagWeak);
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                stream.Position = target.FlagsOffset;
                stream.WriteByte((byte)(flags & 0xff));
                stream.WriteByte((byte)(flags >> 8));
            }
            return WeakVersionResult.Patched;
        }

        /// <summary>Whether a shared library defines the version (its <c>.gnu.version_d</c>), e.g. libstdc++ and GLIBCXX_3.4.32.</summary>
        public static bool DefinesVersion(string libraryPath, string versionName)
        {
            byte[] elf = System.IO.File.ReadAllBytes(libraryPath);
            long sectionHeaders = (long)U64(elf, 0x28);
            int headerSize = U16(elf, 0x3A);
            int headerCount = U16(elf, 0x3C);
            for (int i = 0; i < headerCount; i++)
            {
                long header = sectionHeaders + (long)i * headerSize;
                if (U32(elf, header + 4) != ShtGnuVerdef)
                    continue;
                uint link = U32(elf, header + 0x28);
                uint count = U32(elf, header + 0x2C);
                long strings = (long)U64(elf, sectionHeaders + link * headerSize + 0x18);
                long definition = (long)U64(elf, header + 0x18);
                for (uint d = 0; d < count; d++)
                {
                    long aux = definition + U32(elf, definition + 12);
                    if (CString(elf, strings + U32(elf, aux)) == versionName)
                        return true;
                    definition += U32(elf, definition + 16);
                }
            }
            return false;
        }

        private static int U16(byte[] b, long o) => b[o] | (b[o + 1] << 8);
        private static uint U32(byte[] b, long o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        private static ulong U64(byte[] b, long o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);

        private static string CString(byte[] b, long o)
        {
            long end = o;
            while (b[end] != 0)
                end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }
}

#if !ELF_VERSION_NEEDS_ONLY
namespace Experiments.Build
{
    using Microsoft.Build.Framework;
    using Microsoft.Build.Utilities;

    /// <summary>
    /// Marks the <see cref="VersionName"/> need of each file weak when the system libstdc++ lacks that version.
    /// Writes through a temp copy + rename, so a hard link into the NuGet cache is never modified.
    /// </summary>
    public sealed class MarkVersionNeedWeak : Task
    {
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        [Required]
        public string VersionName { get; set; } = "";

        /// <summary>Where the system's libstdc++.so.6 is looked for, in order.</summary>
        [Required]
        public string[] LibraryDirectories { get; set; } = Array.Empty<string>();

        public override bool Execute()
        {
            string? libstdcxx = null;
            foreach (string directory in LibraryDirectories)
            {
                string candidate = Path.Combine(directory, "libstdc++.so.6");
                if (System.IO.File.Exists(candidate))
                {
                    libstdcxx = candidate;
                    break;
                }
            }
            if (libstdcxx != null && ElfVersionNeeds.DefinesVersion(libstdcxx, VersionName))
            {
                Log.LogMessage(MessageImportance.Normal, "TorchSharp native fix: {0} provides {1}; nothing to patch.", libstdcxx, VersionName);
                return true;
            }

            foreach (ITaskItem item in Files)
            {
                string path = item.GetMetadata("FullPath");
                string temp = path + ".weak-version.tmp";
                System.IO.File.Copy(path, temp, overwrite: true);
                WeakVersionResult result = ElfVersionNeeds.MarkWeak(temp, VersionName);
                if (result == WeakVersionResult.Patched)
                {
                    System.IO.File.Delete(path);
                    System.IO.File.Move(temp, path);
                    Log.LogMessage(MessageImportance.High, "TorchSharp native fix: marked {0} weak in {1} (system libstdc++ {2} lacks it).",
                        VersionName, path, libstdcxx ?? "not found");
                }
                else
                {
                    System.IO.File.Delete(temp);
                    Log.LogMessage(MessageImportance.Normal, "TorchSharp native fix: {0}: {1} {2}.", path, VersionName, result);
                }
            }
            return true;
        }
    }
}
#endif

using System.Formats.Tar;

namespace BuildTrust.Pipeline.Archives;

/// <summary>
/// Tar entries that depend on nothing but path, content and mode: root owner, no names, one fixed time.
/// GNU format on purpose: .NET's PAX writer names its extended headers after the process id, so two runs differ.
/// </summary>
internal static class DeterministicTar
{
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode Executable = File | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    public const UnixFileMode SharedFolder = Executable | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit;

    public const TarEntryFormat Format = TarEntryFormat.Gnu;

    public static GnuTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset time) =>
        new(type, name)
        {
            Mode = mode,
            ModificationTime = time,
            AccessTime = time,
            ChangeTime = time,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
        };

    public static void WriteFile(TarWriter writer, string name, string path, UnixFileMode mode, DateTimeOffset time)
    {
        var entry = Entry(TarEntryType.RegularFile, name, mode, time);
        using var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        entry.DataStream = content;
        writer.WriteEntry(entry);
    }

    public static void WriteBytes(TarWriter writer, string name, byte[] bytes, DateTimeOffset time)
    {
        var entry = Entry(TarEntryType.RegularFile, name, File, time);
        entry.DataStream = new MemoryStream(bytes, writable: false);
        writer.WriteEntry(entry);
    }
}

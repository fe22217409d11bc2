using System.Formats.Tar;

namespace BuildTrust.Pipeline.Images;

/// <summary>Tar entries that depend on nothing but path, content and mode: root owner, no names, one fixed time.</summary>
internal static class DeterministicTar
{
    public const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode Executable = File | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    public const UnixFileMode SharedFolder = Executable | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit;

    public static PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode, DateTimeOffset time) =>
        new(type, name, new Dictionary<string, string>())
        {
            Mode = mode,
            ModificationTime = time,
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

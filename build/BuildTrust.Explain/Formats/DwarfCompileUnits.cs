using System.Buffers.Binary;

namespace BuildTrust.Explain.Formats;

/// <summary>
/// The name and compilation directory (<c>DW_AT_name</c>, <c>DW_AT_comp_dir</c>) of each DWARF 2-5 compilation unit:
/// only the first DIE of each unit is read, attribute by attribute, and reading stops at a form it does not know.
/// Bounded: at most <see cref="MaximumUnits"/> units and every offset checked.
/// </summary>
internal static class DwarfCompileUnits
{
    public const int MaximumUnits = 4096;

    public static List<(string? Name, string? Directory)> Read(ElfImage image, byte[] file)
    {
        var units = new List<(string?, string?)>();
        var info = Of(image, ".debug_info", file);
        var abbrev = Of(image, ".debug_abbrev", file);
        var strings = Of(image, ".debug_str", file);
        var lineStrings = Of(image, ".debug_line_str", file);
        var position = 0;
        while (position + 11 <= info.Length && units.Count < MaximumUnits)
        {
            var reader = new Reader(info, position);
            long length = reader.U32();
            var offsetSize = 4;
            if (length == 0xffffffff) { length = (long)reader.U64(); offsetSize = 8; }
            var next = reader.Position + length;
            if (length <= 0 || next > info.Length || next <= position) break;
            var version = reader.U16();
            int addressSize;
            ulong abbrevOffset;
            if (version >= 5) { reader.U8(); addressSize = reader.U8(); abbrevOffset = reader.Offset(offsetSize); }
            else { abbrevOffset = reader.Offset(offsetSize); addressSize = reader.U8(); }
            if (version is >= 2 and <= 5 && reader.Ok && abbrevOffset < (ulong)abbrev.Length)
                units.Add(FirstDie(ref reader, abbrev[(int)abbrevOffset..], addressSize, offsetSize, strings, lineStrings));
            position = (int)next;
        }
        return units;
    }

    private static (string?, string?) FirstDie(ref Reader die, ReadOnlySpan<byte> abbrev, int addressSize, int offsetSize, ReadOnlySpan<byte> strings, ReadOnlySpan<byte> lineStrings)
    {
        var code = die.Leb();
        var table = new Reader(abbrev, 0);
        for (var entries = 0; entries < 100_000 && table.Ok; entries++)
        {
            var entryCode = table.Leb();
            if (entryCode == 0) return (null, null);
            table.Leb();
            table.U8();
            if (entryCode == code) break;
            while (table.Ok && (table.Leb(), table.Leb()) is var (attribute, form) && (attribute, form) != (0UL, 0UL))
            {
                if (form == 0x21) table.Leb();
            }
        }
        string? name = null, directory = null;
        for (var attributes = 0; attributes < 256 && table.Ok && die.Ok; attributes++)
        {
            var attribute = table.Leb();
            var form = table.Leb();
            if (attribute == 0 && form == 0) break;
            if (form == 0x21) { table.Leb(); continue; }
            string? text = null;
            switch (form)
            {
                case 0x08: text = die.CString(); break;
                case 0x0e: text = At(strings, die.Offset(offsetSize)); break;
                case 0x1f: text = At(lineStrings, die.Offset(offsetSize)); break;
                case 0x01: die.Skip(addressSize); break;
                case 0x0b or 0x11 or 0x0c or 0x25 or 0x29: die.Skip(1); break;
                case 0x05 or 0x12 or 0x26 or 0x2a: die.Skip(2); break;
                case 0x27 or 0x2b: die.Skip(3); break;
                case 0x06 or 0x13 or 0x28 or 0x2c: die.Skip(4); break;
                case 0x07 or 0x14 or 0x20: die.Skip(8); break;
                case 0x1e: die.Skip(16); break;
                case 0x17 or 0x10 or 0x1d: die.Skip(offsetSize); break;
                case 0x0d or 0x0f or 0x15 or 0x1a or 0x1b or 0x22 or 0x23: die.Leb(); break;
                case 0x19: break;
                case 0x0a: die.Skip(die.U8()); break;
                case 0x03: die.Skip(die.U16()); break;
                case 0x04: die.Skip((int)Math.Min(die.U32(), int.MaxValue)); break;
                case 0x09 or 0x18: die.Skip((int)Math.Min(die.Leb(), int.MaxValue)); break;
                default: return (name, directory);
            }
            if (attribute == 0x03) name = text;
            if (attribute == 0x1b) directory = text;
        }
        return (name, directory);
    }

    private static ReadOnlySpan<byte> Of(ElfImage image, string name, byte[] file) => image.Section(name) is { } section ? section.Bytes(file) : [];

    private static string? At(ReadOnlySpan<byte> table, ulong offset) => offset < (ulong)table.Length ? ElfImage.Terminated(table[(int)offset..]) : null;

    private ref struct Reader(ReadOnlySpan<byte> data, int position)
    {
        private readonly ReadOnlySpan<byte> data = data;

        public int Position { get; private set; } = position;

        public bool Ok { get; private set; } = true;

        private ReadOnlySpan<byte> Take(int count)
        {
            if (!Ok || count < 0 || Position + (long)count > data.Length) { Ok = false; return new byte[Math.Max(0, Math.Min(count, 8))]; }
            var slice = data.Slice(Position, count);
            Position += count;
            return slice;
        }

        public void Skip(int count) => Take(count);

        public int U8() => Take(1)[0];

        public int U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public ulong Offset(int size) => size == 8 ? U64() : U32();

        public ulong Leb()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Take(1)[0];
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0) return value;
            }
            Ok = false;
            return value;
        }

        public string? CString()
        {
            if (!Ok || Position >= data.Length) { Ok = false; return null; }
            var end = data[Position..].IndexOf((byte)0);
            if (end < 0) { Ok = false; return null; }
            var text = ElfImage.Terminated(data[Position..]);
            Position += end + 1;
            return text;
        }
    }
}

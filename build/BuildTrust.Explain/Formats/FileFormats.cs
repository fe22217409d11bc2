using System.Buffers.Binary;
using System.Text;

namespace BuildTrust.Explain.Formats;

/// <summary>Recognises a format by its magic bytes (never by the file name, which is the builder's claim).</summary>
internal static class FileFormats
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static FileFormat Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0x1f && data[1] == 0x8b && data[2] == 8) return FileFormat.Gzip;
        if (data.Length >= 512 && data.Slice(257, 5).SequenceEqual("ustar"u8)) return FileFormat.Tar;
        if (data.Length >= 4 && (data[..4].SequenceEqual("PK\u0003\u0004"u8) || data[..4].SequenceEqual("PK\u0005\u0006"u8))) return FileFormat.Zip;
        if (data.StartsWith("!<arch>\n"u8)) return FileFormat.Ar;
        if (data.StartsWith("\u007fELF"u8)) return FileFormat.Elf;
        if (data.StartsWith("BSJB"u8)) return FileFormat.PortablePdb;
        if (data.Length >= 64 && data.StartsWith("MZ"u8))
        {
            var header = BinaryPrimitives.ReadUInt32LittleEndian(data[60..]);
            if (header < (uint)data.Length - 4 && data.Slice((int)header, 4).SequenceEqual("PE\0\0"u8)) return FileFormat.PortableExecutable;
        }
        return IsText(data) ? FileFormat.Text : FileFormat.Binary;
    }

    /// <summary>UTF-8 without NUL or other C0 controls than tab, newline, carriage return and form feed.</summary>
    public static bool IsText(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (b < 0x20 && b is not (9 or 10 or 13 or 12)) return false;
        }
        try
        {
            StrictUtf8.GetCharCount(data);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}

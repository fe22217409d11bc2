using System.Buffers.Binary;
using System.IO.Compression;

namespace BuildTrust.Explain.Tests.Reports;

/// <summary>Just enough of PNG to check a screenshot: its size, and the share of its rows' bytes that are not blank.</summary>
internal static class Png
{
    public static (int Width, int Height, double InkShare) Inspect(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a }), "not a PNG");
        int width = 0, height = 0;
        var idat = new MemoryStream();
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            if (type == "IHDR") (width, height) = ((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8)), (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 12)));
            if (type == "IDAT") idat.Write(png, at + 8, length);
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        // A blank (all white) page filters to rows of 0 (Sub/Up) or 255 (None); anything drawn leaves other values.
        var bytes = inflated.ToArray();
        var ink = bytes.Count(b => b is not (0 or 255));
        return (width, height, (double)ink / Math.Max(1, bytes.Length));
    }
}

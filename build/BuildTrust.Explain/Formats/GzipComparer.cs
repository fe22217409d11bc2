using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>gzip (RFC 1952): the header's mtime, OS byte and original name, then the decompressed content, compared in turn.</summary>
internal static class GzipComparer
{
    public static string? Compare(PairComparison comparison, string location, byte[] a, byte[] b, int depth)
    {
        if (Header.Parse(a) is not { } left || Header.Parse(b) is not { } right) return "a gzip header is malformed";
        if (left.Mtime != right.Mtime)
            comparison.Add(new Difference($"{location} (gzip header)", DifferenceKind.Timestamp, Time(left.Mtime), Time(right.Mtime), 4));
        if (left.OperatingSystem != right.OperatingSystem)
            comparison.Add(new Difference($"{location} (gzip header)", DifferenceKind.OperatingSystem, $"OS byte {left.OperatingSystem}", $"OS byte {right.OperatingSystem}", 9));
        if (left.Name != right.Name)
            comparison.Add(new Difference($"{location} (gzip header)", DifferenceKind.HeaderName, left.Name ?? "(none)", right.Name ?? "(none)", 10));
        var inner = $"{location} > {left.Name ?? "(gunzipped)"}";
        byte[]? contentA, contentB;
        try
        {
            using (var streamA = new GZipStream(new MemoryStream(a), CompressionMode.Decompress)) contentA = Unpacked.Read(comparison.Budget, inner, streamA, 0);
            using (var streamB = new GZipStream(new MemoryStream(b), CompressionMode.Decompress)) contentB = Unpacked.Read(comparison.Budget, inner, streamB, 0);
        }
        catch (InvalidDataException e)
        {
            comparison.Budget.Skip($"{location}: gzip data cannot be decompressed ({e.Message})");
            return left.Mtime != right.Mtime || left.OperatingSystem != right.OperatingSystem || left.Name != right.Name ? null : "";
        }
        if (contentA is null || contentB is null) return null;
        comparison.Compare(inner, contentA, contentB, depth + 1);
        return null;
    }

    internal static string Time(uint seconds) => seconds == 0 ? "0 (none)" : DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Header(uint Mtime, byte OperatingSystem, string? Name)
    {
        public static Header? Parse(ReadOnlySpan<byte> data)
        {
            if (data.Length < 10) return null;
            var flags = data[3];
            var position = 10;
            if ((flags & 4) != 0)
            {
                if (data.Length < position + 2) return null;
                position += 2 + BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
            }
            string? name = null;
            if ((flags & 8) != 0)
            {
                if (position >= data.Length) return null;
                var end = data[position..].IndexOf((byte)0);
                if (end < 0) return null;
                name = Encoding.Latin1.GetString(data.Slice(position, Math.Min(end, 255)));
            }
            return new Header(BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), data[9], name);
        }
    }
}

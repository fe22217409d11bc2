using System.Globalization;
using System.Text;

namespace BuildTrust.Demo.Repositories;

/// <summary>Builds raw commit objects and inserts a <c>gpgsig</c> header the way git does.</summary>
public static class CommitPayload
{
    public static byte[] Build(string tree, IEnumerable<string> parents, string author, string committer, DateTimeOffset when, string message)
    {
        var time = $"{when.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)} {FormatOffset(when.Offset)}";
        var text = new StringBuilder().Append("tree ").Append(tree).Append('\n');
        foreach (var parent in parents) text.Append("parent ").Append(parent).Append('\n');
        text.Append("author ").Append(author).Append(' ').Append(time).Append('\n');
        text.Append("committer ").Append(committer).Append(' ').Append(time).Append('\n');
        text.Append('\n').Append(message);
        if (!message.EndsWith('\n')) text.Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Inserts the armored signature as a <c>gpgsig</c> header at the end of the header block.</summary>
    public static byte[] InsertSignature(byte[] payload, string armoredSignature)
    {
        var end = payload.AsSpan().IndexOf("\n\n"u8);
        if (end < 0) throw new ArgumentException("payload has no header terminator", nameof(payload));
        var header = "gpgsig " + armoredSignature.TrimEnd('\n').Replace("\n", "\n ", StringComparison.Ordinal) + "\n";
        return [.. payload.AsSpan(0, end + 1), .. Encoding.ASCII.GetBytes(header), .. payload.AsSpan(end + 1)];
    }

    private static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
}

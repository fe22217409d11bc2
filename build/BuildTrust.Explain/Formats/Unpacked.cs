using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>Reads a member's content out of a container, within the budget's caps.</summary>
internal static class Unpacked
{
    /// <summary>The content, or null (with a note) when it is larger than the caps allow; never reads more than the cap.</summary>
    public static byte[]? Read(ComparisonBudget budget, string location, Stream content, long claimedLength)
    {
        var cap = budget.Limits.MaxFileBytes;
        if (claimedLength > cap || !budget.TryTake(Math.Max(0, claimedLength)))
        {
            budget.Skip($"{location}: {claimedLength} bytes, past the size caps; compared by size and digest only");
            return null;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = content.Read(chunk, 0, (int)Math.Min(chunk.Length, cap + 1 - buffer.Length));
            if (read == 0) break;
            buffer.Write(chunk, 0, read);
            if (buffer.Length > cap || (buffer.Length > claimedLength && !budget.TryTake(read)))
            {
                budget.Skip($"{location}: unpacks to more than the caps allow; compared by digest only");
                return null;
            }
        }
        return buffer.ToArray();
    }
}

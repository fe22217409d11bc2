namespace BuildTrust.Pipeline.Files;

/// <summary>
/// A relative path that stays below its root folder on disk: no absolute path, no <c>.</c> or <c>..</c> segment,
/// and no symbolic link on the way (a link inside the root may lead anywhere on the host, so none is followed).
/// </summary>
public static class ContainedPath
{
    /// <summary>Why <paramref name="relative"/> below <paramref name="root"/> is refused, or null when every segment is a real entry.</summary>
    public static string? Problem(string root, string relative)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.Length == 0 || relative.StartsWith('/')) return "is not a relative path";
        var current = root;
        var walked = "";
        foreach (var segment in relative.Split('/'))
        {
            if (segment is "" or "." or "..") return $"has a '{segment}' segment";
            current = Path.Combine(current, segment);
            walked = walked.Length == 0 ? segment : $"{walked}/{segment}";
            if (new FileInfo(current).LinkTarget is { } target) return $"goes through the symbolic link '{walked}' (to '{target}')";
        }
        return null;
    }
}

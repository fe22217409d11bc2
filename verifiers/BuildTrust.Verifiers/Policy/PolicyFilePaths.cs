namespace BuildTrust.Verifiers.Policy;

/// <summary>Validates paths a policy uses to name its files: relative, forward slashes, inside the policy's directory.</summary>
public static class PolicyFilePaths
{
    public const int MaximumFileBytes = 1024 * 1024;

    /// <summary>Throws <see cref="PolicyFileException"/> for an absolute path, a '..' segment, a backslash or an empty segment.</summary>
    public static string Validate(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Split('/');
        if (relativePath.Length == 0 || relativePath.StartsWith('/') || relativePath.Contains('\\') || relativePath.Contains('\0') ||
            segments.Any(s => s is "" or "." or ".."))
            throw new PolicyFileException($"'{relativePath}' must be a relative path inside the policy's directory (no '..', no absolute path)");
        return relativePath;
    }
}

using System.Text.RegularExpressions;

namespace BuildTrust.Verifiers.Policy;

/// <summary>
/// A container image named by content: <c>name@sha256:&lt;64 hex&gt;</c>, or a bare image id
/// <c>sha256:&lt;64 hex&gt;</c> for a locally built image. Tags are refused: they can be moved.
/// </summary>
public sealed partial record ImageReference(string? Repository, string Digest)
{
    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new FormatException(text.Contains('@', StringComparison.Ordinal) || text.StartsWith("sha256:", StringComparison.Ordinal)
                ? $"'{text}' is not name@sha256:<64 lowercase hex> or sha256:<64 lowercase hex>"
                : $"'{text}' names an image by tag; builders run images pinned by digest only (name@sha256:<64 hex>)");
        }
        var repository = match.Groups["name"].Success ? match.Groups["name"].Value : null;
        if (repository is not null && repository.LastIndexOf(':') > repository.LastIndexOf('/'))
            throw new FormatException($"'{text}' carries a tag next to its digest; the engine ignores the tag, so remove it");
        return new ImageReference(repository, match.Groups["digest"].Value);
    }

    public override string ToString() => Repository is null ? Digest : $"{Repository}@{Digest}";

    [GeneratedRegex("^(?:(?<name>[a-z0-9][a-z0-9._/:-]{0,254})@)?(?<digest>sha256:[0-9a-f]{64})$")]
    private static partial Regex Pattern();
}

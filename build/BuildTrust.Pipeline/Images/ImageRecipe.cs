namespace BuildTrust.Pipeline.Images;

/// <summary>
/// How a builder image is made: a Debian root filesystem from <c>mmdebstrap</c> with a fixed
/// <c>SOURCE_DATE_EPOCH</c>, plus folders copied from the host (a .NET SDK, say), plus the folders
/// builds need (<c>/src</c>, <c>/out</c>, <c>/build</c>).
/// </summary>
/// <param name="Name">The tag given when loading (for people; policies pin the image id).</param>
/// <param name="Digest">SHA-256 of the recipe file, recorded in the image's labels.</param>
public sealed record ImageRecipe(
    string Source,
    string Name,
    string Suite,
    string Mirror,
    string Variant,
    IReadOnlyList<string> Packages,
    long SourceDateEpoch,
    IReadOnlyList<ImageFolder> Folders,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string Digest);

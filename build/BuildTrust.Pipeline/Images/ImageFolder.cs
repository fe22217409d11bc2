namespace BuildTrust.Pipeline.Images;

/// <summary>
/// A folder copied into the image at <paramref name="To"/>: <paramref name="From"/> is relative to <paramref name="Root"/>
/// (the recipe's own folder) and may not leave it; <paramref name="Exclude"/> lists relative paths left out.
/// </summary>
/// <param name="Origin">Where the recipe gives <paramref name="From"/> (<c>file:line:column</c>), for errors found when building.</param>
public sealed record ImageFolder(string Root, string From, string To, IReadOnlyList<string> Exclude, string Origin)
{
    public string FullPath => Path.Combine(Root, From);
}

namespace BuildTrust.Explain.Comparison;

/// <summary>
/// One difference between the two sides of a pair, with its evidence: where (artifact, then members, sections or entries,
/// joined by <c> &gt; </c>), what aspect, and the value on each side (as text, capped).
/// </summary>
/// <param name="Offset">Where in the innermost file the difference starts, when it is a byte position.</param>
/// <param name="Raw">The raw hunk (unified lines or a hex dump), capped, for reports that show it collapsed.</param>
public sealed record Difference(string Location, DifferenceKind Kind, string A, string B, long? Offset = null, string? Raw = null);

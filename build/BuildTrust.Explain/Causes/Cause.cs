using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Causes;

/// <summary>
/// A reason two builds differ, in words that say what to fix, with the differences that are its evidence.
/// <see cref="Score"/> orders causes: specific evidence tied to a builder's variation ranks above a guess.
/// </summary>
/// <param name="Id">Stable identifier (<c>build-path</c>, <c>hostname</c>, <c>user</c>, <c>umask</c>, <c>build-time</c>, <c>timezone</c>, <c>locale</c>, <c>file-order</c>, <c>not-deterministic</c>, <c>variation</c>, <c>derived</c>, <c>unexplained</c>).</param>
/// <param name="Variation">The builder variation this cause points at, when one does.</param>
public sealed record Cause(string Id, string Summary, string Fix, int Score, string? Variation, IReadOnlyList<Difference> Evidence);

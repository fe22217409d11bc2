namespace BuildTrust.Verifiers.Quorum;

/// <summary>
/// <c>release.quorum</c>: at least k distinct builders whose complete artifact sets (names and digests,
/// nothing missing, nothing extra) are identical. Fails closed when two different sets each reach k.
/// With <c>independence</c>, builders that agree count only when they differ in each listed aspect (engine, host,
/// operator): two keys on one engine count once, and a builder whose identity is unknown does not count.
/// </summary>
public static class QuorumEvaluator
{
    public static QuorumVerdict Evaluate(IReadOnlyList<BuilderArtifactSet> builders, int quorum, IReadOnlySet<string>? independence = null)
    {
        ArgumentNullException.ThrowIfNull(builders);
        ArgumentOutOfRangeException.ThrowIfLessThan(quorum, 1);
        if (builders.Select(b => b.BuilderId).Distinct(StringComparer.Ordinal).Count() != builders.Count)
            throw new ArgumentException("each builder may appear once", nameof(builders));
        var notCounted = new List<string>();
        var groups = builders
            .GroupBy(b => Key(b.Artifacts), StringComparer.Ordinal)
            .Select(g => Independent([.. g.OrderBy(b => b.BuilderId, StringComparer.Ordinal)], independence, notCounted))
            .Where(g => g.Count > 0)
            .OrderByDescending(g => g.Count).ThenBy(g => g[0], StringComparer.Ordinal)
            .ToList();
        var differences = Differences(builders);
        var reaching = groups.Where(g => g.Count >= quorum).ToList();
        IReadOnlyList<IReadOnlyList<string>> groupList = groups;
        if (reaching.Count == 1)
        {
            var agreeing = reaching[0];
            var agreed = builders.First(b => b.BuilderId == agreeing[0]).Artifacts;
            if (agreed.Count == 0)
                return new QuorumVerdict(quorum, false, "the agreeing builders produced no artifacts", null, agreeing, groupList, differences);
            var dissent = groups.Where(g => g != agreeing).Sum(g => g.Count);
            return new QuorumVerdict(quorum, true,
                $"{agreeing.Count} of {builders.Count} builders produced identical artifacts (quorum {quorum})" + (dissent > 0 ? $"; {dissent} disagreed" : "") + NotCounted(notCounted),
                agreed, agreeing, groupList, differences);
        }
        var reason = reaching.Count > 1
            ? $"{reaching.Count} different artifact sets each reach the quorum of {quorum}: there is no single release to sign"
            : $"at most {(groups.Count > 0 ? groups[0].Count : 0)} of {builders.Count} builders agree{(independence is null ? "" : " independently")}; the quorum needs {quorum}";
        return new QuorumVerdict(quorum, false, reason + NotCounted(notCounted), null, [], groupList, differences);
    }

    /// <summary>The builders of one agreeing group that count: in id order, each differing from every one counted before it in every aspect.</summary>
    private static List<string> Independent(List<BuilderArtifactSet> group, IReadOnlySet<string>? independence, List<string> notCounted)
    {
        if (independence is null) return [.. group.Select(b => b.BuilderId)];
        var counted = new List<BuilderArtifactSet>();
        foreach (var builder in group)
        {
            var identity = builder.Identity ?? new BuilderIdentity(null, null, null);
            var unknown = independence.Order(StringComparer.Ordinal).FirstOrDefault(a => identity.Of(a) is null);
            if (unknown is not null)
            {
                notCounted.Add($"{builder.BuilderId} (its {unknown} is not known)");
                continue;
            }
            var twin = counted.Select(c => (c.BuilderId, Aspect: independence.Order(StringComparer.Ordinal).FirstOrDefault(a => c.Identity!.Of(a) == identity.Of(a))))
                .FirstOrDefault(t => t.Aspect is not null);
            if (twin.Aspect is not null)
            {
                notCounted.Add($"{builder.BuilderId} (same {twin.Aspect} as {twin.BuilderId}: {identity.Of(twin.Aspect)})");
                continue;
            }
            counted.Add(builder);
        }
        return [.. counted.Select(b => b.BuilderId)];
    }

    private static string NotCounted(List<string> notCounted) =>
        notCounted.Count == 0 ? "" : $"; not counted as independent: {string.Join(", ", notCounted)}";

    private static string Key(IReadOnlyDictionary<string, string> artifacts) =>
        string.Join('\n', artifacts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}\0{a.Value}"));

    private static List<ArtifactDifference> Differences(IReadOnlyList<BuilderArtifactSet> builders)
    {
        var names = builders.SelectMany(b => b.Artifacts.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var differences = new List<ArtifactDifference>();
        foreach (var name in names)
        {
            var digests = builders.ToDictionary(b => b.BuilderId, b => b.Artifacts.TryGetValue(name, out var digest) ? digest : null, StringComparer.Ordinal);
            if (digests.Values.Distinct(StringComparer.Ordinal).Count() > 1) differences.Add(new ArtifactDifference(name, digests));
        }
        return differences;
    }
}

namespace BuildTrust.Verifiers.Quorum;

/// <summary>
/// <c>release.quorum</c>: at least k distinct builders whose complete artifact sets (names and digests,
/// nothing missing, nothing extra) are identical. Fails closed when two different sets each reach k.
/// </summary>
public static class QuorumEvaluator
{
    public static QuorumVerdict Evaluate(IReadOnlyList<BuilderArtifactSet> builders, int quorum)
    {
        ArgumentNullException.ThrowIfNull(builders);
        ArgumentOutOfRangeException.ThrowIfLessThan(quorum, 1);
        if (builders.Select(b => b.BuilderId).Distinct(StringComparer.Ordinal).Count() != builders.Count)
            throw new ArgumentException("each builder may appear once", nameof(builders));
        var groups = builders
            .GroupBy(b => Key(b.Artifacts), StringComparer.Ordinal)
            .Select(g => g.Select(b => b.BuilderId).Order(StringComparer.Ordinal).ToList())
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
            var dissent = builders.Count - agreeing.Count;
            return new QuorumVerdict(quorum, true,
                $"{agreeing.Count} of {builders.Count} builders produced identical artifacts (quorum {quorum})" + (dissent > 0 ? $"; {dissent} disagreed" : ""),
                agreed, agreeing, groupList, differences);
        }
        var reason = reaching.Count > 1
            ? $"{reaching.Count} different artifact sets each reach the quorum of {quorum}: there is no single release to sign"
            : $"at most {(groups.Count > 0 ? groups[0].Count : 0)} of {builders.Count} builders agree; the quorum needs {quorum}";
        return new QuorumVerdict(quorum, false, reason, null, [], groupList, differences);
    }

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

using BuildTrust.Verifiers.Quorum;

namespace BuildTrust.Verifiers.Imports;

/// <summary>
/// Groups attestations, finds the distinct digest sets among those that count, and evaluates the quorum of each group with
/// the same <see cref="QuorumEvaluator"/> as <c>compare</c>: at least k signers with identical complete sets, and no two
/// different sets both reaching k.
/// </summary>
public static class ImportEvaluator
{
    public static ImportReport Evaluate(string format, int quorum, IEnumerable<ImportedAttestation> attestations, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(attestations);
        ArgumentOutOfRangeException.ThrowIfLessThan(quorum, 1);
        var groups = new List<ImportedGroup>();
        foreach (var group in attestations.GroupBy(a => a.Group, StringComparer.Ordinal).OrderBy(g => g.Key, GroupOrder.Instance))
        {
            var all = group.OrderBy(a => a.Signer, StringComparer.Ordinal).ToList();
            // A signer counts once per group; two good attestations of one signer that disagree count for neither.
            var counting = new List<BuilderArtifactSet>();
            foreach (var signer in all.Where(a => a.Counts).GroupBy(a => a.Signer, StringComparer.Ordinal))
            {
                if (signer.Select(a => Sha256Sums.SetDigest(a.Artifacts)).Distinct(StringComparer.Ordinal).Count() == 1)
                    counting.Add(new BuilderArtifactSet(signer.Key, signer.First().Artifacts));
            }
            var sets = counting.GroupBy(b => Sha256Sums.SetDigest(b.Artifacts), StringComparer.Ordinal)
                .Select(s => new DigestSet(s.Key, s.First().Artifacts.Count, [.. s.Select(b => b.BuilderId).Order(StringComparer.Ordinal)]))
                .OrderByDescending(s => s.Signers.Count).ThenBy(s => s.Sha256, StringComparer.Ordinal).ToList();
            var verdict = counting.Count == 0
                ? new QuorumVerdict(quorum, false, $"no attestation counts (quorum {quorum})", null, [], [], [])
                : QuorumEvaluator.Evaluate(counting, quorum);
            groups.Add(new ImportedGroup(group.Key, all, sets, verdict));
        }
        return new ImportReport(format, quorum, groups, problems);
    }

    /// <summary>Versions in numeric order where they are numbers (22.0 before 22.0rc1 before 29.4), names otherwise.</summary>
    private sealed class GroupOrder : IComparer<string>
    {
        public static GroupOrder Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            var a = System.Text.RegularExpressions.Regex.Split(x ?? "", "([0-9]+)");
            var b = System.Text.RegularExpressions.Regex.Split(y ?? "", "([0-9]+)");
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var order = long.TryParse(a[i], out var na) && long.TryParse(b[i], out var nb) && a[i].Length < 18 && b[i].Length < 18
                    ? na.CompareTo(nb) : string.CompareOrdinal(a[i], b[i]);
                if (order != 0) return order;
            }
            return a.Length.CompareTo(b.Length);
        }
    }
}

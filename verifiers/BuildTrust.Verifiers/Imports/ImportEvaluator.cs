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
        var digests = new Dictionary<IReadOnlyDictionary<string, string>, string>(ReferenceEqualityComparer.Instance);
        string SetOf(IReadOnlyDictionary<string, string> artifacts)
        {
            if (!digests.TryGetValue(artifacts, out var digest)) digests[artifacts] = digest = Sha256Sums.SetDigest(artifacts);
            return digest;
        }
        // Plain loops and dictionaries: LINQ over value tuples would be compiled at start-up, and an import is mostly start-up.
        var byGroup = new Dictionary<string, List<ImportedAttestation>>(StringComparer.Ordinal);
        foreach (var attestation in attestations)
        {
            if (!byGroup.TryGetValue(attestation.Group, out var list)) byGroup[attestation.Group] = list = [];
            list.Add(attestation);
        }
        var names = new List<string>(byGroup.Keys);
        var runs = names.ToDictionary(name => name, Runs, StringComparer.Ordinal);
        names.Sort((a, b) => RunsOrder.Instance.Compare(runs[a], runs[b]));
        foreach (var name in names)
        {
            var all = byGroup[name];
            all.Sort((a, b) => string.CompareOrdinal(a.Signer, b.Signer));
            // A signer counts once per group; two good attestations of one signer that disagree count for neither.
            var bySigner = new Dictionary<string, SignerSet>(StringComparer.Ordinal);
            foreach (var attestation in all)
            {
                if (!attestation.Counts) continue;
                var set = SetOf(attestation.Artifacts);
                if (bySigner.TryGetValue(attestation.Signer, out var seen)) seen.Conflict |= seen.Set != set;
                else bySigner[attestation.Signer] = new SignerSet(attestation.Artifacts, set);
            }
            var counting = new List<BuilderArtifactSet>();
            var holders = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (signer, signerSet) in bySigner)
            {
                if (signerSet.Conflict) continue;
                counting.Add(new BuilderArtifactSet(signer, signerSet.Artifacts));
                if (!holders.TryGetValue(signerSet.Set, out var list)) holders[signerSet.Set] = list = [];
                list.Add(signer);
            }
            counting.Sort((a, b) => string.CompareOrdinal(a.BuilderId, b.BuilderId));
            var sets = new List<DigestSet>();
            foreach (var (set, signers) in holders)
            {
                signers.Sort(StringComparer.Ordinal);
                sets.Add(new DigestSet(set, bySigner[signers[0]].Artifacts.Count, signers));
            }
            sets.Sort((a, b) => a.Signers.Count != b.Signers.Count ? b.Signers.Count.CompareTo(a.Signers.Count) : string.CompareOrdinal(a.Sha256, b.Sha256));
            var verdict = counting.Count == 0
                ? new QuorumVerdict(quorum, false, $"no attestation counts (quorum {quorum})", null, [], [], [])
                : QuorumEvaluator.Evaluate(counting, quorum);
            groups.Add(new ImportedGroup(name, all, sets, verdict));
        }
        return new ImportReport(format, quorum, groups, problems);
    }

    private sealed class SignerSet(IReadOnlyDictionary<string, string> artifacts, string set)
    {
        public IReadOnlyDictionary<string, string> Artifacts { get; } = artifacts;

        public string Set { get; } = set;

        public bool Conflict { get; set; }
    }

    /// <summary>A group name cut into runs of digits and of other characters, so that versions sort as numbers (22.0, 22.0rc1, 29.4, 100.1).</summary>
    private static List<string> Runs(string name)
    {
        var runs = new List<string>();
        var start = 0;
        for (var i = 1; i <= name.Length; i++)
        {
            if (i == name.Length || char.IsAsciiDigit(name[i]) != char.IsAsciiDigit(name[i - 1]))
            {
                runs.Add(name[start..i]);
                start = i;
            }
        }
        return runs;
    }

    private sealed class RunsOrder : IComparer<List<string>>
    {
        public static RunsOrder Instance { get; } = new();

        public int Compare(List<string>? x, List<string>? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var order = x[i].Length is > 0 and < 18 && y[i].Length is > 0 and < 18 && char.IsAsciiDigit(x[i][0]) && char.IsAsciiDigit(y[i][0])
                    ? long.Parse(x[i], System.Globalization.CultureInfo.InvariantCulture).CompareTo(long.Parse(y[i], System.Globalization.CultureInfo.InvariantCulture))
                    : string.CompareOrdinal(x[i], y[i]);
                if (order != 0) return order;
            }
            return x.Count.CompareTo(y.Count);
        }
    }
}

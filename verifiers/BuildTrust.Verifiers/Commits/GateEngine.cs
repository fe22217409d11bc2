using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Policy;
using BuildTrust.Verifiers.Trust;
using BuildTrust.Verifiers.Commits.Reviews;
using BuildTrust.Verifiers.Signatures;
using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Commits;

/// <summary>
/// Judges every commit of a range: its signature (<see cref="CommitSignatureGate"/>), its reviews, and, with a
/// trust root, the authority of every policy change from the trust root to the tip. With a fixed policy
/// (no trust root) that policy judges every commit and policy changes are not checked.
/// </summary>
internal sealed class GateEngine
{
    private readonly GitCommitSource _source;
    private readonly string _include;
    private readonly string? _exclude;
    private readonly ReleasePolicy? _fixedPolicy;
    private readonly PolicyHistory? _history;
    private IReadOnlyDictionary<string, string> _exemptions;
    private readonly Dictionary<string, List<(string Merge, string KeyFingerprint, string Hardware)>> _mergeReviews = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, byte[]?> _notes;
    private readonly List<string> _policyChangesOutsideRange = [];
    private List<string> _policyChanges = [];
    private List<string>? _range;
    private readonly Dictionary<ReleasePolicy, CommitSignatureGate> _gates = [];

    private GateEngine(GitCommitSource source, string include, string? exclude, ReleasePolicy? fixedPolicy, PolicyHistory? history, IReadOnlyDictionary<string, string> exemptions, IReadOnlyDictionary<string, byte[]?> notes)
    {
        _source = source;
        _include = include;
        _exclude = exclude;
        _fixedPolicy = fixedPolicy;
        _history = history;
        _exemptions = exemptions;
        _notes = notes;
    }

    /// <summary>Every commit judged by one policy given from outside (no policy history).</summary>
    public static GateEngine WithFixedPolicy(GitCommitSource source, string include, string? exclude, ReleasePolicy policy)
    {
        var needsReviews = policy.Commits.Reviews > 0;
        var engine = new GateEngine(source, include, exclude, policy, null, policy.Commits.Exemptions,
            needsReviews ? source.ReadNotes(ReviewApproval.NotesReference, ReviewApproval.MaximumNoteBytes) : new Dictionary<string, byte[]?>());
        if (needsReviews) engine.CollectMergeReviews(include, Parents(source, include, exclude));
        return engine;
    }

    /// <summary>Policies authenticated through history from <paramref name="trustRoot"/>; exemptions come from the tip's policy.</summary>
    public static GateEngine WithTrustRoot(GitCommitSource source, string include, string? exclude, string trustRoot, string policyPath)
    {
        var policyDirectory = PolicyHistory.DirectoryOf(policyPath);
        var ids = source.Walk(include, trustRoot, parentsFirst: true).ToList();
        // Independent reads run on their own repository handles (libgit2 handles are not shared across threads).
        var blobs = OnSecondHandle(source, second => ids.Prepend(trustRoot)
            .ToDictionary(id => id, id => second.AuthorityAt(id, policyDirectory, RepositoryParameters.RelativePath), StringComparer.Ordinal));
        var notesAndRange = OnSecondHandle(source, second => (
            Notes: second.ReadNotes(ReviewApproval.NotesReference, ReviewApproval.MaximumNoteBytes),
            Range: second.Range(include, exclude).Select(entry => entry.Id).ToList()));
        var walk = ids.Select(id => (id, source.Read(id).Parents)).ToList();

        var history = new PolicyHistory(source, trustRoot, walk, blobs.GetAwaiter().GetResult(), policyPath);
        var tip = history.At(include).Policy;
        var (notes, range) = notesAndRange.GetAwaiter().GetResult();
        var engine = new GateEngine(source, include, exclude, null, history, tip?.Commits.Exemptions ?? new Dictionary<string, string>(), notes);
        engine.CollectMergeReviews(include, walk);
        engine._range = include == trustRoot && exclude == trustRoot ? [trustRoot] : range;
        var inRange = range.ToHashSet(StringComparer.Ordinal);
        var policyChanges = engine._policyChanges = ids.Where(history.ChangesPolicy).ToList();
        engine._policyChangesOutsideRange.AddRange(policyChanges.Where(id => !inRange.Contains(id)).Reverse());
        // Exemptions come from the tip's policy, so they count only when that policy's own history holds without them:
        // every policy change from the trust root on must pass in full (a policy change is never exempt).
        if (engine._exemptions.Count > 0 && policyChanges.Any(id => engine.Judge(source.Read(id)).Status != CheckStatus.Passed))
        {
            engine.ExemptionsRefused = $"the {engine._exemptions.Count} exemption(s) in the tip's policy are ignored: its history from the trust root does not hold without them";
            engine._exemptions = new Dictionary<string, string>();
        }
        return engine;
    }

    private static Task<T> OnSecondHandle<T>(GitCommitSource source, Func<GitCommitSource, T> read) => Task.Run(() =>
    {
        using var second = GitCommitSource.Open(source.RepositoryPath);
        return read(second);
    });

    /// <summary>Every commit from the trust root to the tip that changes the policy, judged (parents first).</summary>
    public IEnumerable<CommitVerdict> PolicyChangeVerdicts() =>
        _policyChanges.Select(id => Judge(new PendingCommit(new RangeEntry(id, null), "policy-history")));

    public ReleasePolicy ScopePolicy => _fixedPolicy ?? _history!.RootPolicy;

    /// <summary>Why the tip policy's exemptions are not honoured, when they are not.</summary>
    public string? ExemptionsRefused { get; private set; }

    public IEnumerable<CommitVerdict> Verdicts(CancellationToken cancellationToken)
    {
        var inRange = (_range?.Select(id => new RangeEntry(id, null)) ?? _source.Range(_include, _exclude)).Select(entry => new PendingCommit(entry, "range"));
        var history = _policyChangesOutsideRange.Select(id => new PendingCommit(new RangeEntry(id, null), "policy-history"));
        using var pending = inRange.Concat(history).GetEnumerator();
        var head = new List<PendingCommit>(SequentialLimit + 1);
        while (head.Count <= SequentialLimit && pending.MoveNext()) head.Add(pending.Current);
        if (head.Count <= SequentialLimit)
        {
            foreach (var item in head)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Judge(item);
            }
            yield break;
        }
        var parallel = head.Concat(Rest(pending)).AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(Judge);
        foreach (var verdict in parallel) yield return verdict;
    }

    private static IEnumerable<PendingCommit> Rest(IEnumerator<PendingCommit> pending)
    {
        while (pending.MoveNext()) yield return pending.Current;
    }

    private CommitVerdict Judge(PendingCommit item) =>
        Judge(item.Entry.Record ?? _source.Read(item.Entry.Id)) with { Context = item.Entry.Id == _history?.TrustRoot ? "trust-root" : item.Context };

    /// <summary>
    /// Ranges up to this many commits (a pull request's, typically) are judged on the calling thread: starting
    /// PLINQ costs more there (its generic code is compiled at start-up) than verifying them one after another.
    /// </summary>
    private const int SequentialLimit = 16;

    // A class rather than a tuple: PLINQ's generic code over reference types is shared and precompiled, over a value type it is compiled at start-up.
    private sealed record PendingCommit(RangeEntry Entry, string Context);

    private static List<(string Id, IReadOnlyList<string> Parents)> Parents(GitCommitSource source, string include, string? exclude) =>
        source.Walk(include, exclude, parentsFirst: true).Select(id => (id, source.Read(id).Parents)).ToList();

    private CommitVerdict Judge(CommitRecord commit)
    {
        if (commit.ReadError is not null) return Gate(ScopePolicy).Verify(commit);
        if (_exemptions.TryGetValue(commit.Id, out var reason) && _history?.ChangesPolicy(commit.Id) != true)
        {
            return new CommitVerdict(commit.Id, commit.Summary, commit.CommittedAt, null, null, null, null,
                [CheckResult.Pass("exempt", "every check, unless exempted by the policy", $"EXEMPTED by the policy: {reason}")]) { Exemption = reason };
        }
        if (_history is null) return JudgeUnder(commit, new PolicyInForce(_fixedPolicy, null, ""), changesPolicy: false) with { PolicyVersion = null };
        if (commit.Id == _history.TrustRoot)
        {
            var anchor = Gate(_history.RootPolicy).Verify(commit);
            return anchor with { PolicyVersion = commit.Id, Checks = [.. anchor.Checks, CheckResult.Pass("trust-root", "the trust root", "the trust root: its policy is trusted as given")] };
        }
        if (!_history.Descends(commit.Id))
        {
            return new CommitVerdict(commit.Id, commit.Summary, commit.CommittedAt, null, null, null, null,
                [CheckResult.Fail("trust-root", $"a descendant of the trust root {_history.TrustRoot}", "the commit does not descend from the trust root (the range starts before it, or brings in unrelated history)")]);
        }
        var changes = _history.ChangesPolicy(commit.Id);
        var verdicts = _history.InForce(commit.Id).Select(policy => JudgeUnder(commit, policy, changes)).ToList();
        return verdicts.MaxBy(v => v.Status)!;
    }

    private CommitVerdict JudgeUnder(CommitRecord commit, PolicyInForce inForce, bool changesPolicy)
    {
        if (inForce.Policy is null)
        {
            return new CommitVerdict(commit.Id, commit.Summary, commit.CommittedAt, null, null, null, null,
                [CheckResult.Malformed("policy.readable", "a readable policy in force", $"the policy in force is unusable: {inForce.Error!.Message}")]) { PolicyVersion = inForce.Version };
        }
        var policy = inForce.Policy;
        var verdict = Gate(policy).Verify(commit) with { PolicyVersion = inForce.Version };
        if (verdict.Status != CheckStatus.Passed || (policy.Commits.Reviews == 0 && !changesPolicy)) return verdict;

        var checks = verdict.Checks.ToList();
        var evidence = new List<ReviewEvidence>();
        if (_notes.TryGetValue(commit.Id, out var note))
        {
            IReadOnlyList<string> approvals;
            try
            {
                approvals = ApprovalNote.Parse(note ?? throw new ReviewNoteFormatException($"the note is larger than {ReviewApproval.MaximumNoteBytes} bytes"));
            }
            catch (ReviewNoteFormatException e)
            {
                checks.Add(CheckResult.Malformed("reviews.note", "a well-formed review note", $"malformed review note on {ReviewApproval.NotesReference}: {e.Message}"));
                return verdict with { Checks = checks };
            }
            evidence.AddRange(approvals.Select(a => ReviewCollector.FromApproval(policy, commit.Id, commit.CommittedAt, a)));
        }
        if (_mergeReviews.TryGetValue(commit.Id, out var merges))
            evidence.AddRange(merges.Select(m => ReviewCollector.FromMerge(policy, m.Merge, m.KeyFingerprint, m.Hardware)));

        IReadOnlyList<ReviewEvidence> judged = evidence;
        if (policy.Commits.Reviews > 0)
        {
            (judged, var reviewers) = ReviewCollector.Count(policy, evidence, MaintainerRole.Reviewer, verdict.Signer);
            var expected = $"{policy.Commits.Reviews} reviewer(s) other than the author";
            var counted = judged.Where(e => e.Counted).Select(e => $"{e.Maintainer} ({e.Kind} {Short(e.Source)})");
            checks.Add(reviewers >= policy.Commits.Reviews
                ? CheckResult.Pass(CommitVerdict.ReviewCheckId, expected, $"reviewed by {string.Join(", ", counted)}")
                : CheckResult.Fail(CommitVerdict.ReviewCheckId, expected, ReviewShortfall(reviewers, judged)));
        }
        if (changesPolicy && checks.All(c => c.Passed)) checks.Add(CheckPolicyChange(commit, policy, verdict.Signer, evidence));
        return verdict with { Checks = checks, Reviews = judged };
    }

    private CheckResult CheckPolicyChange(CommitRecord commit, ReleasePolicy policy, string? signer, IReadOnlyList<ReviewEvidence> evidence)
    {
        const string Id = "policy.change";
        var required = policy.Commits.PolicyChanges;
        var expected = $"{required} distinct policy-admin(s) of the previous policy signing or approving the change";
        var signerEvidence = new ReviewEvidence("signature", commit.Id, signer, "", true, "commit signature");
        var (_, admins) = ReviewCollector.Count(policy, [signerEvidence, .. evidence], MaintainerRole.PolicyAdmin, excluded: null);
        var next = _history!.At(commit.Id);
        if (next.Policy is null) return CheckResult.Malformed(Id, "a readable new policy", $"the policy this commit introduces is unusable: {next.Error!.Message}");
        return admins >= required
            ? CheckResult.Pass(Id, expected, $"policy change approved by {admins} policy-admin(s)")
            : CheckResult.Fail(Id, expected, $"the commit changes the policy ({_history.PolicyDirectory}/ or {RepositoryParameters.RelativePath}) with only {admins} of {required} required policy-admin approvals");
    }

    private static string ReviewShortfall(int reviewers, IReadOnlyList<ReviewEvidence> judged)
    {
        var refused = judged.Where(e => !e.Counted).Select(e => $"{e.Maintainer ?? e.KeyFingerprint}: {e.Detail}").ToList();
        var detail = refused.Count == 0 ? "no approval note and no covering merge" : "not counted: " + string.Join("; ", refused);
        return $"{reviewers} reviewer(s) counted; {detail}";
    }

    /// <summary>
    /// A merge commit on the first-parent chain of the verified tip whose own signature passes under its policy
    /// reviews the commits it brings in: those reachable from its other parents and not from its first parent. A merge
    /// elsewhere (a reviewer's "sync" merge of main into their own branch) reviews nothing.
    /// </summary>
    private void CollectMergeReviews(string include, IReadOnlyList<(string Id, IReadOnlyList<string> Parents)> walk)
    {
        var parentsOf = new Dictionary<string, IReadOnlyList<string>>(walk.Count, StringComparer.Ordinal);
        foreach (var (id, parents) in walk) parentsOf[id] = parents;
        var firstParentChain = new HashSet<string>(StringComparer.Ordinal);
        for (var id = include; parentsOf.TryGetValue(id, out var parents) && firstParentChain.Add(id) && parents.Count > 0; id = parents[0])
        {
        }
        foreach (var (id, parents) in walk)
        {
            if (parents.Count < 2 || !firstParentChain.Contains(id)) continue;
            var record = _source.Read(id);
            var policies = _history is null ? [_fixedPolicy!] : _history.Descends(id) ? _history.InForce(id).Select(p => p.Policy).ToList() : [];
            if (policies.Count == 0 || policies.Any(p => p is null)) continue;
            var verdicts = policies.Select(p => Gate(p!).Verify(record)).ToList();
            if (verdicts.Any(v => v.Status != CheckStatus.Passed)) continue;
            var key = SignatureChecker.Check(policies[0]!, record.Signature!, record.SignedPayload, CommitSignatureGate.GitNamespace).Key!.Fingerprint;
            foreach (var other in parents.Skip(1))
            {
                foreach (var covered in _source.Walk(other, parents[0], parentsFirst: false))
                {
                    if (!_mergeReviews.TryGetValue(covered, out var list)) _mergeReviews[covered] = list = [];
                    list.Add((id, key, verdicts[0].HardwareEvidence ?? ""));
                }
            }
        }
    }

    private CommitSignatureGate Gate(ReleasePolicy policy)
    {
        lock (_gates)
        {
            if (!_gates.TryGetValue(policy, out var gate)) _gates[policy] = gate = new CommitSignatureGate(policy);
            return gate;
        }
    }

    private static string Short(string source) => source.Length == 40 ? source[..12] : source;
}

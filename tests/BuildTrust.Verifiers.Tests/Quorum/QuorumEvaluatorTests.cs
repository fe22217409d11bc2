using BuildTrust.Verifiers.Quorum;

namespace BuildTrust.Verifiers.Tests.Quorum;

public sealed class QuorumEvaluatorTests
{
    private static readonly string A = new('a', 64), B = new('b', 64), C = new('c', 64);

    private static BuilderArtifactSet Set(string builder, params (string Name, string Digest)[] artifacts) =>
        new(builder, artifacts.ToDictionary(a => a.Name, a => a.Digest));

    [Fact]
    public void Two_of_three_pass_when_one_builder_disagrees_and_the_difference_is_named()
    {
        var verdict = QuorumEvaluator.Evaluate([Set("a", ("app", A)), Set("b", ("app", A)), Set("c", ("app", B))], 2);
        Assert.True(verdict.Passed, verdict.Reason);
        Assert.Equal(["a", "b"], verdict.AgreeingBuilders);
        Assert.Equal(A, verdict.Agreed!["app"]);
        var difference = Assert.Single(verdict.Differences);
        Assert.Equal("app", difference.Name);
        Assert.Equal(B, difference.DigestByBuilder["c"]);
    }

    [Fact]
    public void Two_of_two_fail_when_one_builder_disagrees()
    {
        var verdict = QuorumEvaluator.Evaluate([Set("a", ("app", A)), Set("b", ("app", B))], 2);
        Assert.False(verdict.Passed);
        Assert.Null(verdict.Agreed);
        Assert.Contains("at most 1 of 2", verdict.Reason);
    }

    [Fact]
    public void A_missing_artifact_breaks_agreement()
    {
        var verdict = QuorumEvaluator.Evaluate([Set("a", ("app", A), ("lib", C)), Set("b", ("app", A))], 2);
        Assert.False(verdict.Passed);
        Assert.Null(Assert.Single(verdict.Differences).DigestByBuilder["b"]);
    }

    [Fact]
    public void An_extra_artifact_breaks_agreement()
    {
        var verdict = QuorumEvaluator.Evaluate([Set("a", ("app", A)), Set("b", ("app", A), ("extra", C))], 2);
        Assert.False(verdict.Passed);
        Assert.Equal("extra", Assert.Single(verdict.Differences).Name);
    }

    [Fact]
    public void Two_different_sets_that_each_reach_the_quorum_fail_closed()
    {
        var verdict = QuorumEvaluator.Evaluate([Set("a", ("app", A)), Set("b", ("app", B))], 1);
        Assert.False(verdict.Passed);
        Assert.Contains("no single release", verdict.Reason);
    }

    [Fact]
    public void Agreeing_on_nothing_is_not_a_release()
    {
        var verdict = QuorumEvaluator.Evaluate([Set("a"), Set("b")], 2);
        Assert.False(verdict.Passed);
    }

    [Fact]
    public void A_builder_listed_twice_is_misuse()
    {
        Assert.Throws<ArgumentException>(() => QuorumEvaluator.Evaluate([Set("a", ("app", A)), Set("a", ("app", A))], 2));
    }

    private static readonly HashSet<string> EngineOnly = [IndependenceAspect.Engine];

    private static BuilderArtifactSet On(string builder, string? engine, string? host = "host", string? operatorName = null) =>
        new(builder, new Dictionary<string, string> { ["app"] = A }, new BuilderIdentity(engine, host, operatorName));

    [Fact]
    public void Two_builders_on_one_engine_count_once_and_do_not_make_a_quorum_of_two()
    {
        var verdict = QuorumEvaluator.Evaluate([On("a", "engine-1"), On("b", "engine-1")], 2, EngineOnly);

        Assert.False(verdict.Passed);
        Assert.Contains("b (same engine as a: engine-1)", verdict.Reason);
    }

    [Fact]
    public void Two_builders_on_two_engines_make_a_quorum_of_two()
    {
        var verdict = QuorumEvaluator.Evaluate([On("a", "engine-1"), On("b", "engine-2")], 2, EngineOnly);

        Assert.True(verdict.Passed, verdict.Reason);
        Assert.Equal(["a", "b"], verdict.AgreeingBuilders);
    }

    [Fact]
    public void A_builder_whose_engine_is_unknown_does_not_count()
    {
        var verdict = QuorumEvaluator.Evaluate([On("a", "engine-1"), On("b", null)], 2, EngineOnly);

        Assert.False(verdict.Passed);
        Assert.Contains("b (its engine is not known)", verdict.Reason);
    }

    [Theory]
    [InlineData("host", "h", "h", "x", "y", false)]
    [InlineData("host", "h1", "h2", "x", "x", true)]
    [InlineData("operator", "h", "h", "acme", "acme", false)]
    [InlineData("operator", "h", "h", "acme", "globex", true)]
    public void The_policy_can_ask_for_distinct_hosts_or_operators_too(string aspect, string hostA, string hostB, string operatorA, string operatorB, bool passes)
    {
        var verdict = QuorumEvaluator.Evaluate([On("a", "engine-1", hostA, operatorA), On("b", "engine-2", hostB, operatorB)], 2,
            new HashSet<string> { IndependenceAspect.Engine, aspect });

        Assert.Equal(passes, verdict.Passed);
    }

    [Fact]
    public void Builders_on_one_engine_that_disagree_with_the_agreeing_ones_do_not_hide_the_agreement()
    {
        var verdict = QuorumEvaluator.Evaluate([On("a", "engine-1"), On("b", "engine-2"), new("c", new Dictionary<string, string> { ["app"] = B }, new BuilderIdentity("engine-1", "h", null))], 2, EngineOnly);

        Assert.True(verdict.Passed, verdict.Reason);
        Assert.Equal(["a", "b"], verdict.AgreeingBuilders);
    }
}

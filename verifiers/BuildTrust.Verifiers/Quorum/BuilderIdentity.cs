namespace BuildTrust.Verifiers.Quorum;

/// <summary>
/// What tells builders apart beyond their keys: the engine that built (the engine's own id, as its <c>/info</c> reports it),
/// the host it runs on, and the operator the policy names. Two keys on one engine are one builder as far as the quorum goes.
/// The engine and host come from the builder's signed provenance, so they prove a configuration, not that two key holders
/// are different people: that is what distinct operators in the policy are for.
/// </summary>
public sealed record BuilderIdentity(string? Engine, string? Host, string? Operator)
{
    /// <summary>The value of one <see cref="IndependenceAspect"/>, or null when unknown (an unknown value never counts as distinct).</summary>
    public string? Of(string aspect) => aspect switch
    {
        IndependenceAspect.Engine => Engine,
        IndependenceAspect.Host => Host,
        IndependenceAspect.Operator => Operator,
        _ => throw new ArgumentOutOfRangeException(nameof(aspect), aspect, "unknown independence aspect"),
    };
}

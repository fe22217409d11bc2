namespace BuildTrust.Verifiers.Quorum;

/// <summary>The ways builders can be required to differ (<c>release.independence</c>); <see cref="Engine"/> always applies.</summary>
public static class IndependenceAspect
{
    public const string Engine = "engine";
    public const string Host = "host";
    public const string Operator = "operator";

    public static IReadOnlyList<string> All { get; } = [Engine, Host, Operator];
}

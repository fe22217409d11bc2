namespace BuildTrust.Verifiers.Checks;

/// <summary>The outcome of one check: what was required, what was found, and the evidence behind it.</summary>
/// <param name="Id">Stable identifier, for example <c>signature.valid</c>.</param>
public sealed record CheckResult(string Id, CheckStatus Status, string Expected, string Actual, string? Evidence = null)
{
    public bool Passed => Status == CheckStatus.Passed;

    public static CheckResult Pass(string id, string expected, string actual, string? evidence = null) => new(id, CheckStatus.Passed, expected, actual, evidence);

    public static CheckResult Fail(string id, string expected, string actual, string? evidence = null) => new(id, CheckStatus.Failed, expected, actual, evidence);

    public static CheckResult Malformed(string id, string expected, string actual) => new(id, CheckStatus.Malformed, expected, actual);
}

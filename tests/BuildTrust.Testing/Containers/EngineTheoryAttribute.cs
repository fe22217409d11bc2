namespace BuildTrust.Testing.Containers;

/// <summary>A theory that needs the real Docker engines; skipped loudly when <c>./build.sh test</c> did not start them.</summary>
public sealed class EngineTheoryAttribute : Xunit.TheoryAttribute
{
    public EngineTheoryAttribute()
    {
        if (TestEngines.SkipReason is { } reason) Skip = reason;
    }
}

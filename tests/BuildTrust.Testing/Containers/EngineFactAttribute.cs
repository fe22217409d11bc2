namespace BuildTrust.Testing.Containers;

/// <summary>A test that needs the real Docker engines; skipped loudly when <c>./build.sh test</c> did not start them.</summary>
public sealed class EngineFactAttribute : Xunit.FactAttribute
{
    public EngineFactAttribute()
    {
        if (TestEngines.SkipReason is { } reason) Skip = reason;
    }
}

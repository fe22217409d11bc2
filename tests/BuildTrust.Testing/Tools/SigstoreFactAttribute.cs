namespace BuildTrust.Testing.Tools;

/// <summary>A test that cross-checks with sigstore-js; skipped loudly when it is not installed (./build.sh test installs it).</summary>
public sealed class SigstoreFactAttribute : Xunit.FactAttribute
{
    public SigstoreFactAttribute()
    {
        if (SigstoreJs.SkipReason is { } reason) Skip = reason;
    }
}

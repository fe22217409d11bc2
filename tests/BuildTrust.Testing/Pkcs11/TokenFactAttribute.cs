namespace BuildTrust.Testing.Pkcs11;

/// <summary>A test that needs SoftHSM2; skipped loudly when it is not installed (./build.sh test installs it).</summary>
public sealed class TokenFactAttribute : Xunit.FactAttribute
{
    public TokenFactAttribute()
    {
        if (SoftHsmToken.MissingReason is { } reason) Skip = $"SKIPPED: {reason}";
    }
}

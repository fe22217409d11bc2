namespace BuildTrust.Verifiers.Signatures.Ssh;

/// <summary>What a FIDO authenticator asserted along with its signature (PROTOCOL.u2f).</summary>
public sealed record SecurityKeyAssertion(string Application, byte Flags, uint Counter)
{
    public const byte UserPresentFlag = 0x01;
    public const byte UserVerifiedFlag = 0x04;

    /// <summary>The user touched the key.</summary>
    public bool UserPresent => (Flags & UserPresentFlag) != 0;

    /// <summary>The authenticator verified the user (PIN or biometric).</summary>
    public bool UserVerified => (Flags & UserVerifiedFlag) != 0;
}

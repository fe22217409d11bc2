using BuildTrust.Verifiers.Evidence;

namespace BuildTrust.Verifiers.Policy.Check;

/// <summary>A key's hardware evidence as verified when the policy was loaded, field by field for reports.</summary>
/// <param name="Kind"><c>fido-enrollment</c> (a security key's enrollment attestation) or <c>key-attestation</c> (a PIV or OpenPGP certificate chain).</param>
/// <param name="EnrollmentFlags">FIDO: the flags the authenticator set at enrollment, by name.</param>
public sealed record KeyEvidence(
    string Kind, bool Valid, string? Failure, string? Root, string? Applet, long? Serial, string? Firmware, string? Pin, string? Touch,
    int? FormFactor, string? FormFactorName, string? Aaguid, string? AuthenticatorModel, IReadOnlyList<string>? EnrollmentFlags, string? AttestedKey)
{
    public static KeyEvidence Of(MaintainerKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var attestation = key.Attestation ?? throw new ArgumentException("the key has no attestation", nameof(key));
        var p = attestation.Properties;
        return new KeyEvidence(key.Ssh is { IsSecurityKey: true } ? "fido-enrollment" : "key-attestation", attestation.Valid, attestation.Failure, attestation.Root,
            p?.Applet, p?.Serial, p?.Firmware, p?.Pin, p?.Touch, p?.FormFactor, p?.FormFactorName, p?.Aaguid, p?.AuthenticatorModel,
            p?.EnrollmentFlags is { } flags ? Flags(flags) : null, key.AttestedKeyFingerprint);
    }

    private static List<string> Flags(byte flags)
    {
        var names = new List<string>();
        if ((flags & 0x01) != 0) names.Add("user-present");
        if ((flags & 0x04) != 0) names.Add("user-verified");
        if ((flags & 0x08) != 0) names.Add("backup-eligible");
        if ((flags & 0x10) != 0) names.Add("backed-up");
        if ((flags & 0x40) != 0) names.Add("attested-credential");
        if ((flags & 0x80) != 0) names.Add("extensions");
        return names;
    }
}

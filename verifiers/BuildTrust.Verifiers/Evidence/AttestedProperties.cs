namespace BuildTrust.Verifiers.Evidence;

/// <summary>
/// What the vendor's attestation says about the key, from Yubico's extensions (OID arc 1.3.6.1.4.1.41482):
/// PIV <c>.3.3</c> firmware, <c>.3.7</c> serial, <c>.3.8</c> PIN and touch policy, <c>.3.9</c> form factor;
/// OpenPGP <c>.5.2</c> key source, <c>.5.3</c> firmware, <c>.5.7</c> serial, <c>.5.8</c> touch (user interaction flag), <c>.5.9</c> form factor.
/// </summary>
/// <param name="Applet"><c>PIV</c>, <c>OpenPGP</c>, or <c>unknown</c> when no Yubico extension is present.</param>
/// <param name="Touch"><c>never</c>, <c>always</c>, <c>cached</c>, or null when not stated.</param>
/// <param name="FormFactor">The form-factor code (low four bits of the byte, as yubikey-manager reads it).</param>
/// <param name="GeneratedOnDevice">OpenPGP: false when the key was imported (a copy may exist outside the token).</param>
public sealed record AttestedProperties(string Applet, string? Firmware, long? Serial, string? Pin, string? Touch, int? FormFactor, bool? GeneratedOnDevice)
{
    /// <summary>FIDO: the authenticator model's AAGUID from the enrollment.</summary>
    public string? Aaguid { get; init; }

    /// <summary>FIDO: the flags byte of the enrollment's authenticator data (0x01 user present, 0x04 user verified, 0x40 attested credential, 0x80 extensions).</summary>
    public byte? EnrollmentFlags { get; init; }

    /// <summary>The form factor by name (as yubikey-manager names them), or null when not stated.</summary>
    public string? FormFactorName => FormFactor is { } code ? YubiKeyModels.FormFactor(code) : null;

    /// <summary>FIDO: the authenticator model the AAGUID names, when it is a known one.</summary>
    public string? AuthenticatorModel => Aaguid is { } id ? YubiKeyModels.Authenticator(id) : null;

    public override string ToString()
    {
        var parts = new List<string> { Applet };
        if (Firmware is not null) parts.Add($"firmware {Firmware}");
        if (Serial is not null) parts.Add($"serial {Serial}");
        if (Pin is not null) parts.Add($"PIN {Pin}");
        if (Touch is not null) parts.Add($"touch {Touch}");
        if (FormFactor is not null) parts.Add($"form factor {FormFactorName}");
        if (Aaguid is not null) parts.Add(AuthenticatorModel is { } model ? $"AAGUID {Aaguid} ({model})" : $"AAGUID {Aaguid}");
        return string.Join(", ", parts);
    }
}

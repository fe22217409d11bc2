namespace BuildTrust.Verifiers.Evidence;

/// <summary>
/// Names for what attestations identify by number: YubiKey form factors (the PIV and OpenPGP attestation extension
/// <c>1.3.6.1.4.1.41482.3.9</c>/<c>.5.9</c>, low four bits, named as yubikey-manager names them) and FIDO authenticator
/// models by AAGUID (Yubico's entries of the FIDO Alliance Metadata Service, as Microsoft Entra ID's list of attested FIDO2
/// keys publishes them). Names are for people; nothing is decided on them.
/// </summary>
public static class YubiKeyModels
{
    public static string FormFactor(int code) => code switch
    {
        0x1 => "USB-A keychain",
        0x2 => "USB-A nano",
        0x3 => "USB-C keychain",
        0x4 => "USB-C nano",
        0x5 => "USB-C and Lightning keychain",
        0x6 => "USB-A Bio",
        0x7 => "USB-C Bio",
        0x0 => "unspecified",
        _ => $"unknown form factor 0x{code:x}",
    };

    public static string? Authenticator(string aaguid) => Models.GetValueOrDefault(aaguid.ToLowerInvariant());

    private static readonly Dictionary<string, string> Models = new(StringComparer.Ordinal)
    {
        ["b92c3f9a-c014-4056-887f-140a2501163b"] = "Security Key by Yubico",
        ["f8a011f3-8c0a-4d15-8006-17111f9edc7d"] = "Security Key by Yubico",
        ["6d44ba9b-f6ec-2e49-b930-0c8fe920cb73"] = "Security Key by Yubico with NFC",
        ["149a2021-8ef6-4133-96b8-81f8d5b7f1f5"] = "Security Key by Yubico with NFC",
        ["a4e9fc6d-4cbe-4758-b8ba-37598bb5bbaa"] = "Security Key NFC by Yubico",
        ["e77e3c64-05e3-428b-8824-0cbeb04b829d"] = "Security Key NFC by Yubico",
        ["0bb43545-fd2c-4185-87dd-feb0b2916ace"] = "Security Key NFC by Yubico - Enterprise Edition",
        ["47ab2fb4-66ac-4184-9ae1-86be814012d5"] = "Security Key NFC by Yubico - Enterprise Edition",
        ["73bb0cd4-e502-49b8-9c6f-b59445bf720b"] = "YubiKey 5 FIPS Series",
        ["85203421-48f9-4355-9bc8-8a53846e5083"] = "YubiKey 5 FIPS Series with Lightning",
        ["c1f9a0bc-1dd2-404a-b27f-8e29047a43fd"] = "YubiKey 5 FIPS Series with NFC",
        ["cb69481e-8ff7-4039-93ec-0a2729a154a8"] = "YubiKey 5 Series",
        ["ee882879-721c-4913-9775-3dfcce97072a"] = "YubiKey 5 Series",
        ["19083c3d-8383-4b18-bc03-8f1c9ab2fd1b"] = "YubiKey 5 Series",
        ["c5ef55ff-ad9a-4b9f-b580-adebafe026d0"] = "YubiKey 5 Series with Lightning",
        ["a02167b9-ae71-4ac7-9a07-06432ebb6f1c"] = "YubiKey 5 Series with Lightning",
        ["2fc0579f-8113-47ea-b116-bb5a8db9202a"] = "YubiKey 5 Series with NFC",
        ["fa2b99dc-9e39-4257-8f92-4a30d23c4118"] = "YubiKey 5 Series with NFC",
        ["a25342c0-3cdc-4414-8e46-f4807fca511c"] = "YubiKey 5 Series with NFC",
        ["d8522d9f-575b-4866-88a9-ba99fa02f35b"] = "YubiKey Bio Series",
        ["7d1351a6-e097-4852-b8bf-c9ac5c9ce4a3"] = "YubiKey Bio Series - Multi-protocol Edition",
        ["83c47309-aabb-4108-8470-8be838b573cb"] = "YubiKey Bio Series (Enterprise Profile)",
    };
}

using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Fuzz.Targets;

/// <summary>
/// ssh-key: an SSH public key blob through <see cref="SshPublicKey.FromBlob"/>, its OpenSSH line back through
/// <see cref="SshPublicKey.Parse"/> (the policy's <c>ssh:</c> entries), and the key material the attestation
/// checks compare. Expected: <see cref="SshFormatException"/>; a line that does not read back as the same key
/// is a finding.
/// </summary>
internal sealed class SshPublicKeyTarget : IFuzzTarget
{
    public string Name => "ssh-key";

    public string Description => "SSH public key blob: FromBlob, the OpenSSH line through Parse, attestation key material";

    public string Run(byte[] input)
    {
        SshPublicKey key;
        try
        {
            key = SshPublicKey.FromBlob(input);
        }
        catch (SshFormatException e)
        {
            return $"refused: {e.Message}";
        }
        var line = SshPublicKey.Parse($"{key.Algorithm} {Convert.ToBase64String(key.Blob)} comment");
        if (!line.Equals(key)) throw new InvalidOperationException("the key's OpenSSH line reads back as another key");
        var material = key.IsSecurityKey ? PublicKeyMaterial.FromSecurityKey(key) : PublicKeyMaterial.FromSsh(key);
        return $"accepted: {key} ({material.Kind})";
    }
}

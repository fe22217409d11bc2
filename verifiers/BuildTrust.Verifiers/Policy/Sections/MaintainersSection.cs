using System.Text.RegularExpressions;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Signatures.Ssh;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary>
/// <c>maintainers</c>: ids, roles, keys (SSH lines or OpenPGP key files) with their validity and attestation files. A key
/// identifies exactly one maintainer; attestations are bound later, once the trust roots are known.
/// </summary>
internal static partial class MaintainersSection
{
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    public static partial Regex IdPattern();

    /// <summary>A key's attestation as written: checked against the trust roots by <c>KeyAttestationBinding</c>.</summary>
    public sealed record PendingAttestation(YamlNode Node, string Path, byte[] Bytes, byte[]? Challenge);

    public static List<Maintainer> Read(PolicyReading reading, YamlNode node, Dictionary<int, PendingAttestation> attestations)
    {
        var f = reading.Fields;
        var sequence = f.Sequence(node, "maintainers");
        if (sequence.Children.Count == 0) throw f.Error(node, "the policy names no maintainers; an empty policy would authorise nobody");
        var maintainers = new List<Maintainer>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var keyOwners = new Dictionary<string, string>(StringComparer.Ordinal);
        var keyIdOwners = new Dictionary<long, string>();
        foreach (var item in sequence.Children)
        {
            var maintainer = ReadMaintainer(reading, item, attestations);
            if (!ids.Add(maintainer.Id)) throw f.Error(item, $"maintainer '{maintainer.Id}' is listed twice");
            foreach (var key in maintainer.Keys)
            {
                if (keyOwners.TryGetValue(key.Fingerprint, out var owner))
                {
                    var who = owner == maintainer.Id ? $"twice for maintainer '{owner}'" : $"for both '{owner}' and '{maintainer.Id}'";
                    throw new PolicyException(reading.Source, key.Line, 1, $"key {key.Fingerprint} is listed {who}; a key identifies exactly one maintainer");
                }
                keyOwners.Add(key.Fingerprint, maintainer.Id);
                foreach (var keyId in key.OpenPgp?.KeyIds ?? [])
                {
                    if (!keyIdOwners.TryAdd(keyId, maintainer.Id))
                        throw new PolicyException(reading.Source, key.Line, 1, $"OpenPGP key id {keyId:X16} appears in the keys of both '{keyIdOwners[keyId]}' and '{maintainer.Id}'");
                }
            }
            maintainers.Add(maintainer);
        }
        return maintainers;
    }

    private static Maintainer ReadMaintainer(PolicyReading reading, YamlNode node, Dictionary<int, PendingAttestation> attestations)
    {
        var f = reading.Fields;
        string? id = null;
        HashSet<MaintainerRole>? roles = null;
        List<MaintainerKey>? keys = null;
        DateOnly? validUntil = null;
        foreach (var (keyNode, value) in f.Mapping(node, "a maintainer").Children)
        {
            var key = f.Key(keyNode);
            switch (key)
            {
                case "id":
                    id = f.String(value, key);
                    if (!IdPattern().IsMatch(id)) throw f.Error(value, $"maintainer id '{id}' must match {IdPattern()}");
                    break;
                case "roles":
                    roles = ReadRoles(reading, value);
                    break;
                case "keys":
                    var keySequence = f.Sequence(value, key);
                    if (keySequence.Children.Count == 0) throw f.Error(value, "a maintainer needs at least one key");
                    keys = keySequence.Children.Select(k => ReadKey(reading, k, attestations)).ToList();
                    break;
                case "valid-until":
                    validUntil = f.Date(value, key);
                    break;
                default:
                    throw f.Unknown(keyNode, key, "id, roles, keys, valid-until");
            }
        }
        if (id is null) throw f.Error(node, "a maintainer needs an 'id'");
        if (roles is null) throw f.Error(node, $"maintainer '{id}' needs 'roles'");
        if (keys is null) throw f.Error(node, $"maintainer '{id}' needs 'keys'");
        return new Maintainer(id, roles, keys, validUntil);
    }

    private static HashSet<MaintainerRole> ReadRoles(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        var sequence = f.Sequence(node, "roles");
        if (sequence.Children.Count == 0) throw f.Error(node, "'roles' is empty; give at least one of author, reviewer, policy-admin");
        var roles = new HashSet<MaintainerRole>();
        foreach (var item in sequence.Children)
        {
            var role = f.String(item, "a role") switch
            {
                "author" => MaintainerRole.Author,
                "reviewer" => MaintainerRole.Reviewer,
                "policy-admin" => MaintainerRole.PolicyAdmin,
                var other => throw f.Error(item, $"unknown role '{other}'; roles are author, reviewer, policy-admin"),
            };
            if (!roles.Add(role)) throw f.Error(item, "role listed twice");
        }
        return roles;
    }

    private static MaintainerKey ReadKey(PolicyReading reading, YamlNode node, Dictionary<int, PendingAttestation> attestations)
    {
        var f = reading.Fields;
        SshPublicKey? ssh = null;
        OpenPgpKey? openPgp = null;
        (YamlNode Node, string Path, byte[] Bytes)? attestation = null;
        (YamlNode Node, byte[] Bytes)? challenge = null;
        DateOnly? validUntil = null;
        foreach (var (keyNode, value) in f.Mapping(node, "a key").Children)
        {
            var key = f.Key(keyNode);
            switch (key)
            {
                case "ssh":
                    try
                    {
                        ssh = SshPublicKey.Parse(f.String(value, key));
                    }
                    catch (SshFormatException e)
                    {
                        throw f.Error(value, $"invalid SSH public key: {e.Message}");
                    }
                    break;
                case "valid-until":
                    validUntil = f.Date(value, key);
                    break;
                case "openpgp":
                    var bytes = reading.ReadFile(value, "openpgp");
                    try
                    {
                        openPgp = OpenPgpKey.Parse(bytes);
                    }
                    catch (OpenPgpFormatException e)
                    {
                        throw f.Error(value, $"{reading.Describe(f.String(value, "openpgp"))}: invalid OpenPGP key: {e.Message}");
                    }
                    break;
                case "attestation":
                    attestation = (value, f.String(value, key), reading.ReadFile(value, key));
                    break;
                case "attestation-challenge":
                    challenge = (value, reading.ReadFile(value, key));
                    break;
                default:
                    throw f.Unknown(keyNode, key, "ssh, openpgp, attestation, attestation-challenge, valid-until");
            }
        }
        if ((ssh is null) == (openPgp is null)) throw f.Error(node, "a key needs exactly one of 'ssh' (an OpenSSH public key line) or 'openpgp' (a key file path)");
        if (attestation is { } given)
        {
            var isSecurityKey = ssh is { IsSecurityKey: true };
            if (isSecurityKey && challenge is null)
                throw f.Error(given.Node, "a security key's enrollment attestation needs 'attestation-challenge' (the file given to ssh-keygen -O challenge=)");
            if (!isSecurityKey && challenge is not null)
                throw f.Error(challenge.Value.Node, "'attestation-challenge' applies to security-key (sk-*) enrollment attestations only");
            attestations[checked((int)node.Start.Line)] = new PendingAttestation(given.Node, given.Path, given.Bytes, challenge?.Bytes);
        }
        else if (challenge is not null)
        {
            throw f.Error(challenge.Value.Node, "'attestation-challenge' without 'attestation'");
        }
        return new MaintainerKey(ssh, openPgp, validUntil, checked((int)node.Start.Line));
    }
}

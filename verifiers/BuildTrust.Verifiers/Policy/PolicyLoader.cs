using System.Security.Cryptography;
using BuildTrust.Verifiers.Evidence;
using BuildTrust.Verifiers.Files;
using BuildTrust.Verifiers.Policy.Sections;
using BuildTrust.Verifiers.Policy.Yaml;
using Org.BouncyCastle.X509;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy;

/// <summary>
/// Reads a policy file strictly: unknown keys, wrong types, duplicates and anything the current version does not implement are
/// errors naming file, line and column. Nothing is ever defaulted to "allow". Each section has its reader (Sections/); the
/// YAML primitives are shared with image recipes (Yaml/); hardware evidence is bound by <see cref="KeyAttestationBinding"/>.
/// </summary>
public static class PolicyLoader
{
    public const int MaximumPolicyBytes = 1024 * 1024;

    private const string Sections = "version, maintainers, commits, trust, builders, build, release";

    /// <summary>Loads a policy file on disk (a regular file reached through no symbolic link, read with a cap), evaluated now.</summary>
    public static ReleasePolicy Load(string path) => Parse(ReadFile(path), path, new DirectoryPolicyFiles(Path.GetDirectoryName(Path.GetFullPath(path))!));

    /// <summary>The bytes of a policy file on disk; throws <see cref="PolicyException"/> naming it when it cannot be read safely.</summary>
    public static byte[] ReadFile(string path)
    {
        try
        {
            return UntrustedFile.ReadAll(path, MaximumPolicyBytes);
        }
        catch (UntrustedFileException e)
        {
            throw new PolicyException(path, 0, 0, e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..] : e.Message);
        }
    }

    /// <param name="files">Where the files the policy names (keys, attestations, roots) are read; null when it may name none.</param>
    /// <param name="evaluatedAt">When hardware evidence is judged: the time of the commit or release the policy decides about (default: now).</param>
    public static ReleasePolicy Parse(byte[] bytes, string source, IPolicyFiles? files = null, DateTimeOffset? evaluatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        static Exception Error(string file, long line, long column, string problem) => new PolicyException(file, line, column, problem);
        if (bytes.Length > MaximumPolicyBytes) throw new PolicyException(source, 0, 0, $"policy file is larger than {MaximumPolicyBytes} bytes");
        var root = StrictYaml.ReadSingleDocument(StrictYaml.Decode(bytes, source, Error), source, Error);
        var reading = new PolicyReading(source, files, evaluatedAt ?? DateTimeOffset.UtcNow);
        return Read(reading, root, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static ReleasePolicy Read(PolicyReading reading, YamlNode root, string sha256)
    {
        var f = reading.Fields;
        int? version = null;
        List<Maintainer>? maintainers = null;
        var commits = CommitRules.Default;
        IReadOnlyList<X509Certificate>? roots = null;
        List<BuilderDefinition>? builders = null;
        BuildRecipe? build = null;
        (YamlNode Node, ReleaseRules Rules)? release = null;
        var attestations = new Dictionary<int, MaintainersSection.PendingAttestation>();
        foreach (var (keyNode, value) in f.Mapping(root, "the policy").Children)
        {
            var key = f.Key(keyNode);
            switch (key)
            {
                case "version":
                    version = f.Integer(value, key);
                    if (version != 1) throw f.Error(value, $"unsupported policy version {version}; this BuildTrust reads version 1");
                    break;
                case "maintainers":
                    maintainers = MaintainersSection.Read(reading, value, attestations);
                    break;
                case "commits":
                    commits = CommitsSection.Read(reading, value);
                    break;
                case "trust":
                    roots = TrustSection.Read(reading, value);
                    break;
                case "builders":
                    builders = BuildersSection.Read(reading, value);
                    break;
                case "build":
                    build = BuildSection.Read(reading, value);
                    break;
                case "release":
                    release = (value, ReleaseSection.Read(reading, value));
                    break;
                default:
                    throw f.Unknown(keyNode, key, Sections);
            }
        }
        if (version is null) throw f.Error(root, "missing required key 'version'");
        if (maintainers is null) throw f.Error(root, "missing required key 'maintainers'");
        // Evidence is bound once the trust roots are known: the 'trust' section may come after the keys.
        maintainers = [.. maintainers.Select(m => m with { Keys = [.. m.Keys.Select(k => Bind(reading, k, attestations, roots))] })];
        if (release is { } given)
        {
            if (builders is null || build is null) throw f.Error(given.Node, "'release' needs 'builders' and 'build'");
            if (given.Rules.Quorum > builders.Count)
                throw f.Error(given.Node, $"quorum {given.Rules.Quorum} is more than the {builders.Count} builder(s) listed: no release could ever pass");
        }
        return new ReleasePolicy(reading.Source, sha256, version.Value, maintainers, commits)
        {
            AttestationRoots = roots ?? [],
            Builders = builders ?? [],
            Build = build,
            Release = release?.Rules,
        };
    }

    private static MaintainerKey Bind(PolicyReading reading, MaintainerKey key, Dictionary<int, MaintainersSection.PendingAttestation> attestations, IReadOnlyList<X509Certificate>? roots)
    {
        if (!attestations.TryGetValue(key.Line, out var attestation)) return key;
        if (roots is null) throw reading.Fields.Error(attestation.Node, "'attestation' needs trust.attestation-roots to verify it against");
        try
        {
            return KeyAttestationBinding.Bind(key, attestation.Bytes, attestation.Path, attestation.Challenge, roots, reading.EvaluatedAt);
        }
        catch (AttestationFormatException e)
        {
            throw reading.Fields.Error(attestation.Node, key.Ssh is { IsSecurityKey: true } ? $"{attestation.Path}: {e.Message}" : e.Message);
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using BuildTrust.Verifiers.Attestation;
using BuildTrust.Verifiers.OpenPgp;
using Org.BouncyCastle.X509;
using BuildTrust.Verifiers.Ssh;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy;

/// <summary>
/// Reads a policy file strictly: unknown keys, wrong types, duplicates and anything the current version does
/// not implement are errors naming file, line and column. Nothing is ever defaulted to "allow".
/// </summary>
public static partial class PolicyLoader
{
    public const int MaximumPolicyBytes = 1024 * 1024;

    public static ReleasePolicy Load(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new PolicyException(path, 0, 0, "policy file not found");
            if (info.Length > MaximumPolicyBytes) throw new PolicyException(path, 0, 0, $"policy file is larger than {MaximumPolicyBytes} bytes");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException(path, 0, 0, $"cannot read the policy file: {e.Message}");
        }
        return Parse(bytes, path, new DirectoryPolicyFiles(Path.GetDirectoryName(Path.GetFullPath(path))!));
    }

    /// <param name="files">Where the files the policy names (OpenPGP keys) are read; null when it may name none.</param>
    public static ReleasePolicy Parse(byte[] bytes, string source, IPolicyFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > MaximumPolicyBytes) throw new PolicyException(source, 0, 0, $"policy file is larger than {MaximumPolicyBytes} bytes");
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new PolicyException(source, 0, 0, "policy file is not valid UTF-8");
        }
        var root = ReadSingleDocument(text, source);
        var reader = new Reader(source, files);
        return reader.ReadPolicy(root, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>Reads exactly one YAML document without aliases; errors name the file, line and column. Shared with other strict YAML files (image recipes).</summary>
    public static YamlNode ReadSingleDocument(string text, string source)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            var documents = 0;
            var depth = 0;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias:
                        throw new PolicyException(source, alias.Start.Line, alias.Start.Column, "YAML aliases are not allowed in a policy");
                    case DocumentStart:
                        documents++;
                        if (documents > 1) throw new PolicyException(source, parser.Current.Start.Line, parser.Current.Start.Column, "a policy file holds exactly one YAML document");
                        break;
                    // YamlStream.Load recurses once per level: hostile nesting would overflow the stack before any other check.
                    case SequenceStart or MappingStart when ++depth > MaximumNesting:
                        throw new PolicyException(source, parser.Current.Start.Line, parser.Current.Start.Column, $"YAML nested more than {MaximumNesting} levels deep");
                    case SequenceEnd or MappingEnd:
                        depth--;
                        break;
                }
            }
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0) throw new PolicyException(source, 0, 0, "policy file is empty");
            return stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            var problem = e.InnerException?.Message ?? e.Message;
            if (problem.StartsWith('(')) problem = problem[(problem.IndexOf(')', StringComparison.Ordinal) + 1)..].TrimStart(' ', ':');
            throw new PolicyException(source, e.Start.Line, e.Start.Column, $"malformed YAML: {problem}");
        }
        catch (Exception e) when (e is not PolicyException && Checks.ParserFailure.IsMalformedInput(e))
        {
            // YamlDotNet occasionally fails on hostile input with a non-YAML exception (found by fuzzing).
            throw new PolicyException(source, 0, 0, $"malformed YAML: {e.Message}");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex MaintainerIdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex FullCommitIdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvironmentNamePattern();

    private const int MaximumApprovals = 100;

    /// <summary>Deepest YAML nesting read; a policy or recipe needs five or six levels.</summary>
    private const int MaximumNesting = 32;

    private sealed class Reader(string source, IPolicyFiles? files)
    {
        public ReleasePolicy ReadPolicy(YamlNode root, string sha256)
        {
            var top = Mapping(root, "the policy");
            int? version = null;
            List<Maintainer>? maintainers = null;
            var commits = CommitRules.Default;
            IReadOnlyList<X509Certificate>? roots = null;
            List<BuilderDefinition>? builders = null;
            BuildRecipe? build = null;
            (YamlNode Node, ReleaseRules Rules)? release = null;
            foreach (var (keyNode, value) in top.Children)
            {
                var key = Key(keyNode);
                switch (key)
                {
                    case "version":
                        version = Integer(value, key);
                        if (version != 1) throw Error(value, $"unsupported policy version {version}; this BuildTrust reads version 1");
                        break;
                    case "maintainers":
                        maintainers = ReadMaintainers(value);
                        break;
                    case "commits":
                        commits = ReadCommits(value);
                        break;
                    case "trust":
                        roots = ReadTrust(value);
                        break;
                    case "builders":
                        builders = ReadBuilders(value);
                        break;
                    case "build":
                        build = ReadBuild(value);
                        break;
                    case "release":
                        release = (value, ReadRelease(value));
                        break;
                    default:
                        throw Unknown(keyNode, key, "version, maintainers, commits, trust, builders, build, release");
                }
            }
            if (version is null) throw Error(root, "missing required key 'version'");
            if (maintainers is null) throw Error(root, "missing required key 'maintainers'");
            maintainers = maintainers.Select(m => m with { Keys = m.Keys.Select(k => Attest(k, roots)).ToList() }).ToList();
            if (release is { } given)
            {
                if (builders is null || build is null) throw Error(given.Node, "'release' needs 'builders' and 'build'");
                if (given.Rules.Quorum > builders.Count)
                    throw Error(given.Node, $"quorum {given.Rules.Quorum} is more than the {builders.Count} builder(s) listed: no release could ever pass");
            }
            return new ReleasePolicy(source, sha256, version.Value, maintainers, commits)
            {
                AttestationRoots = roots ?? [],
                Builders = builders ?? [],
                Build = build,
                Release = release?.Rules,
            };
        }

        private List<Maintainer> ReadMaintainers(YamlNode node)
        {
            var sequence = Sequence(node, "maintainers");
            if (sequence.Children.Count == 0) throw Error(node, "the policy names no maintainers; an empty policy would authorise nobody");
            var maintainers = new List<Maintainer>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var keyOwners = new Dictionary<string, string>(StringComparer.Ordinal);
            var keyIdOwners = new Dictionary<long, string>();
            foreach (var item in sequence.Children)
            {
                var maintainer = ReadMaintainer(item);
                if (!ids.Add(maintainer.Id)) throw Error(item, $"maintainer '{maintainer.Id}' is listed twice");
                foreach (var key in maintainer.Keys)
                {
                    if (keyOwners.TryGetValue(key.Fingerprint, out var owner))
                    {
                        var who = owner == maintainer.Id ? $"twice for maintainer '{owner}'" : $"for both '{owner}' and '{maintainer.Id}'";
                        throw new PolicyException(source, key.Line, 1, $"key {key.Fingerprint} is listed {who}; a key identifies exactly one maintainer");
                    }
                    keyOwners.Add(key.Fingerprint, maintainer.Id);
                    foreach (var keyId in key.OpenPgp?.KeyIds ?? [])
                    {
                        if (!keyIdOwners.TryAdd(keyId, maintainer.Id))
                            throw new PolicyException(source, key.Line, 1, $"OpenPGP key id {keyId:X16} appears in the keys of both '{keyIdOwners[keyId]}' and '{maintainer.Id}'");
                    }
                }
                maintainers.Add(maintainer);
            }
            return maintainers;
        }

        private Maintainer ReadMaintainer(YamlNode node)
        {
            var map = Mapping(node, "a maintainer");
            string? id = null;
            HashSet<MaintainerRole>? roles = null;
            List<MaintainerKey>? keys = null;
            DateOnly? validUntil = null;
            foreach (var (keyNode, value) in map.Children)
            {
                var key = Key(keyNode);
                switch (key)
                {
                    case "id":
                        id = String(value, key);
                        if (!MaintainerIdPattern().IsMatch(id)) throw Error(value, $"maintainer id '{id}' must match {MaintainerIdPattern()}");
                        break;
                    case "roles":
                        roles = ReadRoles(value);
                        break;
                    case "keys":
                        var keySequence = Sequence(value, key);
                        if (keySequence.Children.Count == 0) throw Error(value, "a maintainer needs at least one key");
                        keys = keySequence.Children.Select(ReadKey).ToList();
                        break;
                    case "valid-until":
                        validUntil = Date(value, key);
                        break;
                    default:
                        throw Unknown(keyNode, key, "id, roles, keys, valid-until");
                }
            }
            if (id is null) throw Error(node, "a maintainer needs an 'id'");
            if (roles is null) throw Error(node, $"maintainer '{id}' needs 'roles'");
            if (keys is null) throw Error(node, $"maintainer '{id}' needs 'keys'");
            return new Maintainer(id, roles, keys, validUntil);
        }

        private HashSet<MaintainerRole> ReadRoles(YamlNode node)
        {
            var sequence = Sequence(node, "roles");
            if (sequence.Children.Count == 0) throw Error(node, "'roles' is empty; give at least one of author, reviewer, policy-admin");
            var roles = new HashSet<MaintainerRole>();
            foreach (var item in sequence.Children)
            {
                var role = String(item, "a role") switch
                {
                    "author" => MaintainerRole.Author,
                    "reviewer" => MaintainerRole.Reviewer,
                    "policy-admin" => MaintainerRole.PolicyAdmin,
                    var other => throw Error(item, $"unknown role '{other}'; roles are author, reviewer, policy-admin"),
                };
                if (!roles.Add(role)) throw Error(item, "role listed twice");
            }
            return roles;
        }

        private MaintainerKey ReadKey(YamlNode node)
        {
            var map = Mapping(node, "a key");
            SshPublicKey? ssh = null;
            OpenPgpKey? openPgp = null;
            (YamlNode Node, string Path, byte[] Bytes)? attestation = null;
            (YamlNode Node, byte[] Bytes)? challenge = null;
            DateOnly? validUntil = null;
            foreach (var (keyNode, value) in map.Children)
            {
                var key = Key(keyNode);
                switch (key)
                {
                    case "ssh":
                        try
                        {
                            ssh = SshPublicKey.Parse(String(value, key));
                        }
                        catch (SshFormatException e)
                        {
                            throw Error(value, $"invalid SSH public key: {e.Message}");
                        }
                        break;
                    case "valid-until":
                        validUntil = Date(value, key);
                        break;
                    case "openpgp":
                        openPgp = ReadOpenPgpKey(value);
                        break;
                    case "attestation":
                        attestation = (value, String(value, key), ReadFile(value, key));
                        break;
                    case "attestation-challenge":
                        challenge = (value, ReadFile(value, key));
                        break;
                    default:
                        throw Unknown(keyNode, key, "ssh, openpgp, attestation, attestation-challenge, valid-until");
                }
            }
            if ((ssh is null) == (openPgp is null)) throw Error(node, "a key needs exactly one of 'ssh' (an OpenSSH public key line) or 'openpgp' (a key file path)");
            if (attestation is { } given)
            {
                var isSecurityKey = ssh is { IsSecurityKey: true };
                if (isSecurityKey && challenge is null)
                    throw Error(given.Node, "a security key's enrollment attestation needs 'attestation-challenge' (the file given to ssh-keygen -O challenge=)");
                if (!isSecurityKey && challenge is not null)
                    throw Error(challenge.Value.Node, "'attestation-challenge' applies to security-key (sk-*) enrollment attestations only");
                _attestations[checked((int)node.Start.Line)] = (given.Node, given.Path, given.Bytes, challenge?.Bytes);
            }
            else if (challenge is not null)
            {
                throw Error(challenge.Value.Node, "'attestation-challenge' without 'attestation'");
            }
            return new MaintainerKey(ssh, openPgp, validUntil, checked((int)node.Start.Line));
        }

        private readonly Dictionary<int, (YamlNode Node, string Path, byte[] Bytes, byte[]? Challenge)> _attestations = [];

        private List<BuilderDefinition> ReadBuilders(YamlNode node)
        {
            var list = Sequence(node, "builders");
            if (list.Children.Count == 0) throw Error(node, "'builders' is empty");
            var builders = new List<BuilderDefinition>();
            foreach (var item in list.Children)
            {
                string? id = null, tls = null;
                Uri? endpoint = null;
                byte[]? key = null;
                var variations = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (keyNode, value) in Mapping(item, "a builder").Children)
                {
                    switch (Key(keyNode))
                    {
                        case "id":
                            id = String(value, "id");
                            if (!MaintainerIdPattern().IsMatch(id)) throw Error(value, $"builder id '{id}' must match {MaintainerIdPattern()}");
                            break;
                        case "endpoint":
                            var text = String(value, "endpoint");
                            if (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("unix" or "tcp"))
                                throw Error(value, $"'{text}' is not a Docker endpoint (unix:///path/docker.sock or tcp://host:port)");
                            break;
                        case "key":
                            key = ReadBuilderKey(value);
                            break;
                        case "tls":
                            try
                            {
                                tls = PolicyFilePaths.Validate(String(value, "tls"));
                            }
                            catch (PolicyFileException e)
                            {
                                throw Error(value, e.Message);
                            }
                            break;
                        case "variations":
                            foreach (var variation in Sequence(value, "variations").Children)
                            {
                                var name = String(variation, "a variation");
                                if (!BuilderDefinition.KnownVariations.Contains(name))
                                    throw Error(variation, $"unknown variation '{name}' (known: {string.Join(", ", BuilderDefinition.KnownVariations.Order(StringComparer.Ordinal))})");
                                if (!variations.Add(name)) throw Error(variation, $"variation '{name}' listed twice");
                            }
                            break;
                        default:
                            throw Unknown(keyNode, Key(keyNode), "id, endpoint, key, tls, variations");
                    }
                }
                if (id is null || endpoint is null || key is null) throw Error(item, "a builder needs 'id', 'endpoint' and 'key'");
                if (endpoint.Scheme == "tcp" && tls is null) throw Error(item, $"builder '{id}' uses a TCP endpoint without 'tls' (a certificate folder): a remote engine is reached over TLS only");
                if (builders.Any(b => b.Id == id)) throw Error(item, $"builder '{id}' is listed twice");
                if (builders.FirstOrDefault(b => b.PublicKeyDer.AsSpan().SequenceEqual(key)) is { } twin)
                    throw Error(item, $"builders '{twin.Id}' and '{id}' share a key; independent builders sign with their own keys");
                builders.Add(new BuilderDefinition(id, endpoint, key, tls, variations));
            }
            return builders;
        }

        /// <summary>A builder's provenance key: an ECDSA P-256 public key in a PEM file (SubjectPublicKeyInfo).</summary>
        private byte[] ReadBuilderKey(YamlNode node) => ReadEcdsaP256PublicKey(node, "key", "a builder key");

        private byte[] ReadEcdsaP256PublicKey(YamlNode node, string what, string whose)
        {
            var bytes = ReadFile(node, what);
            try
            {
                using var ecdsa = System.Security.Cryptography.ECDsa.Create();
                ecdsa.ImportFromPem(Encoding.ASCII.GetString(bytes));
                if (ecdsa.KeySize != 256) throw Error(node, $"{whose} must be an ECDSA P-256 public key; this one has {ecdsa.KeySize} bits");
                return ecdsa.ExportSubjectPublicKeyInfo();
            }
            catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                throw Error(node, $"not a PEM ECDSA P-256 public key: {e.Message}");
            }
        }

        private BuildRecipe ReadBuild(YamlNode node)
        {
            ImageReference? image = null;
            List<string>? command = null, outputs = null;
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in Mapping(node, "build").Children)
            {
                switch (Key(keyNode))
                {
                    case "image":
                        try
                        {
                            image = ImageReference.Parse(String(value, "image"));
                        }
                        catch (FormatException e)
                        {
                            throw Error(value, e.Message);
                        }
                        break;
                    case "command":
                        command = Sequence(value, "command").Children.Select(c => String(c, "a command argument")).ToList();
                        if (command.Count == 0) throw Error(value, "'command' is empty");
                        break;
                    case "outputs":
                        outputs = [];
                        foreach (var output in Sequence(value, "outputs").Children)
                        {
                            var glob = String(output, "an output");
                            if (!glob.StartsWith("/out/", StringComparison.Ordinal) || glob.Split('/').Contains(".."))
                                throw Error(output, $"'{glob}' must be a glob under /out/ (no '..')");
                            outputs.Add(glob);
                        }
                        if (outputs.Count == 0) throw Error(value, "'outputs' is empty: nothing would be collected");
                        break;
                    case "env":
                        foreach (var (nameNode, valueNode) in Mapping(value, "env").Children)
                        {
                            var name = Key(nameNode);
                            if (!EnvironmentNamePattern().IsMatch(name)) throw Error(nameNode, $"'{name}' is not an environment variable name");
                            environment[name] = valueNode is YamlScalarNode { Value: { } v } ? v : throw Error(valueNode, $"'{name}' must be a string");
                        }
                        break;
                    default:
                        throw Unknown(keyNode, Key(keyNode), "image, command, outputs, env");
                }
            }
            if (image is null || command is null || outputs is null) throw Error(node, "'build' needs 'image', 'command' and 'outputs'");
            return new BuildRecipe(image, command, outputs, environment);
        }

        private ReleaseRules ReadRelease(YamlNode node)
        {
            int? quorum = null;
            string? signingKey = null;
            byte[]? publicKey = null;
            var hardware = true;
            foreach (var (keyNode, value) in Mapping(node, "release").Children)
            {
                switch (Key(keyNode))
                {
                    case "quorum":
                        quorum = Integer(value, "quorum");
                        if (quorum < 1) throw Error(value, "'quorum' must be at least 1");
                        break;
                    case "signing-key":
                        signingKey = String(value, "signing-key");
                        break;
                    case "public-key":
                        publicKey = ReadEcdsaP256PublicKey(value, "public-key", "the release key");
                        break;
                    case "signing-key-hardware":
                        hardware = String(value, "signing-key-hardware") switch
                        {
                            "required" => true,
                            "optional" => false,
                            var other => throw Error(value, $"'signing-key-hardware' is 'required' or 'optional', not '{other}'"),
                        };
                        break;
                    default:
                        throw Unknown(keyNode, Key(keyNode), "quorum, signing-key, public-key, signing-key-hardware");
                }
            }
            if (quorum is null || signingKey is null || publicKey is null)
                throw Error(node, "'release' needs 'quorum', 'signing-key' and 'public-key' (the release key's public half, which auditors check signatures against)");
            if (hardware && !signingKey.StartsWith("pkcs11:", StringComparison.Ordinal))
                throw Error(node, "with 'signing-key-hardware: required' the signing key must be a pkcs11: URI (a key file is refused)");
            return new ReleaseRules(quorum.Value, signingKey, publicKey, hardware);
        }

        private IReadOnlyList<X509Certificate> ReadTrust(YamlNode node)
        {
            var roots = new List<X509Certificate>();
            foreach (var (keyNode, value) in Mapping(node, "trust").Children)
            {
                if (Key(keyNode) != "attestation-roots") throw Unknown(keyNode, Key(keyNode), "attestation-roots");
                var list = Sequence(value, "attestation-roots");
                if (list.Children.Count == 0) throw Error(value, "'attestation-roots' is empty");
                foreach (var item in list.Children) roots.AddRange(ReadCertificates(item, "an attestation root"));
            }
            return roots;
        }

        private IReadOnlyList<X509Certificate> ReadCertificates(YamlNode node, string what)
        {
            var bytes = ReadFile(node, what);
            try
            {
                return KeyAttestationVerifier.ReadCertificates(bytes, files!.Describe(String(node, what)));
            }
            catch (AttestationFormatException e)
            {
                throw Error(node, e.Message);
            }
        }

        /// <summary>Verifies a key's attestation once the trust roots are known (the 'trust' section may come after the keys).</summary>
        private MaintainerKey Attest(MaintainerKey key, IReadOnlyList<X509Certificate>? roots)
        {
            if (!_attestations.TryGetValue(key.Line, out var attestation)) return key;
            if (roots is null) throw Error(attestation.Node, "'attestation' needs trust.attestation-roots to verify it against");
            if (key.Ssh is { IsSecurityKey: true } securityKey)
            {
                try
                {
                    var enrollment = FidoEnrollmentAttestation.Verify(attestation.Bytes, attestation.Challenge!, securityKey, roots, DateTime.UtcNow);
                    return key with { Attestation = enrollment, AttestedKeyFingerprint = securityKey.Fingerprint };
                }
                catch (AttestationFormatException e)
                {
                    throw Error(attestation.Node, $"{attestation.Path}: {e.Message}");
                }
            }
            IReadOnlyList<X509Certificate> chain;
            try
            {
                chain = KeyAttestationVerifier.ReadCertificates(attestation.Bytes, attestation.Path);
            }
            catch (AttestationFormatException e)
            {
                throw Error(attestation.Node, e.Message);
            }
            var candidates = key.Ssh is not null
                ? [(Material: PublicKeyMaterial.FromSsh(key.Ssh), Fingerprint: key.Ssh.Fingerprint)]
                : key.OpenPgp!.Ring.GetPublicKeys().Select(k => (Material: PublicKeyMaterial.FromOpenPgp(k), Fingerprint: Convert.ToHexString(k.GetFingerprint()))).ToList();
            var (result, index) = KeyAttestationVerifier.Verify(chain, roots, candidates.Select(c => c.Material).ToList(), DateTime.UtcNow);
            return key with { Attestation = result, AttestedKeyFingerprint = index >= 0 ? candidates[index].Fingerprint : null };
        }

        private byte[] ReadFile(YamlNode node, string what)
        {
            var path = String(node, what);
            if (files is null) throw Error(node, "this policy cannot refer to files here");
            try
            {
                return files.Read(path);
            }
            catch (PolicyFileException e)
            {
                throw Error(node, e.Message);
            }
        }

        private OpenPgpKey ReadOpenPgpKey(YamlNode node)
        {
            var bytes = ReadFile(node, "openpgp");
            try
            {
                return OpenPgpKey.Parse(bytes);
            }
            catch (OpenPgpFormatException e)
            {
                throw Error(node, $"{files!.Describe(String(node, "openpgp"))}: invalid OpenPGP key: {e.Message}");
            }
        }

        private CommitRules ReadCommits(YamlNode node)
        {
            var map = Mapping(node, "commits");
            var rules = CommitRules.Default;
            foreach (var (keyNode, value) in map.Children)
            {
                var key = Key(keyNode);
                switch (key)
                {
                    case "require":
                        rules = rules with
                        {
                            Require = String(value, key) switch
                            {
                                "hardware" => SignatureRequirement.Hardware,
                                "attested-hardware" => SignatureRequirement.AttestedHardware,
                                "signed" => SignatureRequirement.Signed,
                                var other => throw Error(value, $"'require' is 'hardware', 'attested-hardware' or 'signed', not '{other}'"),
                            },
                        };
                        break;
                    case "user-verification":
                        rules = rules with { UserVerification = Boolean(value, key) };
                        break;
                    case "require-touch":
                        rules = rules with { RequireTouch = Boolean(value, key) };
                        break;
                    case "reviews":
                        var reviews = Integer(value, key);
                        if (reviews is < 0 or > MaximumApprovals) throw Error(value, $"'reviews' must be between 0 and {MaximumApprovals}");
                        rules = rules with { Reviews = reviews };
                        break;
                    case "policy-changes":
                        var policyChanges = Integer(value, key);
                        if (policyChanges is < 1 or > MaximumApprovals) throw Error(value, $"'policy-changes' must be between 1 and {MaximumApprovals}; a policy change always needs an admin");
                        rules = rules with { PolicyChanges = policyChanges };
                        break;
                    case "exempt":
                        rules = rules with { Exemptions = ReadExemptions(value) };
                        break;
                    default:
                        throw Unknown(keyNode, key, "require, user-verification, require-touch, reviews, policy-changes, exempt");
                }
            }
            return rules;
        }

        private Dictionary<string, string> ReadExemptions(YamlNode node)
        {
            var exemptions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in Sequence(node, "exempt").Children)
            {
                string? commit = null, reason = null;
                foreach (var (keyNode, value) in Mapping(item, "an exemption").Children)
                {
                    switch (Key(keyNode))
                    {
                        case "commit":
                            commit = String(value, "commit");
                            if (!FullCommitIdPattern().IsMatch(commit)) throw Error(value, "'commit' must be a full 40-character lowercase commit id");
                            break;
                        case "reason":
                            reason = String(value, "reason");
                            break;
                        default:
                            throw Unknown(keyNode, Key(keyNode), "commit, reason");
                    }
                }
                if (commit is null || reason is null) throw Error(item, "an exemption needs 'commit' and 'reason'");
                if (!exemptions.TryAdd(commit, reason)) throw Error(item, $"commit {commit} is exempted twice");
            }
            return exemptions;
        }

        private static string Key(YamlNode node) =>
            node is YamlScalarNode { Value: { } value } ? value : "";

        private YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value)");

        private YamlSequenceNode Sequence(YamlNode node, string what) =>
            node as YamlSequenceNode ?? throw Error(node, $"'{what}' must be a list");

        private string String(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(node, $"'{what}' must be a non-empty string");

        private int Integer(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } &&
                int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                return value;
            throw Error(node, $"'{what}' must be an integer");
        }

        private bool Boolean(YamlNode node, string what) => node switch
        {
            YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" } => true,
            YamlScalarNode { Style: ScalarStyle.Plain, Value: "false" } => false,
            _ => throw Error(node, $"'{what}' must be true or false"),
        };

        private DateOnly Date(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { } text } &&
                DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return date;
            throw Error(node, $"'{what}' must be a date written YYYY-MM-DD");
        }

        private PolicyException Unknown(YamlNode node, string key, string allowed) =>
            Error(node, $"unknown key '{key}' (allowed here: {allowed})");

        private PolicyException Error(YamlNode node, string problem) =>
            new(source, node.Start.Line, node.Start.Column, problem);
    }
}

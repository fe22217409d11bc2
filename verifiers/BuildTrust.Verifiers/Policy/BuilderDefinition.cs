namespace BuildTrust.Verifiers.Policy;

/// <summary>One independent builder: a Docker endpoint, the public key its provenance is signed with, and the variations it applies.</summary>
/// <param name="Endpoint">
/// <c>unix:///path/docker.sock</c>, or <c>tcp://host:port</c> with <see cref="TlsDirectory"/>; null for a federated builder, which
/// another party runs on its own engine with <c>buildtrust rebuild</c> and whose provenance bundle is collected, never built here.
/// </param>
/// <param name="PublicKeyDer">The builder's provenance key (SubjectPublicKeyInfo, DER) from its PEM file.</param>
/// <param name="TlsDirectory">For TCP endpoints: the folder with ca.pem, cert.pem, key.pem (as DOCKER_CERT_PATH), relative to the policy.</param>
public sealed record BuilderDefinition(string Id, Uri? Endpoint, byte[] PublicKeyDer, string? TlsDirectory, IReadOnlySet<string> Variations)
{
    /// <summary>Who runs this builder (an organisation or person), when the policy says; <c>release.independence: [operator]</c> asks for distinct ones.</summary>
    public string? Operator { get; init; }

    /// <summary>The variations a builder may apply, in the spirit of reprotest.</summary>
    public static IReadOnlySet<string> KnownVariations { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "timezone", "locale", "umask", "hostname", "domain", "user", "group", "build-path", "num-cpus", "time", "file-ordering",
    };
}

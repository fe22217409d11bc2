using System.Security.Cryptography;
using BuildTrust.Testing.Ssh;
using BuildTrust.Testing.Tools;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Tests.Policy;

/// <summary>The builders, build and release sections: parsed strictly, images pinned by digest.</summary>
public sealed class BuildSectionsTests : IDisposable
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TemporaryDirectory _directory = new("buildtrust-policy-");

    public BuildSectionsTests()
    {
        Directory.CreateDirectory(_directory.Combine("builders"));
        foreach (var name in new[] { "a", "b", "release" })
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(_directory.Combine("builders", $"{name}.pub"), key.ExportSubjectPublicKeyInfoPem());
        }
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        File.WriteAllText(_directory.Combine("builders", "p384.pub"), p384.ExportSubjectPublicKeyInfoPem());
    }

    private ReleasePolicy Load(string sections)
    {
        var key = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519).PublicKeyLine;
        File.WriteAllText(_directory.Combine("release.yaml"), $"version: 1\nmaintainers:\n  - id: alice\n    roles: [author]\n    keys:\n      - ssh: \"{key}\"\n{sections}");
        return PolicyLoader.Load(_directory.Combine("release.yaml"));
    }

    private static string Sections(string image = $"example/sdk@{Digest}", int quorum = 2, string builderB = "    endpoint: unix:///run/docker-b.sock\n    key: builders/b.pub\n",
        string signingKey = "pkcs11:token=release;object=release-2026", string outputs = "[\"/out/**\"]") => $"""
        builders:
          - id: builder-a
            endpoint: unix:///var/run/docker.sock
            key: builders/a.pub
            variations: [timezone, locale, umask, hostname, user, build-path, num-cpus]
          - id: builder-b
        {builderB}build:
          image: "{image}"
          command: ["sh", "-c", "make && cp hello /out/"]
          outputs: {outputs}
          env:
            GOFLAGS: "-trimpath"
        release:
          quorum: {quorum}
          signing-key: "{signingKey}"
          public-key: builders/release.pub
          signing-key-hardware: required

        """;

    [Fact]
    public void Load_WhenReleaseHasNoPublicKey_Refuses()
    {
        var error = Assert.Throws<PolicyException>(() => Load(Sections().Replace("  public-key: builders/release.pub\n", "", StringComparison.Ordinal)));
        Assert.Contains("'public-key'", error.Message);
    }

    [Fact]
    public void Load_WhenReleasePublicKeyIsNotP256_Refuses()
    {
        var error = Assert.Throws<PolicyException>(() => Load(Sections().Replace("builders/release.pub", "builders/p384.pub", StringComparison.Ordinal)));
        Assert.Contains("the release key must be an ECDSA P-256 public key", error.Message);
    }

    [Fact]
    public void Load_WhenSectionsValid_ReadsBuildersRecipeAndRelease()
    {
        var policy = Load(Sections());

        Assert.Equal(["builder-a", "builder-b"], policy.Builders.Select(b => b.Id));
        Assert.Contains("num-cpus", policy.Builders[0].Variations);
        Assert.Equal(new ImageReference("example/sdk", Digest), policy.Build!.Image);
        Assert.Equal(["/out/**"], policy.Build.Outputs);
        Assert.Equal("-trimpath", policy.Build.Environment["GOFLAGS"]);
        Assert.Equal(2, policy.Release!.Quorum);
        Assert.True(policy.Release.SigningKeyHardwareRequired);
    }

    [Theory]
    [InlineData("example/sdk:1.0", "by tag")]
    [InlineData("example/sdk", "by tag")]
    [InlineData("example/sdk:1.0@" + Digest, "tag next to its digest")]
    [InlineData("example/sdk@sha256:0123", "64 lowercase hex")]
    [InlineData("example/sdk@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "64 lowercase hex")]
    public void Load_WhenImageNotPinnedByDigest_IsRefused(string image, string expected)
    {
        var error = Assert.Throws<PolicyException>(() => Load(Sections(image: image)));
        Assert.Contains(expected, error.Message);
        Assert.Equal(16, error.Line);
    }

    [Fact]
    public void Load_WhenImageIsABareImageId_IsAccepted()
    {
        Assert.Null(Load(Sections(image: Digest)).Build!.Image.Repository);
    }

    [Theory]
    [InlineData("    endpoint: tcp://builder-b.example:2376\n    key: builders/b.pub\n", "without 'tls'")]
    [InlineData("    endpoint: http://builder-b\n    key: builders/b.pub\n", "not a Docker endpoint")]
    [InlineData("    endpoint: unix:///run/b.sock\n    key: builders/a.pub\n", "share a key")]
    [InlineData("    endpoint: unix:///run/b.sock\n    key: builders/p384.pub\n", "ECDSA P-256")]
    [InlineData("    endpoint: unix:///run/b.sock\n    key: builders/b.pub\n    variations: [moon-phase]\n", "unknown variation 'moon-phase'")]
    [InlineData("    endpoint: unix:///run/b.sock\n", "needs 'id' and 'key'")]
    [InlineData("    key: builders/b.pub\n    tls: certs/builder-b\n", "has 'tls' but no 'endpoint'")]
    public void Load_WhenBuilderInvalid_IsRefused(string builderB, string expected)
    {
        Assert.Contains(expected, Assert.Throws<PolicyException>(() => Load(Sections(builderB: builderB))).Message);
    }

    [Fact]
    public void Load_WhenBuilderHasNoEndpoint_IsAFederatedBuilder()
    {
        var policy = Load(Sections(builderB: "    key: builders/b.pub\n"));

        Assert.Null(policy.Builders[1].Endpoint);
    }

    [Fact]
    public void Load_WhenTcpBuilderHasTlsFolder_IsAccepted()
    {
        var policy = Load(Sections(builderB: "    endpoint: tcp://builder-b.example:2376\n    key: builders/b.pub\n    tls: certs/builder-b\n"));

        Assert.Equal("certs/builder-b", policy.Builders[1].TlsDirectory);
    }

    [Theory]
    [InlineData(0, "at least 1")]
    [InlineData(3, "more than the 2 builder(s)")]
    public void Load_WhenQuorumImpossible_IsRefused(int quorum, string expected)
    {
        Assert.Contains(expected, Assert.Throws<PolicyException>(() => Load(Sections(quorum: quorum))).Message);
    }

    [Fact]
    public void Load_WhenHardwareRequiredButKeyIsAFile_IsRefused()
    {
        Assert.Contains("must be a pkcs11: URI", Assert.Throws<PolicyException>(() => Load(Sections(signingKey: "keys/release.pem"))).Message);
    }

    [Theory]
    [InlineData("[\"/tmp/**\"]")]
    [InlineData("[\"/out/../etc/passwd\"]")]
    [InlineData("[]")]
    public void Load_WhenOutputsOutsideOut_IsRefused(string outputs)
    {
        Assert.Throws<PolicyException>(() => Load(Sections(outputs: outputs)));
    }

    [Fact]
    public void Load_WhenReleaseWithoutBuilders_IsRefused()
    {
        Assert.Contains("needs 'builders' and 'build'", Assert.Throws<PolicyException>(() => Load("release:\n  quorum: 1\n  signing-key: \"pkcs11:token=x;object=y\"\n  public-key: builders/release.pub\n")).Message);
    }

    public void Dispose() => _directory.Dispose();
}

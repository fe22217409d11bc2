using System.Text;
using BuildTrust.Testing.Ssh;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Tests.Policy;

public sealed class PolicyLoaderTests
{
    private static readonly string AliceKey = SoftwareFidoAuthenticator.Create(SecurityKeyType.Ed25519, "alice").PublicKeyLine;
    private static readonly string BobKey = SoftwareFidoAuthenticator.Create(SecurityKeyType.EcdsaP256, "bob").PublicKeyLine;

    private static ReleasePolicy Parse(string yaml) => PolicyLoader.Parse(Encoding.UTF8.GetBytes(yaml), "policy.yaml");

    private static PolicyException Refuse(string yaml) => Assert.Throws<PolicyException>(() => Parse(yaml));

    private static string Valid(string commits = "commits:\n  require: hardware\n") => $"""
        version: 1
        maintainers:
          - id: alice
            roles: [author, reviewer]
            keys:
              - ssh: "{AliceKey}"
            valid-until: 2027-06-30
          - id: bob
            roles: [author]
            keys:
              - ssh: "{BobKey}"
                valid-until: 2026-12-31
        {commits}
        """;

    [Fact]
    public void Parse_WhenValid_ReadsEveryField()
    {
        var policy = Parse(Valid("commits:\n  require: signed\n  user-verification: true\n  reviews: 0\n"));

        Assert.Equal(2, policy.Maintainers.Count);
        Assert.Equal(new DateOnly(2027, 6, 30), policy.Maintainers[0].ValidUntil);
        Assert.True(policy.Maintainers[0].Has(MaintainerRole.Reviewer));
        Assert.Equal(new DateOnly(2026, 12, 31), policy.Maintainers[1].Keys[0].ValidUntil);
        Assert.Equal(SignatureRequirement.Signed, policy.Commits.Require);
        Assert.True(policy.Commits.UserVerification);
        Assert.Equal(64, policy.Sha256.Length);
    }

    [Fact]
    public void Parse_WhenCommitsSectionOmitted_DefaultsToHardware()
    {
        Assert.Equal(SignatureRequirement.Hardware, Parse(Valid("")).Commits.Require);
    }

    [Fact]
    public void Load_ShippedExamplePolicy_IsValid()
    {
        var policy = PolicyLoader.Load(Path.Combine(RepositoryRoot(), "policies", "release.example.yaml"));
        Assert.Equal(4, policy.Maintainers.Count);
        Assert.NotNull(policy.Maintainers[3].Keys[0].OpenPgp);
        Assert.Equal(2, policy.Builders.Count);
        Assert.Equal(2, policy.Release!.Quorum);
    }

    [Fact]
    public void Parse_WhenNoMaintainers_IsRefused()
    {
        var error = Refuse("version: 1\nmaintainers: []\n");
        Assert.Contains("no maintainers", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Parse_WhenMaintainersMissing_IsRefused()
    {
        Assert.Contains("'maintainers'", Refuse("version: 1\n").Message);
    }

    [Fact]
    public void Parse_WhenSameKeyListedForTwoMaintainers_IsRefusedNamingBoth()
    {
        var yaml = Valid("").Replace(BobKey, AliceKey, StringComparison.Ordinal);
        var error = Refuse(yaml);
        Assert.Contains("both 'alice' and 'bob'", error.Message);
        Assert.Equal(11, error.Line);
    }

    [Fact]
    public void Parse_WhenYamlMalformed_NamesFileAndLine()
    {
        var error = Refuse("version: 1\nmaintainers:\n  - id: alice\n   roles: [author\n");
        Assert.StartsWith("policy.yaml:", error.Message);
        Assert.True(error.Line >= 3, error.Message);
        Assert.Contains("malformed YAML", error.Message);
    }

    [Fact]
    public void Parse_WhenUnknownKey_NamesKeyAndLine()
    {
        var error = Refuse(Valid("commits:\n  require: hardware\n  reveiws: 1\n"));
        Assert.Contains("unknown key 'reveiws'", error.Message);
        Assert.Equal(15, error.Line);
        Assert.Equal(3, error.Column);
    }

    [Theory]
    [InlineData("commits:\n  reviews: \"0\"\n", "'reviews' must be an integer")]
    [InlineData("commits:\n  reviews: many\n", "'reviews' must be an integer")]
    [InlineData("commits:\n  user-verification: yes\n", "must be true or false")]
    [InlineData("commits:\n  require: maybe\n", "'attested-hardware' or 'signed'")]
    [InlineData("commits: [1]\n", "must be a mapping")]
    public void Parse_WhenWrongType_IsRefused(string commits, string expected)
    {
        Assert.Contains(expected, Refuse(Valid(commits)).Message);
    }

    [Fact]
    public void Parse_WhenReviewRulesGiven_ReadsThem()
    {
        var id = new string('a', 40);
        var policy = Parse(Valid($"commits:\n  reviews: 2\n  policy-changes: 2\n  exempt:\n    - commit: {id}\n      reason: imported history\n"));

        Assert.Equal(2, policy.Commits.Reviews);
        Assert.Equal(2, policy.Commits.PolicyChanges);
        Assert.Equal("imported history", policy.Commits.Exemptions[id]);
    }

    [Theory]
    [InlineData("commits:\n  policy-changes: 0\n", "'policy-changes' must be between 1")]
    [InlineData("commits:\n  reviews: -1\n", "'reviews' must be between 0")]
    [InlineData("commits:\n  exempt:\n    - commit: abc\n      reason: short id\n", "full 40-character")]
    [InlineData("commits:\n  exempt:\n    - commit: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "needs 'commit' and 'reason'")]
    public void Parse_WhenReviewRulesInvalid_IsRefused(string commits, string expected)
    {
        Assert.Contains(expected, Refuse(Valid(commits)).Message);
    }

    [Theory]
    [InlineData("builders: []\n", "'builders' is empty")]
    [InlineData("release: {}\n", "needs 'quorum', 'signing-key' and 'public-key'")]
    public void Parse_WhenBuildSectionEmpty_IsRefusedNotIgnored(string section, string expected)
    {
        Assert.Contains(expected, Refuse(Valid(section)).Message);
    }

    [Fact]
    public void Parse_WhenKeyIsNotAnSshKey_NamesLine()
    {
        var error = Refuse(Valid("").Replace(AliceKey, "ssh-ed25519 AAAA", StringComparison.Ordinal));
        Assert.Contains("invalid SSH public key", error.Message);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Parse_WhenAliasUsed_IsRefused()
    {
        Assert.Contains("aliases", Refuse("version: 1\nx: &a [1]\nmaintainers: *a\n").Message);
    }

    [Fact]
    public void Parse_WhenDuplicateMappingKey_IsRefused()
    {
        Assert.StartsWith("policy.yaml:", Refuse("version: 1\nversion: 1\nmaintainers: []\n").Message);
    }

    [Fact]
    public void Parse_WhenVersionIsNotOne_IsRefused()
    {
        Assert.Contains("unsupported policy version 2", Refuse(Valid("").Replace("version: 1", "version: 2", StringComparison.Ordinal)).Message);
    }

    [Fact]
    public void Load_WhenFileMissing_NamesFile()
    {
        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Load("/nonexistent/policy.yaml"));
        Assert.Contains("/nonexistent/policy.yaml", error.Message);
    }

    internal static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "BuildTrust.sln"))) directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("repository root not found");
        return directory;
    }
    [Fact]
    public void A_build_environment_value_with_control_characters_is_refused_as_in_image_recipes()
    {
        var yaml = "version: 1\nmaintainers:\n  - id: a\n    roles: [author]\n    keys:\n      - ssh: \"" + SshKey() + "\"\n" +
                   "build:\n  image: \"sha256:" + new string('a', 64) + "\"\n  command: [make]\n  outputs: [\"/out/**\"]\n  env:\n    A: \"x\\ey\"\n";

        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes(yaml), "p.yaml"));

        Assert.Contains("'env': the value of 'A' must be at most 4096 characters without control characters", error.Message);
    }

    [Fact]
    public void Yaml_nested_deeper_than_the_cap_is_refused_before_it_is_loaded()
    {
        var yaml = "version: 1\nmaintainers: " + new string('[', 5000) + new string(']', 5000) + "\n";

        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes(yaml), "p.yaml"));

        Assert.Contains("nested more than 32 levels", error.Message);
    }

    private static string SshKey()
    {
        using var key = BuildTrust.Demo.Keys.SoftwareFidoAuthenticator.Create(BuildTrust.Demo.Keys.SecurityKeyType.Ed25519);
        return key.PublicKeyLine;
    }

}

using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Verifiers.Tests.Fuzz;

/// <summary>Policy files that escaped the loader as another exception than <see cref="PolicyException"/> (fuzz/README.md, target <c>policy</c>).</summary>
public sealed class PolicyFuzzRegressionTests
{
    [Fact]
    public void Policy_WhenABuildersTlsFolderIsAnAbsolutePath_IsRefusedNamingTheLine()
    {
        // Was: PolicyFileException escaped PolicyLoader (the CLI catches PolicyException only).
        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(FuzzRegressionTests.Input("policy", "builder-tls-absolute-path.yaml"), "policy.yaml"));
        Assert.Contains("'/etc/docker/certs' must be a relative path inside the policy's directory", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Policy_WhenYamlNestsThousandsOfLevels_IsRefusedWithoutExhaustingTheStack()
    {
        // Was: YamlStream.Load recursed once per level; 10000 nested flow sequences (20 KB) overflowed a thread-pool stack.
        var error = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(FuzzRegressionTests.Input("policy", "nested-10000-flow-sequences.yaml"), "policy.yaml"));
        Assert.Contains("YAML nested more than 32 levels deep", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }
}

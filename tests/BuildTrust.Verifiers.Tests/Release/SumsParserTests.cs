using System.Text;
using BuildTrust.Verifiers.Release;

namespace BuildTrust.Verifiers.Tests.Release;

/// <summary>The audit reads SHA256SUMS as strictly as sign writes it: names sign could not write are refused here too.</summary>
public sealed class SumsParserTests
{
    private static readonly string Digest = new('a', 64);

    [Fact]
    public void Sums_that_sign_writes_are_read_back_exactly()
    {
        var text = ReleaseLayout.SumsText(new Dictionary<string, string> { ["bin/hello"] = Digest, ["bin/VERSION.txt"] = Digest });

        var sums = ReleaseAuditor.ParseSums(Encoding.UTF8.GetBytes(text), out var problem);

        Assert.Null(problem);
        Assert.Equal(["bin/VERSION.txt", "bin/hello"], sums!.Keys);
    }

    [Theory]
    [InlineData("bin/he\u202Ello")]
    [InlineData("bin/caf\u0065\u0301")]
    [InlineData("bin/\u00e9t\u00e9")]
    public void A_name_sign_refuses_to_write_is_malformed_when_read(string name)
    {
        var sums = ReleaseAuditor.ParseSums(Encoding.UTF8.GetBytes($"{Digest}  {name}\n"), out var problem);

        Assert.Null(sums);
        Assert.Contains("an artifact name the release cannot hold", problem);
    }

    [Theory]
    [InlineData("bin/b\nbin/a")]
    [InlineData("bin/../etc/passwd")]
    public void Unsorted_or_escaping_names_are_malformed(string names)
    {
        var text = string.Concat(names.Split('\n').Select(n => $"{Digest}  {n}\n"));

        Assert.Null(ReleaseAuditor.ParseSums(Encoding.UTF8.GetBytes(text), out var problem));
        Assert.NotNull(problem);
    }
}

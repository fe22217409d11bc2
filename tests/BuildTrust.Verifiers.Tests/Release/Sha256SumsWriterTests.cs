using BuildTrust.Verifiers.Release;

namespace BuildTrust.Verifiers.Tests.Release;

/// <summary>SHA256SUMS is written only with names it can carry unambiguously; sign's pre-check refuses the others before anything is written.</summary>
public sealed class Sha256SumsWriterTests
{
    private static readonly string Zeros = new('0', 64);
    private static readonly string Digest = new('a', 64);

    [Fact]
    public void SumsText_WhenNamesArePlain_WritesSha256sumLinesSortedByName()
    {
        var text = ReleaseLayout.SumsText(new Dictionary<string, string> { ["bin/zz"] = Digest, ["bin/a b-1.0~rc1+x"] = Zeros });

        Assert.Equal($"{Zeros}  bin/a b-1.0~rc1+x\n{Digest}  bin/zz\n", text);
        Assert.NotNull(ReleaseAuditor.ParseSums(System.Text.Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("bin/a\n0000000000000000000000000000000000000000000000000000000000000000  bin/zz", "U+000A")]
    [InlineData("bin/a\rb", "U+000D")]
    [InlineData("bin\\a", "a backslash")]
    [InlineData("bin/a\u0000", "U+0000")]
    [InlineData("bin/a\u009Bb", "U+009B")]
    [InlineData("bin/a\u007F", "U+007F")]
    [InlineData("bin/\u202Egnp.exe", "U+202E")]
    [InlineData("bin/\u2066x", "U+2066")]
    [InlineData("bin/x\u200B", "U+200B")]
    [InlineData("bin/e\u0301", "U+0301")]
    [InlineData("bin/\u00E9", "U+00E9")]
    [InlineData("bin/\u0430pp", "U+0430")]
    [InlineData("bin/\uFFFD", "not UTF-8")]
    [InlineData(" bin/a", "space")]
    [InlineData("bin/a ", "space")]
    [InlineData("", "empty")]
    public void SumsText_WhenANameCannotBeWrittenUnambiguously_Refuses(string name, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ReleaseLayout.SumsText(new Dictionary<string, string> { ["bin/ok"] = Digest, [name] = Zeros }));

        Assert.Contains(reason, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.NotNull(ReleaseLayout.NameProblem(name));
    }

    [Fact]
    public void SumsText_WhenANameHoldsABrokenSurrogate_Refuses()
    {
        var name = "bin/" + (char)0xD800;   // built here: test data serialisation would turn it into U+FFFD
        Assert.Contains("surrogate", Assert.Throws<ArgumentException>(() => ReleaseLayout.SumsText(new Dictionary<string, string> { [name] = Zeros })).Message);
    }

    [Theory]
    [InlineData("ABC")]
    [InlineData("0000")]
    public void SumsText_WhenADigestIsNotSha256Hex_Refuses(string digest) =>
        Assert.Throws<ArgumentException>(() => ReleaseLayout.SumsText(new Dictionary<string, string> { ["bin/a"] = digest }));

    [Fact]
    public void Conflict_WhenANameCannotBeListed_RefusesBeforeSignWritesAnything()
    {
        Assert.Contains("U+000A", ReleaseLayout.Conflict($"bin/a\n{Zeros}  bin/zz", ["builder-a"]));
        Assert.Null(ReleaseLayout.Conflict("bin/a", ["builder-a"]));
    }

    [Fact]
    public void Printable_ShowsEveryCharacterOutsidePrintableAsciiAsAnEscape()
    {
        Assert.Equal("bin/a\\u000A\\u202Ex\\u005C", ReleaseLayout.Printable("bin/a\n\u202Ex\\"));
    }
}

using System.Text;
using BuildTrust.Cli;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests.Reports;

/// <summary>The HTML report renders in a real headless Chromium, shows each cause with its evidence, and cannot be made to run anything.</summary>
public sealed class HtmlReportTests : IDisposable
{
    private const string Hostile = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>";

    private readonly SignedBuildFolder folder = new(("builder-a", []), ("builder-b", ["hostname", "user"]));
    private readonly TemporaryDirectory scratch = new("buildtrust-html-");

    public void Dispose()
    {
        folder.Dispose();
        scratch.Dispose();
    }

    private string Explain()
    {
        folder.Build("builder-a", new Dictionary<string, byte[]>
        {
            ["bin/BUILDINFO"] = Encoding.UTF8.GetBytes($"built on buildtrust {Hostile}\n"),
            ["dist/files.tar"] = Pairs.Tar(new Pairs.TarFile("tree/a", "x", Uid: 1000, Gid: 1000)),
        });
        folder.Build("builder-b", new Dictionary<string, byte[]>
        {
            ["bin/BUILDINFO"] = Encoding.UTF8.GetBytes($"built on builder-b-varied-host {Hostile}\n"),
            ["dist/files.tar"] = Pairs.Tar(new Pairs.TarFile("tree/a", "x", Uid: 2345, Gid: 3456)),
        });
        var html = scratch.Combine("report.html");
        var error = new StringWriter();
        var code = CliApp.RunAsync(["explain", "--policy", folder.Workspace.PolicyPath, "--html", html, folder.Path], new CliTerminal(new StringWriter(), error)).GetAwaiter().GetResult();
        Assert.True(code == 1, error.ToString());
        return html;
    }

    [Fact]
    public void Report_RendersInChromium_WithEveryCauseAndItsEvidenceSideBySide()
    {
        var dom = Chromium.DumpDom(Explain());

        Assert.Contains("<title>BuildTrust: why the builders disagree</title>", dom, StringComparison.Ordinal);
        Assert.Contains("data-cause=\"hostname\"", dom, StringComparison.Ordinal);
        Assert.Contains("data-cause=\"user\"", dom, StringComparison.Ordinal);
        Assert.Contains("the host name of builder-b (`builder-b-varied-host`) appears in `bin/BUILDINFO`", dom, StringComparison.Ordinal);
        Assert.Contains("<td class=\"b\">2345:3456", dom, StringComparison.Ordinal);
        Assert.Contains("<details><summary>raw hunk", dom, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_HostileArtifactContent_IsShownAsTextAndNeverRuns()
    {
        var dom = Chromium.DumpDom(Explain());

        Assert.Contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pwned</title>", dom, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_Screenshot_ShowsAPageWithContent()
    {
        var (width, height, ink) = Png.Inspect(Chromium.Screenshot(Explain(), scratch));

        Assert.Equal((1280, 1600), (width, height));
        Assert.True(ink > 0.002, $"the screenshot looks blank ({ink:P3} of its bytes drawn)");
    }

    [Fact]
    public void Report_NeedsNoExternalResource()
    {
        var html = File.ReadAllText(Explain());

        Assert.DoesNotContain("http://", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
    }
}

using BuildTrust.Pipeline.Processes;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Explain.Tests.Reports;

/// <summary>Debian's headless Chromium (./build.sh test installs it): the DOM it builds from a page, and a screenshot, with a fresh profile and no network use.</summary>
internal static class Chromium
{
    public static string DumpDom(string page) => Run(page, "--dump-dom").StandardOutput;

    public static byte[] Screenshot(string page, TemporaryDirectory scratch)
    {
        var png = scratch.Combine("screenshot.png");
        Run(page, $"--screenshot={png}", "--window-size=1280,1600");
        return File.ReadAllBytes(png);
    }

    private static ProcessResult Run(string page, params string[] action)
    {
        using var profile = new TemporaryDirectory("buildtrust-chromium-");
        var result = ExternalProcess.Run("chromium", [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={profile.Path}", .. action, new Uri(page).AbsoluteUri], timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"chromium exited {result.ExitCode}: {result.StandardError}");
        return result;
    }
}

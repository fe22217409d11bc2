namespace BuildTrust.Testing.Tools;

/// <summary>A test that checks CI outputs with the ecosystems' own tools; skipped loudly when they are not installed (./build.sh test installs them).</summary>
public sealed class CiToolsFactAttribute : Xunit.FactAttribute
{
    public CiToolsFactAttribute()
    {
        if (CiTools.SkipReason is { } reason) Skip = reason;
    }
}

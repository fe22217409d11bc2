using BuildTrust.Pipeline.Builders;

namespace BuildTrust.Cli.Rendering;

/// <summary>Progress of builds whose ids are not known up front (bisections): one line per phase change, on stderr.</summary>
public sealed class PhaseLines(TextWriter error) : IProgress<BuildProgress>
{
    private readonly Dictionary<string, BuildPhase> phases = new(StringComparer.Ordinal);

    public void Report(BuildProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (phases)
        {
            if (phases.TryGetValue(value.BuilderId, out var phase) && phase == value.Phase) return;
            phases[value.BuilderId] = value.Phase;
            error.WriteLine($"  {value.BuilderId}: {value.Phase}{(value.Phase is BuildPhase.Failed ? $" {value.LogTail}" : "")}");
        }
    }
}

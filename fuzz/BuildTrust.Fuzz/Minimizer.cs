namespace BuildTrust.Fuzz;

/// <summary>
/// Shrinks an input while it keeps the same behaviour: the same escaping exception (type and throwing
/// frame) for a finding, or the same outcome text once the finding is fixed (so a crasher can be minimised
/// against the fix it is a regression test for). Removes runs of bytes, halving the run length.
/// </summary>
internal static class Minimizer
{
    public static byte[] Minimize(IFuzzTarget target, byte[] input)
    {
        var behaviour = Behaviour(target, input);
        var current = input;
        for (var run = Math.Max(1, current.Length / 2); run >= 1; run /= 2)
        {
            for (var at = 0; at + run <= current.Length;)
            {
                byte[] candidate = [.. current.AsSpan(0, at), .. current.AsSpan(at + run)];
                if (Behaviour(target, candidate) == behaviour) current = candidate;
                else at += run;
            }
        }
        return current;
    }

    public static string Behaviour(IFuzzTarget target, byte[] input)
    {
        try
        {
            return "outcome: " + target.Run(input);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            var frame = e.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "";
            return $"finding: {e.GetType().FullName} {frame}";
        }
    }
}

namespace BuildTrust.Pipeline.Processes;

public sealed record ProcessResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public ProcessResult ThrowOnFailure()
    {
        if (ExitCode != 0) throw new InvalidOperationException($"'{Command}' exited {ExitCode}: {StandardError.Trim()} {StandardOutput.Trim()}");
        return this;
    }
}

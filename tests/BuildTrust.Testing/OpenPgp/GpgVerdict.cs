namespace BuildTrust.Testing.OpenPgp;

/// <summary>gpg's verdict on one signature: the first of GOODSIG, EXPSIG, EXPKEYSIG, REVKEYSIG, BADSIG, ERRSIG it printed (NODATA when none), and its exit code.</summary>
public sealed record GpgVerdict(string Status, int ExitCode)
{
    /// <summary>gpg accepted the signature: a good signature by a valid key (what <c>git verify-commit</c> requires).</summary>
    public bool Good => Status == "GOODSIG";
}

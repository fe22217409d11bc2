namespace BuildTrust.Verifiers.Checks;

/// <summary>
/// Third-party parsers (BouncyCastle's OpenPGP and X.509 readers) throw a wide and version-dependent range of
/// exception types on hostile input. Inside a parse of untrusted bytes, any of them means "malformed";
/// only conditions that are not about the input are let through.
/// </summary>
internal static class ParserFailure
{
    public static bool IsMalformedInput(Exception e) =>
        e is not (OutOfMemoryException or InsufficientExecutionStackException or OperationCanceledException);
}

namespace BuildTrust.Cli.Options;

/// <summary>What <c>compare</c> was asked: the policy file and the build folder.</summary>
public sealed record CompareOptions(string Policy, string Directory, bool Json, Verifiers.Release.ProvenanceOrigins? Origins = null);

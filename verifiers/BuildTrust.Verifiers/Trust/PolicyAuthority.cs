namespace BuildTrust.Verifiers.Trust;

/// <summary>What vouches for the policy a run judges by.</summary>
public enum PolicyAuthority
{
    /// <summary>Nothing does: the policy was read from the data under judgement (the working tree, the release itself). A run can never pass on it.</summary>
    NotAuthenticated,

    /// <summary>The caller named a policy file outside the repository being verified and vouches for it; policy changes in history are not checked.</summary>
    GivenByCaller,

    /// <summary>Authenticated through history from a trust root given from outside the range (command line, environment, trusted ref).</summary>
    History,
}

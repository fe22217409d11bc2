namespace BuildTrust.Verifiers.Policy;

public enum MaintainerRole
{
    /// <summary>May sign commits.</summary>
    Author,

    /// <summary>May approve other maintainers' commits.</summary>
    Reviewer,

    /// <summary>May approve changes to the policy itself.</summary>
    PolicyAdmin,
}

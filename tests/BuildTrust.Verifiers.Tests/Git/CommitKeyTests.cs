using BuildTrust.Verifiers.Git;

namespace BuildTrust.Verifiers.Tests.Git;

public sealed class CommitKeyTests
{
    [Fact]
    public void A_commit_id_round_trips_through_its_key_and_two_ids_have_two_keys()
    {
        const string id = "0123456789abcdef0123456789abcdef01234567";
        const string other = "0123456789abcdef0123456789abcdef01234568";

        Assert.Equal(id, CommitKey.Of(id).ToString());
        Assert.Equal(CommitKey.Of(id), CommitKey.Of(new string(id.ToCharArray())));
        Assert.NotEqual(CommitKey.Of(id), CommitKey.Of(other));
        Assert.Equal(2, new HashSet<CommitKey> { CommitKey.Of(id), CommitKey.Of(other), CommitKey.Of(id) }.Count);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456")]
    [InlineData("0123456789abcdef0123456789abcdef012345678")]
    [InlineData("0123456789abcdef0123456789abcdef0123456g")]
    [InlineData("")]
    public void Anything_but_a_full_hexadecimal_id_is_refused(string id) =>
        Assert.Throws<ArgumentException>(() => CommitKey.Of(id));
}

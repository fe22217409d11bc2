using System.CommandLine;
using BuildTrust.Cli.Options;
using BuildTrust.Pipeline.Reviews;
using BuildTrust.Verifiers.Commits.Reviews;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust review approve REV</c>: records a signed review approval in git notes.</summary>
public static class ReviewCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (default: the current directory).", DefaultValueFactory = _ => "." };
        var key = new Option<string?>("--key") { Description = "SSH key to sign with: a private key file, or a public key file whose private key is in ssh-agent or on a security key (default: git's user.signingkey and gpg.format: ssh through ssh-keygen, openpgp through gpg)." };
        var revision = new Argument<string>("revision") { Description = "The commit to approve." };
        var approve = new Command("approve",
            $"Sign an approval of REVISION with your key, as git signs commits (SSH through ssh-keygen, so security keys and agents work; OpenPGP through gpg), " +
            $"and append it to the commit's note under {ReviewApproval.NotesReference}. The approval is an SSH signature in namespace '{ReviewApproval.Namespace}', " +
            $"or a detached OpenPGP signature, over the bytes 'buildtrust-review v1 approve <full commit id>\\n'. Push the notes to share it.")
        {
            repo, key, revision,
        };
        approve.SetAction((parse, _) => ApproveAsync(terminal, new ReviewApproveOptions(parse.GetValue(repo)!, parse.GetValue(revision)!, parse.GetValue(key))));
        return new Command("review", "Review approvals for the two-person rule.") { approve };
    }

    public static async Task<int> ApproveAsync(CliTerminal terminal, ReviewApproveOptions options)
    {
        await terminal.Error.WriteLineAsync("Signing the approval (touch your security key if it blinks)…");
        var approval = ReviewApprover.Approve(options.Repository, options.Revision, options.Key);
        await terminal.Error.WriteLineAsync($"Approved {approval.CommitId} with {approval.KeyType} {approval.KeyFingerprint}.");
        await terminal.Error.WriteLineAsync($"Share it:      git push origin {ReviewApproval.NotesReference}");
        await terminal.Error.WriteLineAsync($"Others fetch:  git fetch origin {ReviewApproval.NotesReference}:{ReviewApproval.NotesReference}");
        return ExitCodes.Passed;
    }
}

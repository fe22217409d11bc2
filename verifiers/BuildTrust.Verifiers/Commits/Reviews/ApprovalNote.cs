using System.Text;
using BuildTrust.Verifiers.Signatures.OpenPgp;
using BuildTrust.Verifiers.Signatures.Ssh;

namespace BuildTrust.Verifiers.Commits.Reviews;

/// <summary>Splits a review note into its armored approvals (SSH or OpenPGP); anything else makes the note malformed.</summary>
public static class ApprovalNote
{
    private static readonly (string Begin, string End)[] Armors =
    [
        (SshSignature.ArmorBegin, SshSignature.ArmorEnd),
        (OpenPgpSignature.ArmorBegin, OpenPgpSignature.ArmorEnd),
    ];

    /// <summary>Throws <see cref="ReviewNoteFormatException"/> for a note that is not only well-formed armored signatures.</summary>
    public static IReadOnlyList<string> Parse(byte[] note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (note.Length > ReviewApproval.MaximumNoteBytes) throw new ReviewNoteFormatException($"the note is larger than {ReviewApproval.MaximumNoteBytes} bytes");
        foreach (var b in note)
        {
            if (b is not ((>= 0x20 and < 0x7f) or (byte)'\n' or (byte)'\r' or (byte)'\t'))
                throw new ReviewNoteFormatException("the note holds bytes that cannot appear in an armored signature");
        }
        var text = Encoding.ASCII.GetString(note).Replace("\r\n", "\n", StringComparison.Ordinal);
        var approvals = new List<string>();
        var position = 0;
        while (true)
        {
            var begin = -1;
            var armor = Armors[0];
            foreach (var candidate in Armors)
            {
                var index = text.IndexOf(candidate.Begin, position, StringComparison.Ordinal);
                if (index >= 0 && (begin < 0 || index < begin)) (begin, armor) = (index, candidate);
            }
            var gap = begin < 0 ? text[position..] : text[position..begin];
            if (!string.IsNullOrWhiteSpace(gap)) throw new ReviewNoteFormatException("the note holds text outside armored signatures");
            if (begin < 0) break;
            var end = text.IndexOf(armor.End, begin, StringComparison.Ordinal);
            if (end < 0) throw new ReviewNoteFormatException("an armored signature in the note is not terminated");
            end += armor.End.Length;
            if (approvals.Count == ReviewApproval.MaximumApprovalsPerNote) throw new ReviewNoteFormatException($"the note holds more than {ReviewApproval.MaximumApprovalsPerNote} approvals");
            var block = text[begin..end];
            try
            {
                if (armor.Begin == SshSignature.ArmorBegin) SshSignature.Parse(block);
                else OpenPgpSignature.Parse(block);
            }
            catch (Exception e) when (e is SshFormatException or OpenPgpFormatException)
            {
                throw new ReviewNoteFormatException(e.Message);
            }
            approvals.Add(block);
            position = end;
        }
        if (approvals.Count == 0) throw new ReviewNoteFormatException("the note holds no approval");
        return approvals;
    }
}

using System.Text;
using BuildTrust.Verifiers.Ssh;

namespace BuildTrust.Verifiers.Reviews;

/// <summary>Splits a review note into its armored signatures; anything else in the note makes it malformed.</summary>
public static class ApprovalNote
{
    /// <summary>Throws <see cref="SshFormatException"/> for a note that is not only armored SSH signatures.</summary>
    public static IReadOnlyList<SshSignature> Parse(byte[] note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (note.Length > ReviewApproval.MaximumNoteBytes) throw new SshFormatException($"the note is larger than {ReviewApproval.MaximumNoteBytes} bytes");
        foreach (var b in note)
        {
            if (b is not ((>= 0x20 and < 0x7f) or (byte)'\n' or (byte)'\r' or (byte)'\t'))
                throw new SshFormatException("the note holds bytes that cannot appear in an armored signature");
        }
        var text = Encoding.ASCII.GetString(note).Replace("\r\n", "\n", StringComparison.Ordinal);
        var signatures = new List<SshSignature>();
        var position = 0;
        while (true)
        {
            var begin = text.IndexOf(SshSignature.ArmorBegin, position, StringComparison.Ordinal);
            var gap = begin < 0 ? text[position..] : text[position..begin];
            if (!string.IsNullOrWhiteSpace(gap)) throw new SshFormatException("the note holds text outside armored SSH signatures");
            if (begin < 0) break;
            var end = text.IndexOf(SshSignature.ArmorEnd, begin, StringComparison.Ordinal);
            if (end < 0) throw new SshFormatException("an armored signature in the note is not terminated");
            end += SshSignature.ArmorEnd.Length;
            if (signatures.Count == ReviewApproval.MaximumApprovalsPerNote) throw new SshFormatException($"the note holds more than {ReviewApproval.MaximumApprovalsPerNote} approvals");
            signatures.Add(SshSignature.Parse(text[begin..end]));
            position = end;
        }
        if (signatures.Count == 0) throw new SshFormatException("the note holds no approval");
        return signatures;
    }
}

using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using BuildTrust.Explain.Comparison;

namespace BuildTrust.Explain.Formats;

/// <summary>
/// .NET PE and portable PDB files (System.Reflection.Metadata): TimeDateStamp, MVID, the deterministic flag, the PDB id and
/// path of the CodeView entry, the source documents and SourceLink of a portable PDB (embedded or beside it), then strings.
/// </summary>
internal static class PeComparer
{
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static string? Compare(PairComparison comparison, string location, byte[] a, byte[] b)
    {
        PeFacts left, right;
        try
        {
            left = PeFacts.Read(a, comparison.Budget);
            right = PeFacts.Read(b, comparison.Budget);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or IOException or OverflowException)
        {
            return $"PE cannot be read ({e.Message})";
        }
        if (left.Mvid != right.Mvid)
        {
            var flag = left.Deterministic && right.Deterministic ? "deterministic: yes" : "deterministic: no";
            comparison.Add(new Difference($"{location} (module)", DifferenceKind.Mvid, $"{left.Mvid} ({flag})", $"{right.Mvid} ({flag})"));
        }
        if (left.Deterministic != right.Deterministic)
            comparison.Add(new Difference($"{location} (debug directory)", DifferenceKind.Deterministic, Flag(left.Deterministic), Flag(right.Deterministic)));
        if (left.Timestamp != right.Timestamp)
            comparison.Add(new Difference($"{location} (COFF header TimeDateStamp)", DifferenceKind.PeTimestamp, Stamp(left), Stamp(right), left.TimestampOffset));
        if (left.PdbPath != right.PdbPath)
            comparison.Add(new Difference($"{location} (CodeView debug entry)", DifferenceKind.PdbPath, left.PdbPath ?? "(none)", right.PdbPath ?? "(none)"));
        if (left.PdbId != right.PdbId)
            comparison.Add(new Difference($"{location} (CodeView debug entry)", DifferenceKind.PdbId, left.PdbId ?? "(none)", right.PdbId ?? "(none)"));
        if (left.Pdb is not null && right.Pdb is not null) ComparePdbFacts(comparison, $"{location} > embedded PDB", left.Pdb, right.Pdb);
        BinaryDiff.Compare(comparison, location, a, b, stringsToo: true);
        return null;
    }

    public static string? ComparePdb(PairComparison comparison, string location, byte[] a, byte[] b)
    {
        try
        {
            ComparePdbFacts(comparison, location, PdbFacts.Read(ImmutableArray.Create(a)), PdbFacts.Read(ImmutableArray.Create(b)));
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or IOException or OverflowException)
        {
            return $"portable PDB cannot be read ({e.Message})";
        }
        BinaryDiff.Compare(comparison, location, a, b, stringsToo: true);
        return null;
    }

    private static void ComparePdbFacts(PairComparison comparison, string location, PdbFacts left, PdbFacts right)
    {
        if (left.Id != right.Id) comparison.Add(new Difference($"{location} (PDB id)", DifferenceKind.PdbId, left.Id, right.Id));
        var onlyA = left.Documents.Except(right.Documents, StringComparer.Ordinal).Take(20).ToList();
        var onlyB = right.Documents.Except(left.Documents, StringComparer.Ordinal).Take(20).ToList();
        for (var i = 0; i < Math.Max(onlyA.Count, onlyB.Count); i++)
            comparison.Add(new Difference($"{location} (source documents)", DifferenceKind.SourceDocument, i < onlyA.Count ? onlyA[i] : "", i < onlyB.Count ? onlyB[i] : ""));
        if (left.SourceLink != right.SourceLink)
            comparison.Add(new Difference($"{location} (SourceLink)", DifferenceKind.SourceLink, left.SourceLink ?? "(none)", right.SourceLink ?? "(none)"));
    }

    private static string Flag(bool deterministic) => deterministic ? "Reproducible entry present" : "no Reproducible entry (not deterministic)";

    private static string Stamp(PeFacts facts) => facts.Deterministic
        ? $"0x{facts.Timestamp:x8} (a content hash: deterministic)"
        : $"0x{facts.Timestamp:x8} ({DateTimeOffset.FromUnixTimeSeconds(facts.Timestamp).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)})";

    private sealed record PeFacts(uint Timestamp, long TimestampOffset, string? Mvid, bool Deterministic, string? PdbPath, string? PdbId, PdbFacts? Pdb)
    {
        public static PeFacts Read(byte[] data, ComparisonBudget budget)
        {
            using var pe = new PEReader(ImmutableArray.Create(data));
            var headers = pe.PEHeaders;
            string? mvid = null;
            if (pe.HasMetadata)
            {
                var metadata = pe.GetMetadataReader();
                mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid).ToString();
            }
            bool deterministic = false;
            string? pdbPath = null, pdbId = null;
            PdbFacts? pdb = null;
            foreach (var entry in pe.ReadDebugDirectory().Take(64))
            {
                switch (entry.Type)
                {
                    case DebugDirectoryEntryType.Reproducible:
                        deterministic = true;
                        break;
                    case DebugDirectoryEntryType.CodeView when pdbPath is null:
                        var codeView = pe.ReadCodeViewDebugDirectoryData(entry);
                        pdbPath = codeView.Path;
                        pdbId = $"{codeView.Guid} age {codeView.Age} stamp 0x{entry.Stamp:x8}";
                        break;
                    case DebugDirectoryEntryType.EmbeddedPortablePdb when pdb is null && budget.TryTake(entry.DataSize * 4L):
                        using (var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(entry)) pdb = PdbFacts.From(provider.GetMetadataReader());
                        break;
                }
            }
            return new PeFacts(headers.CoffHeader.TimeDateStamp < 0 ? unchecked((uint)headers.CoffHeader.TimeDateStamp) : (uint)headers.CoffHeader.TimeDateStamp,
                headers.CoffHeaderStartOffset + 4, mvid, deterministic, pdbPath, pdbId, pdb);
        }
    }

    private sealed record PdbFacts(string Id, IReadOnlyList<string> Documents, string? SourceLink)
    {
        public static PdbFacts Read(ImmutableArray<byte> image)
        {
            using var provider = MetadataReaderProvider.FromPortablePdbImage(image);
            return From(provider.GetMetadataReader());
        }

        public static PdbFacts From(MetadataReader reader)
        {
            var id = reader.DebugMetadataHeader is { } header ? Convert.ToHexStringLower(header.Id.AsSpan()) : "(none)";
            var documents = reader.Documents.Take(10_000).Select(handle => reader.GetString(reader.GetDocument(handle).Name)).ToList();
            string? sourceLink = null;
            foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
            {
                var information = reader.GetCustomDebugInformation(handle);
                if (reader.GetGuid(information.Kind) == SourceLinkKind) sourceLink = System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value).AsSpan(0, Math.Min(4096, reader.GetBlobReader(information.Value).Length)));
            }
            return new PdbFacts(id, documents, sourceLink);
        }
    }
}

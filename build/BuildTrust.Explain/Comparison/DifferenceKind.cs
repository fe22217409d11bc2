namespace BuildTrust.Explain.Comparison;

/// <summary>What aspect of two artifacts differs; the cause rules read these.</summary>
public enum DifferenceKind
{
    /// <summary>A member, entry or section present on one side only.</summary>
    Missing,
    /// <summary>The same members in another order.</summary>
    Order,
    /// <summary>A recorded time: tar or ar member mtime, gzip header, zip entry time.</summary>
    Timestamp,
    /// <summary>Owner or group (numeric id or name) recorded for a member.</summary>
    Owner,
    /// <summary>Permission bits recorded for a member.</summary>
    Mode,
    /// <summary>A name recorded in a header (gzip original file name).</summary>
    HeaderName,
    /// <summary>The operating-system byte of a gzip header.</summary>
    OperatingSystem,
    /// <summary>A zip entry's extra fields.</summary>
    ExtraField,
    /// <summary>An ELF GNU build-id note.</summary>
    BuildId,
    /// <summary>An ELF <c>.comment</c> section (compiler identification).</summary>
    Comment,
    /// <summary>A DWARF compilation unit's <c>DW_AT_comp_dir</c> or <c>DW_AT_name</c>.</summary>
    DebugPath,
    /// <summary>A PE/COFF header TimeDateStamp.</summary>
    PeTimestamp,
    /// <summary>A .NET module's MVID.</summary>
    Mvid,
    /// <summary>The PDB id (GUID and stamp) a PE names, or a portable PDB's own id.</summary>
    PdbId,
    /// <summary>The PDB path recorded in a PE's CodeView debug entry.</summary>
    PdbPath,
    /// <summary>Whether a PE carries the Reproducible (deterministic) debug directory entry.</summary>
    Deterministic,
    /// <summary>A source document path recorded in a PDB.</summary>
    SourceDocument,
    /// <summary>The SourceLink map of a PDB.</summary>
    SourceLink,
    /// <summary>Lines of text.</summary>
    TextLines,
    /// <summary>Printable strings found on one side only, inside binary content.</summary>
    Strings,
    /// <summary>Bytes, where nothing more specific was found.</summary>
    Bytes,
}

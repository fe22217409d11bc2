namespace BuildTrust.Explain.Formats;

/// <summary>The formats the explainer reads (anything else is compared as bytes and strings).</summary>
public enum FileFormat
{
    Binary,
    Text,
    Gzip,
    Tar,
    Zip,
    Ar,
    Elf,
    PortableExecutable,
    PortablePdb,
}

namespace BuildTrust.Cli;

/// <summary>Standard output is closed or its reader went away (a broken pipe): the report cannot be delivered (exit 3).</summary>
public sealed class OutputClosedException(string message, Exception? inner = null) : IOException(message, inner);

namespace BuildTrust.Verifiers.Policy.Yaml;

/// <summary>Makes the exception a strict YAML file's reader throws: source, 1-based line and column (0 for the whole file), problem.</summary>
public delegate Exception YamlError(string source, long line, long column, string problem);

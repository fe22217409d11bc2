using BuildTrust.Explain.Causes;

namespace BuildTrust.Explain;

/// <summary>One builder's build as the explainer compares it: what it ran under, and its artifacts (relative name to SHA-256) under <c>ROOT/&lt;id&gt;/artifacts</c>.</summary>
public sealed record ExplainedBuild(BuilderView View, IReadOnlyDictionary<string, string> Artifacts);

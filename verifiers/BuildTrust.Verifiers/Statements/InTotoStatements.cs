using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BuildTrust.Verifiers.Statements.Sigstore;

namespace BuildTrust.Verifiers.Statements;

/// <summary>
/// Writes and reads BuildTrust's in-toto statements: SLSA Provenance v1 per builder and SLSA Verification
/// Summary v1 for decisions. Writing is deterministic (the signed bytes are these bytes); reading is strict
/// about every field BuildTrust relies on, and refuses unsorted, duplicate or unsafe subjects.
/// </summary>
public static partial class InTotoStatements
{
    public const string StatementType = "https://in-toto.io/Statement/v1";
    public const string ProvenanceType = "https://slsa.dev/provenance/v1";
    public const string VerificationSummaryType = "https://slsa.dev/verification_summary/v1";
    public const string BuildType = "https://buildtrust.dev/build/v1";
    public const string BuilderIdPrefix = "https://buildtrust.dev/builder/";

    public static byte[] WriteProvenance(ProvenanceClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return Write(claims.Subjects, ProvenanceType, json =>
        {
            json.WriteStartObject("buildDefinition");
            json.WriteString("buildType", BuildType);
            json.WriteStartObject("externalParameters");
            json.WriteString("repository", claims.SourceRepository);
            json.WriteString("commit", claims.SourceCommit);
            json.WriteStartObject("recipe");
            json.WriteString("digest", claims.RecipeDigest);
            json.WriteString("image", claims.ImageReference);
            json.WriteStartArray("command");
            foreach (var argument in claims.Command) json.WriteStringValue(argument);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("internalParameters");
            WriteMap(json, "variations", claims.Variations);
            json.WriteEndObject();
            json.WriteStartArray("resolvedDependencies");
            json.WriteStartObject();
            json.WriteString("uri", "git+" + claims.SourceRepository);
            json.WriteStartObject("digest");
            json.WriteString("gitCommit", claims.SourceCommit);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteString("uri", "docker-image:" + claims.ImageReference);
            json.WriteStartObject("digest");
            json.WriteString("sha256", claims.ImageDigest["sha256:".Length..]);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("runDetails");
            json.WriteStartObject("builder");
            json.WriteString("id", BuilderIdPrefix + claims.BuilderId);
            // SLSA's builder.version is a map of component versions: the fingerprint (engine, kernel, CPU, image) fits it.
            WriteMap(json, "version", claims.BuilderFingerprint);
            json.WriteEndObject();
            json.WriteStartObject("metadata");
            json.WriteString("invocationId", claims.InvocationId);
            json.WriteString("startedOn", Time(claims.StartedOn));
            json.WriteString("finishedOn", Time(claims.FinishedOn));
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    public static ProvenanceClaims ReadProvenance(byte[] payload, string source)
    {
        var (subjects, predicate) = Read(payload, source, ProvenanceType);
        var definition = Child(predicate, "buildDefinition", source);
        if (Text(definition, "buildType", source) != BuildType) throw Bad(source, $"buildType is not {BuildType}");
        var external = Child(definition, "externalParameters", source);
        var recipe = Child(external, "recipe", source);
        var run = Child(predicate, "runDetails", source);
        var builder = Child(run, "builder", source);
        var metadata = Child(run, "metadata", source);
        var builderUri = Text(builder, "id", source);
        if (!builderUri.StartsWith(BuilderIdPrefix, StringComparison.Ordinal)) throw Bad(source, $"builder id '{builderUri}' is not a BuildTrust builder");
        var commit = Text(external, "commit", source);
        if (!CommitPattern().IsMatch(commit)) throw Bad(source, "commit is not a 40-hex git commit id");
        var recipeDigest = Text(recipe, "digest", source);
        if (!HexPattern().IsMatch(recipeDigest)) throw Bad(source, "recipe digest is not 64 lowercase hex");
        var dependencies = Child(definition, "resolvedDependencies", source, JsonValueKind.Array);
        var image = dependencies.EnumerateArray().Where(d => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("uri", out var uri)
            && uri.ValueKind == JsonValueKind.String && uri.GetString()!.StartsWith("docker-image:", StringComparison.Ordinal)).ToList();
        if (image.Count != 1) throw Bad(source, "exactly one docker-image dependency is expected");
        var imageHex = Text(Child(image[0], "digest", source), "sha256", source);
        if (!HexPattern().IsMatch(imageHex)) throw Bad(source, "image digest is not 64 lowercase hex");
        var gitDependency = dependencies.EnumerateArray().Count(d => d.ValueKind == JsonValueKind.Object && d.TryGetProperty("digest", out var digest)
            && digest.ValueKind == JsonValueKind.Object && digest.TryGetProperty("gitCommit", out var gitCommit) && gitCommit.ValueKind == JsonValueKind.String && gitCommit.GetString() == commit);
        if (gitDependency != 1) throw Bad(source, "the source dependency does not name the commit");
        return new ProvenanceClaims(
            builderUri[BuilderIdPrefix.Length..],
            Text(metadata, "invocationId", source),
            ParseTime(Text(metadata, "startedOn", source), source),
            ParseTime(Text(metadata, "finishedOn", source), source),
            Text(external, "repository", source),
            commit,
            recipeDigest,
            Text(recipe, "image", source),
            "sha256:" + imageHex,
            [.. Child(recipe, "command", source, JsonValueKind.Array).EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : throw Bad(source, "command holds a non-string"))],
            Map(Child(Child(definition, "internalParameters", source), "variations", source), source),
            Map(Child(builder, "version", source), source),
            subjects);
    }

    public static byte[] WriteVerificationSummary(VerificationSummaryClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return Write(claims.Subjects, VerificationSummaryType, json =>
        {
            json.WriteStartObject("verifier");
            json.WriteString("id", claims.VerifierId);
            json.WriteEndObject();
            json.WriteString("timeVerified", Time(claims.TimeVerified));
            json.WriteString("resourceUri", claims.ResourceUri);
            json.WriteStartObject("policy");
            json.WriteString("uri", claims.PolicyUri);
            json.WriteStartObject("digest");
            json.WriteString("sha256", claims.PolicySha256);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("inputAttestations");
            foreach (var input in claims.InputAttestations)
            {
                json.WriteStartObject();
                json.WriteString("uri", input.Name);
                json.WriteStartObject("digest");
                json.WriteString("sha256", input.Sha256);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("verificationResult", claims.Passed ? "PASSED" : "FAILED");
            json.WriteStartArray("verifiedLevels");
            foreach (var level in claims.VerifiedLevels) json.WriteStringValue(level);
            json.WriteEndArray();
        });
    }

    public static VerificationSummaryClaims ReadVerificationSummary(byte[] payload, string source)
    {
        var (subjects, predicate) = Read(payload, source, VerificationSummaryType);
        var policy = Child(predicate, "policy", source);
        var policyDigest = Text(Child(policy, "digest", source), "sha256", source);
        if (!HexPattern().IsMatch(policyDigest)) throw Bad(source, "policy digest is not 64 lowercase hex");
        var result = Text(predicate, "verificationResult", source);
        if (result is not ("PASSED" or "FAILED")) throw Bad(source, "verificationResult is neither PASSED nor FAILED");
        var inputs = new List<StatementSubject>();
        foreach (var input in Child(predicate, "inputAttestations", source, JsonValueKind.Array).EnumerateArray())
        {
            var digest = Text(Child(input, "digest", source), "sha256", source);
            if (!HexPattern().IsMatch(digest)) throw Bad(source, "an input attestation digest is not 64 lowercase hex");
            inputs.Add(new StatementSubject(Text(input, "uri", source), digest));
        }
        return new VerificationSummaryClaims(
            Text(Child(predicate, "verifier", source), "id", source),
            ParseTime(Text(predicate, "timeVerified", source), source),
            Text(predicate, "resourceUri", source),
            Text(policy, "uri", source),
            policyDigest,
            inputs,
            result == "PASSED",
            [.. Child(predicate, "verifiedLevels", source, JsonValueKind.Array).EnumerateArray().Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : throw Bad(source, "a verified level is not a string"))],
            subjects);
    }

    /// <summary>Sorted ordinally, unique, relative paths without <c>..</c>, lowercase hex digests: what every statement's subjects must be.</summary>
    public static void CheckSubjects(IReadOnlyList<StatementSubject> subjects, string source)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        for (var i = 0; i < subjects.Count; i++)
        {
            var name = subjects[i].Name;
            if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\') || name.Contains('\0') || name.Split('/').Any(s => s is "" or "." or ".."))
                throw Bad(source, $"subject '{name}' is not a plain relative path");
            if (!HexPattern().IsMatch(subjects[i].Sha256)) throw Bad(source, $"subject '{name}' has no lowercase hex SHA-256");
            if (i > 0 && string.CompareOrdinal(subjects[i - 1].Name, name) >= 0) throw Bad(source, "subjects are not sorted and unique");
        }
    }

    private static byte[] Write(IReadOnlyList<StatementSubject> subjects, string predicateType, Action<Utf8JsonWriter> predicate)
    {
        CheckSubjects(subjects, "statement");
        using var buffer = new MemoryStream();
        // Relaxed escaping: the statement is signed bytes read by tools and people, never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("_type", StatementType);
            json.WriteStartArray("subject");
            foreach (var subject in subjects)
            {
                json.WriteStartObject();
                json.WriteString("name", subject.Name);
                json.WriteStartObject("digest");
                json.WriteString("sha256", subject.Sha256);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("predicateType", predicateType);
            json.WriteStartObject("predicate");
            predicate(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static (IReadOnlyList<StatementSubject> Subjects, JsonElement Predicate) Read(byte[] payload, string source, string predicateType)
    {
        if (!System.Text.Unicode.Utf8.IsValid(payload)) throw Bad(source, "the statement is not valid UTF-8");
        try
        {
            using var document = JsonDocument.Parse(payload, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 32 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad(source, "the statement is not a JSON object");
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("_type" or "subject" or "predicateType" or "predicate")) throw Bad(source, $"unknown statement field '{property.Name}'");
            }
            if (Text(root, "_type", source) != StatementType) throw Bad(source, $"_type is not {StatementType}");
            if (Text(root, "predicateType", source) != predicateType) throw Bad(source, $"predicateType is not {predicateType}");
            var subjects = new List<StatementSubject>();
            foreach (var subject in Child(root, "subject", source, JsonValueKind.Array).EnumerateArray())
            {
                var digest = Child(subject, "digest", source);
                if (digest.EnumerateObject().Count() != 1) throw Bad(source, "a subject digest must hold sha256 only");
                subjects.Add(new StatementSubject(Text(subject, "name", source), Text(digest, "sha256", source)));
            }
            CheckSubjects(subjects, source);
            return (subjects, Child(root, "predicate", source).Clone());
        }
        catch (JsonException e)
        {
            throw Bad(source, $"malformed statement JSON: {e.Message}");
        }
    }

    private static JsonElement Child(JsonElement parent, string name, string source, JsonValueKind kind = JsonValueKind.Object) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value : throw Bad(source, $"'{name}' is missing or not {(kind == JsonValueKind.Array ? "an array" : "an object")}");

    private static string Text(JsonElement parent, string name, string source) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text : throw Bad(source, $"'{name}' is missing or not a non-empty string");

    private static IReadOnlyDictionary<string, string> Map(JsonElement element, string source) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Bad(source, $"'{p.Name}' is not a string"), StringComparer.Ordinal);

    private static void WriteMap(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, string> map)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) json.WriteString(key, value);
        json.WriteEndObject();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text, string source) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time : throw Bad(source, $"'{text}' is not an RFC 3339 UTC time");

    private static SigstoreBundleException Bad(string source, string problem) => new(source, problem);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}

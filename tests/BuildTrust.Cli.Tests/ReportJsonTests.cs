using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BuildTrust.Cli.Rendering;
using BuildTrust.Cli.Rendering.Json;
using BuildTrust.Pipeline.Adoption;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Commits.Reviews;
using BuildTrust.Verifiers.Imports;
using BuildTrust.Verifiers.Policy.Check;
using BuildTrust.Verifiers.Quorum;
using BuildTrust.Verifiers.Release;
using BuildTrust.Verifiers.Statements;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Tests;

/// <summary>
/// The machine reports are serialised with compile-time metadata (the native executable has no reflection-based serialiser).
/// Their bytes must be what the reflection-based serialiser wrote before, for the same objects and the anonymous shapes the
/// reports had: scripts parse them.
/// </summary>
public sealed class ReportJsonTests
{
    /// <summary>The options every report was written with before (reflection, camelCase, enums as kebab-case names).</summary>
    private static readonly JsonSerializerOptions Reflection = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly CommitVerdict Verdict = new("0123456789abcdef0123456789abcdef01234567", "change \"quoted\" <b>", DateTimeOffset.Parse("2026-11-30T12:34:56+01:00", System.Globalization.CultureInfo.InvariantCulture),
        "alice", "sk-ssh-ed25519@openssh.com", "SHA256:abc", "FIDO user presence",
        [CheckResult.Pass("signature.valid", "valid", "valid", "evidence"), CheckResult.Fail("reviews", "1 approval", "none"), CheckResult.Malformed("x", "y", "z")])
    {
        PolicyVersion = "fedcba9876543210fedcba9876543210fedcba98",
        Reviews = [new ReviewEvidence("note", "refs/notes/buildtrust-reviews", "bob", "SHA256:def", true, "approved")],
        Exemption = "bootstrap",
        Context = "policy-history",
    };

    private static readonly PolicyCheckReport PolicyReport = new("policies/release.yaml", "ab12", new DateOnly(2026, 12, 1), "hardware", true, false, 1, 2, 2, 2,
        [new MaintainerReport("alice", ["author", "reviewer"], new DateOnly(2027, 6, 30), [
            new KeyReport("ssh-ed25519", "SHA256:abc", 7, null, true, "FIDO", new KeyEvidence("key-attestation", true, null, "Yubico PIV Root CA", "PIV", 123456, "5.7.1", "once", "always",
                1, "USB-A Keychain", "cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5", ["user-present", "user-verified"], "SHA256:abc"), true, null),
            new KeyReport("openpgp", "ABCDEF", 9, new DateOnly(2026, 12, 24), false, "none", null, false, "no evidence")])],
        [new PolicyFinding(FindingSeverity.NeverMet, "reviews", "never"), new PolicyFinding(FindingSeverity.Warning, "alice", "expires")]);

    private static string Generated<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    [Fact]
    public void Source_gate_records_are_written_as_the_reflection_serialiser_wrote_them()
    {
        var scope = new SourceGateScope("/repo", "a..b", "0123456789abcdef0123456789abcdef01234567", null, "policies/release.yaml", "ab12")
        {
            TrustRoot = "1111111111111111111111111111111111111111", Authority = PolicyAuthority.NotAuthenticated, AuthorityOrigin = "given", ExemptionsIgnored = "why",
        };
        var summary = new SourceGateSummary(1, 2, 3) { PendingReview = 1 };

        Assert.Equal(JsonSerializer.Serialize(scope, Reflection), Generated(scope, ReportJsonContext.Default.SourceGateScope));
        Assert.Equal(JsonSerializer.Serialize(Verdict, Reflection), Generated(Verdict, ReportJsonContext.Default.CommitVerdict));
        Assert.Equal(JsonSerializer.Serialize(summary, Reflection), Generated(summary, ReportJsonContext.Default.SourceGateSummary));
        Assert.Contains("\"authority\":\"not-authenticated\"", Generated(scope, ReportJsonContext.Default.SourceGateScope));
    }

    [Fact]
    public async Task The_policy_check_report_is_written_as_its_anonymous_shape_was()
    {
        var output = new StringWriter();

        await PolicyCheckWriter.WriteJsonAsync(output, PolicyReport, "history", [Verdict], 1);

        var before = JsonSerializer.Serialize(new { schema = PolicyCheckWriter.JsonSchema, authority = "history", refusedPolicyChanges = new[] { Verdict }, report = PolicyReport, exitCode = 1 }, Reflection);
        Assert.Equal(before + Environment.NewLine, output.ToString());
        Assert.Contains("\"severity\":\"never-met\"", before);
    }

    [Fact]
    public void The_init_and_audit_reports_are_written_as_their_anonymous_shapes_were()
    {
        var result = new AdoptionResult("/work", "policies/release.yaml", ["policies/release.yaml", "policies/keys/bob.asc"],
            [new FoundKey("alice", "ssh-ed25519", "SHA256:abc", "allowed_signers", "alice ssh-ed25519 AAAA", false, "attestation", 3)],
            [new UnlistedSigner("ssh", "ssh-ed25519 AAAA", 2, "not listed")], "signed", 1, 1, 500, 4);
        IReadOnlyList<string> steps = ["one", "two"];
        List<CheckResult> checks = [CheckResult.Pass("a", "b", "c"), CheckResult.Malformed("d", "e", "f")];

        Assert.Equal(JsonSerializer.Serialize(new { schema = "https://buildtrust.invalid/schemas/init/v1", result, nextSteps = steps, exitCode = 0 }, Reflection),
            Generated(new InitDocument("https://buildtrust.invalid/schemas/init/v1", result, steps, 0), ReportJsonContext.Default.InitDocument));
        Assert.Equal(JsonSerializer.Serialize(new { passed = false, commit = (string?)"abc", checks }, Reflection),
            Generated(new AuditDocument(false, "abc", checks), ReportJsonContext.Default.AuditDocument));
        Assert.Equal(JsonSerializer.Serialize(new { passed = true, commit = (string?)null, checks = new List<CheckResult>() }, Reflection),
            Generated(new AuditDocument(true, null, []), ReportJsonContext.Default.AuditDocument));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_comparison_report_is_written_as_its_anonymous_shape_was(bool withQuorum)
    {
        var claims = new ProvenanceClaims("builder-a", "inv", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "repo", "c0ffee", "recipe", "image:ref", "sha256:img", ["make"],
            new Dictionary<string, string>(), new Dictionary<string, string>(), [new StatementSubject("bin/hello", "aa"), new StatementSubject("bin/world", "bb")]);
        var quorum = new QuorumVerdict(2, false, "1 of 2", null, ["builder-a"], [["builder-a"], ["builder-b"]],
            [new ArtifactDifference("bin/hello", new Dictionary<string, string?> { ["builder-a"] = "aa", ["builder-b"] = null })]);
        var result = new ProvenanceSetResult([new VerifiedProvenance("builder-a/provenance.sigstore.json", [1], "ff", claims)], ["refused"], ["malformed"], withQuorum ? quorum : null);
        var output = new StringWriter();

        await ComparisonWriter.WriteJsonAsync(output, result);

        var before = JsonSerializer.Serialize(new
        {
            passed = result.Passed,
            commit = result.SourceCommit,
            problems = result.Problems,
            malformed = result.Malformed,
            builders = result.Accepted.Select(a => new
            {
                id = a.Claims.BuilderId, bundle = a.Path, bundleSha256 = a.BundleSha256, commit = a.Claims.SourceCommit, recipe = a.Claims.RecipeDigest,
                image = a.Claims.ImageDigest, artifacts = a.Claims.Subjects.ToDictionary(s => s.Name, s => s.Sha256),
            }),
            quorum = result.Quorum is null ? null : new
            {
                required = result.Quorum.Required, passed = result.Quorum.Passed, reason = result.Quorum.Reason, agreeing = result.Quorum.AgreeingBuilders,
                differences = result.Quorum.Differences.Select(d => new { name = d.Name, digests = d.DigestByBuilder }),
            },
        }, Reflection);
        Assert.Equal(before + Environment.NewLine, output.ToString());
    }

    [Fact]
    public async Task The_import_report_is_written_as_its_anonymous_shape_was()
    {
        var quorum = new QuorumVerdict(2, true, "2 of 2", new Dictionary<string, string> { ["a.tar"] = "aa" }, ["x", "y"], [["x", "y"]], []);
        var report = new ImportReport("guix-sigs", 2, [new ImportedGroup("hello-1.0", [
            new ImportedAttestation("hello-1.0", "x", ["x/hello.sig"], AttestationVerdict.UnknownKey, "no key", new Dictionary<string, string>(), null),
            new ImportedAttestation("hello-1.0", "y", ["y/hello.sig"], AttestationVerdict.Good, "good", new Dictionary<string, string>(), "SHA256:k")],
            [new DigestSet("ab12", 1, ["x", "y"])], quorum)], ["a problem"]);
        var output = new StringWriter();

        await ImportReportWriter.WriteJsonAsync(output, report);

        var before = JsonSerializer.Serialize(new
        {
            schema = "https://buildtrust.dev/import-report/v1",
            format = report.Format,
            quorum = report.Quorum,
            passed = report.Passed,
            problems = report.Problems,
            groups = report.Groups.Select(g => new
            {
                group = g.Group,
                passed = g.Quorum.Passed,
                reason = g.Quorum.Reason,
                sets = g.Sets.Select(s => new { sha256 = s.Sha256, artifacts = s.ArtifactCount, signers = s.Signers }),
                agreed = g.Quorum.Agreed,
                attestations = g.Attestations.Select(a => new { signer = a.Signer, verdict = a.Verdict, reason = a.Reason, files = a.Files, signingKey = a.SigningKey }),
            }),
        }, Reflection);
        Assert.Equal(before + Environment.NewLine, output.ToString());
        Assert.Contains("\"verdict\":\"unknown-key\"", before);
    }

    /// <summary>An enum without its converter in the context would be written as a number, silently: every one a report reaches has it.</summary>
    [Fact]
    public void Every_enum_a_report_reaches_is_written_as_its_kebab_case_name()
    {
        var roots = typeof(ReportJsonContext).GetCustomAttributesData().Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!);
        var enums = new HashSet<Type>();
        var seen = new HashSet<Type>();
        void Walk(Type type)
        {
            if (!seen.Add(type)) return;
            if (type.IsEnum) enums.Add(type);
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : []) Walk(argument);
            if (type.IsArray) Walk(type.GetElementType()!);
            if (type.Namespace?.StartsWith("BuildTrust", StringComparison.Ordinal) == true)
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)) Walk(property.PropertyType);
        }
        foreach (var root in roots) Walk(root);

        Assert.Equal(new[] { typeof(AttestationVerdict), typeof(CheckStatus), typeof(FindingSeverity), typeof(PolicyAuthority) }, enums.OrderBy(t => t.Name));
        foreach (var type in enums)
        {
            var value = Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!;
            Assert.Equal(JsonSerializer.Serialize(value, type, Reflection), JsonSerializer.Serialize(value, type, ReportJsonContext.Default));
        }
    }
}

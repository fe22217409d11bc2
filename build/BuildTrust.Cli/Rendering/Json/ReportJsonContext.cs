using System.Text.Json.Serialization;
using BuildTrust.Verifiers.Checks;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Imports;
using BuildTrust.Verifiers.Policy.Check;
using BuildTrust.Verifiers.Trust;

namespace BuildTrust.Cli.Rendering.Json;

/// <summary>
/// The metadata of every machine report, generated at compile time: the native executable serialises with it (reflection-based
/// serialisation is trimmed away there), and so does the framework-dependent build, so the two write the same bytes. An enum
/// reachable from a report needs its converter here, or it would be written as a number (a test walks the report types for that).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(KebabCaseEnumConverter<CheckStatus>), typeof(KebabCaseEnumConverter<PolicyAuthority>), typeof(KebabCaseEnumConverter<FindingSeverity>),
        typeof(KebabCaseEnumConverter<AttestationVerdict>)])]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(SourceGateScope))]
[JsonSerializable(typeof(CommitVerdict))]
[JsonSerializable(typeof(SourceGateSummary))]
[JsonSerializable(typeof(PolicyCheckDocument))]
[JsonSerializable(typeof(InitDocument))]
[JsonSerializable(typeof(AuditDocument))]
[JsonSerializable(typeof(ComparisonDocument))]
[JsonSerializable(typeof(ImportDocument))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;

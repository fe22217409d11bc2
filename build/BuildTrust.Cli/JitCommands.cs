using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;

namespace BuildTrust.Cli;

/// <summary>
/// The installed tool is two builds of this CLI in one package: the native executable (Native AOT), which starts in
/// milliseconds and runs the verification commands (<c>init</c>, <c>policy check</c>, <c>verify-commits</c>, <c>review
/// approve</c>, <c>audit</c> without <c>--rebuild</c>, <c>import</c> without <c>--vsa</c>, <c>explain</c> without
/// its bisections), and the framework-dependent build in <c>jit/</c>, which runs the
/// commands that drive Docker engines or PKCS#11 modules through Docker.DotNet, Newtonsoft.Json and Pkcs11Interop: libraries
/// built on reflection that the AOT compiler cannot prove correct (it warns IL2104/IL3053 on them), so they are not compiled
/// natively at all. The native build is published with this switch off: the AOT compiler then drops every branch guarded by
/// <see cref="Included"/>, and with it those libraries. Everything else, the root's help included, is handed to the JIT build
/// by <see cref="JitBuild.Exec"/>, in the same process.
/// </summary>
internal static class JitCommands
{
    public const string Switch = "BuildTrust.Cli.JitCommands";

    /// <summary>True in the framework-dependent build (and in tests); a constant false in the native executable.</summary>
    [FeatureSwitchDefinition(Switch)]
    public static bool Included => !AppContext.TryGetSwitch(Switch, out var included) || included;

    /// <summary>
    /// Whether the native executable hands this invocation to the JIT build: anything but an error-free use of a native command.
    /// A command the native tree does not hold is a parse error there, and so is usage the JIT build will explain better.
    /// </summary>
    public static bool Handle(ParseResult parse) =>
        parse.Errors.Count > 0
        || parse.CommandResult.Command is RootCommand
        || (parse.CommandResult.Command.Name == "audit" && parse.GetValue<bool>("--rebuild"))
        || (parse.CommandResult.Parent is CommandResult { Command.Name: "import" } && parse.GetValue<string?>("--vsa") is not null)
        || (parse.CommandResult.Command.Name == "explain" && (parse.GetValue<bool>("--bisect-variations") || parse.GetValue<string?>("--bisect") is not null));
}

using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Processes;
using BuildTrust.Pipeline.Signing;
using BuildTrust.Verifiers.Commits;
using BuildTrust.Verifiers.Git;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// One federated builder: another organisation rebuilds a release on its own engine with its own key, and publishes the
/// provenance bundle it signs (into a folder or a sigs repository). The recipe is the policy's, read from the released
/// commit (or a file the rebuilder gives); the engine is the rebuilder's, never the policy's endpoint unless it says so.
/// The release side only collects the bundle and verifies it against the policy's key for that builder.
/// </summary>
public static class FederatedRebuild
{
    /// <param name="Repository">A local repository folder, or a URL to clone (https, ssh, git or file; other transports are refused).</param>
    /// <param name="PolicyFile">A policy file to take the recipe from; null for <paramref name="PolicyPath"/> at the released commit.</param>
    /// <param name="Endpoint">The rebuilder's engine; null for the policy's endpoint of that builder.</param>
    public sealed record Request(string Repository, string Reference, string BuilderId, IDigestSigner Signer, Uri? Endpoint, string? TlsDirectory,
        string? PolicyFile, string PolicyPath, string OutputDirectory, TimeSpan? Timeout);

    public static async Task<ReleaseBuildResult> RunAsync(Request request, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clone = IsLocal(request.Repository) ? null : Clone(request.Repository);
        try
        {
            var repository = clone?.FullName ?? request.Repository;
            string commit;
            using (var source = GitCommitSource.Open(repository))
            {
                commit = source.Resolve(request.Reference);
            }
            var policy = request.PolicyFile is { } file ? PolicyLoader.Load(file) : RepositoryPolicy.LoadAt(repository, commit, request.PolicyPath).Policy;
            var recipe = policy.Build ?? throw new BuildInputException($"{policy.Source}: the policy has no 'build' section");
            var builder = policy.Builders.FirstOrDefault(b => b.Id == request.BuilderId)
                ?? throw new BuildInputException($"--builder {request.BuilderId}: not a builder of {policy.Source} (builders: {string.Join(", ", policy.Builders.Select(b => b.Id))})");
            var endpoint = request.Endpoint ?? builder.Endpoint
                ?? throw new BuildInputException($"builder '{builder.Id}' is federated (no endpoint in the policy): give your engine with --endpoint");
            if (endpoint.Scheme == "tcp" && request.TlsDirectory is null)
                throw new BuildInputException($"{endpoint}: a tcp:// engine is reached over mutual TLS only; give its client certificate folder with --tls");
            var limits = request.Timeout is { } timeout ? recipe.Limits with { Timeout = timeout } : recipe.Limits;
            if (limits.Problem() is { } problem) throw new BuildInputException($"--timeout: {problem}");
            var own = builder with { Endpoint = endpoint, TlsDirectory = request.TlsDirectory };
            var build = new ReleaseBuildRequest(recipe, [own], repository, commit, request.OutputDirectory,
                new Dictionary<string, IDigestSigner>(StringComparer.Ordinal) { [builder.Id] = request.Signer }, limits,
                b => DockerContainerEngine.Connect(b.Endpoint!, b.TlsDirectory));
            return await ReleaseBuild.RunAsync(build, progress, cancellationToken);
        }
        finally
        {
            clone?.Delete(recursive: true);
        }
    }

    private static bool IsLocal(string repository) => !repository.Contains("://", StringComparison.Ordinal) && !(repository.Contains(':') && !repository.StartsWith('/'));

    /// <summary>A bare clone of a URL. git's transports that run commands (ext::, fd::) are refused, and the URL is never read as an option.</summary>
    private static DirectoryInfo Clone(string url)
    {
        if (url.StartsWith('-')) throw new BuildInputException($"--repo '{url}': not a repository URL");
        var target = Directory.CreateTempSubdirectory("buildtrust-rebuild-");
        var result = ExternalProcess.Run("git", ["clone", "--bare", "--quiet", "--", url, target.FullName], environment: new Dictionary<string, string>
        {
            ["GIT_ALLOW_PROTOCOL"] = "https:ssh:git:file",
            ["GIT_TERMINAL_PROMPT"] = "0",
        }, timeout: TimeSpan.FromMinutes(30));
        if (result.ExitCode != 0)
        {
            target.Delete(recursive: true);
            throw new BuildInputException($"--repo {url}: git clone failed: {result.StandardError.Trim()}");
        }
        return target;
    }
}

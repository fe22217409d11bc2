using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// Finds the pinned image on an engine and checks it is exactly that image: a bare id must be the engine's
/// image id; <c>name@sha256:...</c> must be among the image's registry digests. The container is then
/// created from the image id, so nothing can swap the image between the check and the run.
/// </summary>
internal sealed record PinnedImage(string? ImageId, (BuildFailureKind Kind, string Message)? Failure)
{
    public static async Task<PinnedImage> ResolveAsync(IContainerEngine engine, ImageReference pinned, CancellationToken cancellationToken)
    {
        var found = await engine.InspectImageAsync(pinned.ToString(), cancellationToken);
        if (found is not null)
        {
            var matches = pinned.Repository is null
                ? found.Id == pinned.Digest
                : found.RepoDigests.Contains(pinned.ToString(), StringComparer.Ordinal);
            return matches
                ? new PinnedImage(found.Id, null)
                : Mismatch(engine, pinned, found);
        }
        if (pinned.Repository is not null && await engine.InspectImageAsync(pinned.Repository, cancellationToken) is { } named)
            return Mismatch(engine, pinned, named);
        return new PinnedImage(null, (BuildFailureKind.Infrastructure,
            $"{engine.Endpoint}: image {pinned} is not present (load it with 'buildtrust image build RECIPE --endpoint ...' or 'docker load'; no registry is contacted)"));
    }

    private static PinnedImage Mismatch(IContainerEngine engine, ImageReference pinned, ImageDescription found)
    {
        var has = found.RepoDigests.Count > 0 ? string.Join(", ", found.RepoDigests) : found.Id;
        return new PinnedImage(null, (BuildFailureKind.ImageMismatch,
            $"{engine.Endpoint}: the image there is {has}, but the policy pins {pinned.Digest}; refusing to build with it"));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// Runs the recipe once on one builder: checks the pinned image on its engine, creates a locked-down
/// container, copies the exported source to <c>/src</c>, runs the command in a writable copy, collects
/// <c>/out</c> through the engine API, and always removes the container (cancellation included).
/// </summary>
public sealed class BuilderRunner(BuilderDefinition builder, BuildRecipe recipe, BuildLimits limits)
{
    public const string OwnerLabel = "dev.buildtrust.owner";
    public const string BuilderLabel = "dev.buildtrust.builder";
    public const string InvocationLabel = "dev.buildtrust.invocation";
    private const long MaxLogBytes = 64L << 20;

    // Our lines come first, before the recipe runs, so the recipe cannot forge them (ParseWrapperLines stops at 'start').
    private const string Wrapper = """
        set -eu
        umask "$BUILDTRUST_UMASK"
        printf 'buildtrust: cpu %s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
        if [ -n "${BUILDTRUST_FAKETIME:-}" ]; then
          for lib in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
            if [ -f "$lib" ]; then export LD_PRELOAD="$lib" FAKETIME="$BUILDTRUST_FAKETIME" FAKETIME_DONT_RESET=1; break; fi
          done
          if [ -n "${LD_PRELOAD:-}" ]; then echo "buildtrust: time applied"; else echo "buildtrust: time unavailable (no libfaketime in the image)"; fi
        fi
        mkdir -p "$HOME" "$BUILDTRUST_WORKDIR"
        cp -Rp /src/. "$BUILDTRUST_WORKDIR/"
        cd "$BUILDTRUST_WORKDIR"
        unset BUILDTRUST_WORKDIR BUILDTRUST_UMASK BUILDTRUST_FAKETIME
        echo "buildtrust: start"
        exec "$@"
        """;

    public async Task<BuilderRunResult> RunAsync(IContainerEngine engine, ExportedSource source, string builderDirectory,
        IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(progress);
        var invocation = Guid.NewGuid().ToString("D");
        var started = DateTimeOffset.UtcNow;
        var plan = VariationPlan.For(builder);
        var artifactsDirectory = Path.Combine(builderDirectory, "artifacts");
        var logPath = Path.Combine(builderDirectory, "build.log");
        Directory.CreateDirectory(builderDirectory);
        if (Directory.Exists(artifactsDirectory)) Directory.Delete(artifactsDirectory, recursive: true);
        var log = new BuildLog(logPath, MaxLogBytes);
        BuilderFingerprint? fingerprint = null;
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        BuilderRunResult Result(BuildFailureKind? failure, string? message, IReadOnlyList<CollectedArtifact> artifacts)
        {
            progress.Report(new BuildProgress(builder.Id, failure is null ? BuildPhase.Finished : BuildPhase.Failed, message ?? log.Tail));
            return new BuilderRunResult(builder.Id, invocation, started, DateTimeOffset.UtcNow, failure, message, artifacts,
                artifactsDirectory, logPath, plan, notes, fingerprint);
        }

        string? containerId = null;
        try
        {
            progress.Report(new BuildProgress(builder.Id, BuildPhase.Connecting, null));
            var engineDescription = await engine.DescribeAsync(cancellationToken);
            await StaleContainers.RemoveAsync(engine, cancellationToken);

            progress.Report(new BuildProgress(builder.Id, BuildPhase.CheckingImage, recipe.Image.ToString()));
            var image = await PinnedImage.ResolveAsync(engine, recipe.Image, cancellationToken);
            if (image.Failure is { } imageFailure) return Result(imageFailure.Kind, imageFailure.Message, []);

            containerId = await engine.CreateContainerAsync(Spec(image.ImageId!, source, plan, invocation), cancellationToken);
            progress.Report(new BuildProgress(builder.Id, BuildPhase.CopyingSource, $"{source.FileCount} files"));
            await using (var tar = source.OpenRead()) await engine.CopyIntoAsync(containerId, "/src", tar, cancellationToken);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limits.Timeout);
            await engine.StartAsync(containerId, cancellationToken);
            progress.Report(new BuildProgress(builder.Id, BuildPhase.Building, null));
            long exitCode;
            try
            {
                await engine.FollowOutputAsync(containerId, async chunk =>
                {
                    await log.AppendAsync(chunk);
                    progress.Report(new BuildProgress(builder.Id, BuildPhase.Building, log.Tail));
                }, timeout.Token);
                exitCode = await engine.WaitAsync(containerId, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Result(BuildFailureKind.BuildFailed, $"the build did not finish within {limits.Timeout.TotalMinutes:0.#} minutes", []);
            }
            finally
            {
                await log.DisposeAsync();
            }
            var wrapperLines = log.WrapperLines;
            fingerprint = new BuilderFingerprint(engineDescription.ServerVersion, engineDescription.ApiVersion, engineDescription.KernelVersion,
                engineDescription.OperatingSystem, engineDescription.Architecture, wrapperLines.GetValueOrDefault("cpu", "unknown"),
                plan.CpuSet is null ? engineDescription.CpuCount : 1, image.ImageId!) { EngineId = engineDescription.EngineId, EngineHost = engineDescription.Host };
            if (wrapperLines.TryGetValue("time", out var time)) notes["time"] = time;
            if (exitCode != 0)
                return Result(BuildFailureKind.BuildFailed, $"the build command exited with code {exitCode} (see {logPath})", []);

            progress.Report(new BuildProgress(builder.Id, BuildPhase.Collecting, null));
            IReadOnlyList<CollectedArtifact> artifacts;
            try
            {
                await using var output = await engine.CopyOutAsync(containerId, "/out", cancellationToken);
                artifacts = await new OutputCollector(OutputGlob.Parse(recipe.Outputs)).CollectAsync(output, artifactsDirectory, cancellationToken);
            }
            catch (CollectionException e)
            {
                if (Directory.Exists(artifactsDirectory)) Directory.Delete(artifactsDirectory, recursive: true);
                return Result(BuildFailureKind.BuildFailed, $"output refused: {e.Message}", []);
            }
            if (artifacts.Count == 0) return Result(BuildFailureKind.BuildFailed, $"the build produced nothing that matches {string.Join(", ", recipe.Outputs)}", []);
            return Result(null, null, artifacts);
        }
        catch (ContainerEngineException e)
        {
            return Result(BuildFailureKind.Infrastructure, e.Message, []);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Result(BuildFailureKind.Cancelled, "cancelled", []);
        }
        finally
        {
            await log.DisposeAsync();
            if (containerId is not null) await RemoveQuietlyAsync(engine, containerId);
        }
    }

    private ContainerSpec Spec(string imageId, ExportedSource source, VariationPlan plan, string invocation)
    {
        var environment = new List<string>
        {
            $"SOURCE_DATE_EPOCH={source.SourceDateEpoch.ToString(CultureInfo.InvariantCulture)}",
            $"TZ={plan.Timezone}",
            $"LANG={plan.Locale}",
            $"LC_ALL={plan.Locale}",
            "HOME=/tmp/home",
            $"BUILDTRUST_WORKDIR={plan.WorkingDirectory}",
            $"BUILDTRUST_UMASK={plan.Umask}",
        };
        if (plan.FakeTime is not null) environment.Add($"BUILDTRUST_FAKETIME={plan.FakeTime}");
        var reserved = recipe.Environment.Keys.Where(name => name.StartsWith("BUILDTRUST_", StringComparison.Ordinal)
            || environment.Any(fixedValue => fixedValue.StartsWith(name + "=", StringComparison.Ordinal))).ToList();
        if (reserved.Count > 0)
            throw new BuildInputException($"build.env sets {string.Join(", ", reserved)}, which the builder sets itself (source date, variations)");
        environment.AddRange(recipe.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
        return new ContainerSpec(
            imageId,
            ["/bin/sh", "-c", Wrapper, "buildtrust-build", .. recipe.Command],
            environment,
            $"{plan.Uid}:{plan.Gid}",
            plan.Hostname,
            plan.Domain,
            "/",
            new Dictionary<string, string>
            {
                [OwnerLabel] = StaleContainers.OwnerValue,
                [BuilderLabel] = builder.Id,
                [InvocationLabel] = invocation,
            },
            ["/src", "/out", "/build"],
            new Dictionary<string, string> { ["/tmp"] = "rw,nosuid,nodev,mode=1777,size=2g" },
            limits.MemoryBytes,
            limits.Pids,
            plan.CpuSet);
    }

    private static async Task RemoveQuietlyAsync(IContainerEngine engine, string containerId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await engine.RemoveAsync(containerId, deadline.Token);
        }
        catch (Exception e) when (e is ContainerEngineException or OperationCanceledException)
        {
            Trace.TraceWarning($"container {containerId} could not be removed now: {e.Message}; the next build on this engine removes it");
        }
    }
}

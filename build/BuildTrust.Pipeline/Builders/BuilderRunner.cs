using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Verifiers.Policy;

namespace BuildTrust.Pipeline.Builders;

/// <summary>
/// Runs the recipe once on one builder: checks the pinned image on its engine, creates a locked-down
/// container with size-capped writable places and a lifetime the engine enforces, copies the exported source to
/// <c>/src</c>, runs the command in a writable copy, collects <c>/out</c> through the engine API while the
/// container still holds it, and always removes the container (cancellation included).
/// </summary>
public sealed class BuilderRunner
{
    public const string OwnerLabel = "dev.buildtrust.owner";
    public const string BuilderLabel = "dev.buildtrust.builder";
    public const string InvocationLabel = "dev.buildtrust.invocation";

    /// <summary>When the engine kills the container by itself (Unix seconds): <c>build.limits.time</c> after its creation, plus <see cref="EngineGrace"/>.</summary>
    public const string DeadlineLabel = "dev.buildtrust.deadline";

    /// <summary>
    /// BuildTrust stops a build at its time limit itself, with a clear message; the engine's watchdog fires this much
    /// later, for when BuildTrust is no longer there to do it.
    /// </summary>
    public static readonly TimeSpan EngineGrace = TimeSpan.FromSeconds(15);

    private const string OutputFolderName = "artifacts";

    // Shell builtins only, but for mkdir and cp before the recipe runs, so any image with a shell works. Our lines come first, before the
    // recipe runs, so the recipe cannot forge them (BuildLog stops reading untagged ones at 'start'); the later ones
    // carry a token the recipe can only read by going out of its way, and then only lie about itself. When the command
    // ends, kill(-1) stops every process of the build's user (the watchdog runs as another), so nothing writes to
    // /out during its collection; then the shell waits on stdin, holding the writable places (memory file systems,
    // gone when the container stops) until /out is collected and the container removed.
    private const string Wrapper = """
        set -u
        token="$BUILDTRUST_TOKEN"
        report() { printf '\nbuildtrust: %s %s %s\n' "$1" "$token" "$2"; }
        finish() {
          kill -s KILL -1 2>/dev/null
          if [ "$1" -ne 0 ]; then
            for place in /out /build /tmp; do
              (printf '%4096s' '' > "$place/.buildtrust-space-probe") 2>/dev/null || report full "$place"
            done
            for events in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control; do
              [ -r "$events" ] || continue
              while read -r key value; do
                if [ "$key" = oom_kill ]; then report oom-kills "$value"; fi
              done < "$events"
            done
          fi
          report finished "$1"
          read -r _
          exit 0
        }
        umask "$BUILDTRUST_UMASK"
        cpu=
        if [ -r /proc/cpuinfo ]; then
          while IFS=: read -r key value; do
            case "$key" in "model name"*) cpu="${value# }"; break ;; esac
          done < /proc/cpuinfo
        fi
        printf 'buildtrust: cpu %s\n' "$cpu"
        if [ -n "${BUILDTRUST_FAKETIME:-}" ]; then
          for lib in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1; do
            if [ -f "$lib" ]; then export LD_PRELOAD="$lib" FAKETIME="$BUILDTRUST_FAKETIME" FAKETIME_DONT_RESET=1; break; fi
          done
          if [ -n "${LD_PRELOAD:-}" ]; then echo "buildtrust: time applied"; else echo "buildtrust: time unavailable (no libfaketime in the image)"; fi
        fi
        if ! { mkdir -p "$HOME" "$BUILDTRUST_WORKDIR" && cp -Rp /src/. "$BUILDTRUST_WORKDIR/" && cd "$BUILDTRUST_WORKDIR"; }; then
          report setup-failed "-"
          finish 125
        fi
        unset BUILDTRUST_WORKDIR BUILDTRUST_UMASK BUILDTRUST_FAKETIME BUILDTRUST_TOKEN
        echo "buildtrust: start"
        "$@" </dev/null
        finish "$?"
        """;

    private static readonly Dictionary<string, string> PlaceLimits = new(StringComparer.Ordinal)
    {
        ["/out"] = "disk.out",
        ["/build"] = "disk.build (the working directory)",
        ["/tmp"] = "disk.tmp (also $HOME)",
    };

    private readonly BuilderDefinition builder;
    private readonly BuildRecipe recipe;
    private readonly BuildLimits limits;

    /// <param name="limits">Usually <c>recipe.Limits</c>; the command line may change the time.</param>
    public BuilderRunner(BuilderDefinition builder, BuildRecipe recipe, BuildLimits limits)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Problem() is { } problem) throw new ArgumentException($"build limits: {problem}", nameof(limits));
        (this.builder, this.recipe, this.limits) = (builder, recipe, limits);
    }

    public async Task<BuilderRunResult> RunAsync(IContainerEngine engine, ExportedSource source, string builderDirectory,
        IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(progress);
        var invocation = Guid.NewGuid().ToString("D");
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var started = DateTimeOffset.UtcNow;
        var plan = VariationPlan.For(builder);
        var artifactsDirectory = Path.Combine(builderDirectory, OutputFolderName);
        // Collected under another name and renamed when complete: a folder named 'artifacts' is never half-written.
        var partialDirectory = Path.Combine(builderDirectory, $".{OutputFolderName}.partial");
        var logPath = Path.Combine(builderDirectory, "build.log");
        Directory.CreateDirectory(builderDirectory);
        foreach (var stale in new[] { artifactsDirectory, partialDirectory })
        {
            if (Directory.Exists(stale)) Directory.Delete(stale, recursive: true);
        }
        var log = new BuildLog(logPath, limits.LogBytes, token);
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

            // The time limit counts from the container's creation, as the engine's watchdog does.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limits.Timeout);
            var lifetime = limits.Timeout + EngineGrace;
            containerId = await engine.CreateContainerAsync(Spec(image.ImageId!, source, plan, invocation, token, DateTimeOffset.UtcNow + lifetime, lifetime), cancellationToken);
            try
            {
                progress.Report(new BuildProgress(builder.Id, BuildPhase.CopyingSource, $"{source.FileCount} files"));
                await using (var tar = source.OpenRead()) await engine.CopyIntoAsync(containerId, "/src", tar, timeout.Token);
                progress.Report(new BuildProgress(builder.Id, BuildPhase.Building, null));
                await engine.StartAsync(containerId, async chunk =>
                {
                    await log.AppendAsync(chunk);
                    progress.Report(new BuildProgress(builder.Id, BuildPhase.Building, log.Tail));
                    return log.ExitStatus is null && !log.Overflowed;
                }, timeout.Token);
                await log.DisposeAsync();
                fingerprint = new BuilderFingerprint(engineDescription.ServerVersion, engineDescription.ApiVersion, engineDescription.KernelVersion,
                    engineDescription.OperatingSystem, engineDescription.Architecture, log.WrapperLines.GetValueOrDefault("cpu", "unknown"),
                    plan.CpuSet is null ? engineDescription.CpuCount : 1, image.ImageId!) { EngineId = engineDescription.EngineId, EngineHost = engineDescription.Host, EngineKind = engineDescription.Kind };
                if (log.WrapperLines.TryGetValue("time", out var time)) notes["time"] = time;
                if (log.Overflowed)
                    return Result(BuildFailureKind.BuildFailed, $"the build wrote more than {BuildLimits.Size(limits.LogBytes)} of output (build.limits.log) and was stopped; {logPath} holds the first {BuildLimits.Size(limits.LogBytes)}", []);
                // The output also ends when the engine dies; then that is the failure, not the build.
                if (log.ExitStatus is null) await engine.DescribeAsync(cancellationToken);
                if (log.ExitStatus is not { } status)
                    return Result(BuildFailureKind.BuildFailed, $"the build's container stopped before its command finished (its processes were killed, by the memory limit of {BuildLimits.Size(limits.MemoryBytes)} or by the build itself); nothing was collected (see {logPath})", []);
                if (status != 0) return Result(BuildFailureKind.BuildFailed, FailureMessage(status, log, logPath), []);

                progress.Report(new BuildProgress(builder.Id, BuildPhase.Collecting, null));
                IReadOnlyList<CollectedArtifact> artifacts;
                try
                {
                    await using var output = await engine.CopyOutAsync(containerId, "/out", timeout.Token);
                    artifacts = await new OutputCollector(OutputGlob.Parse(recipe.Outputs)).CollectAsync(output, partialDirectory, timeout.Token);
                }
                catch (CollectionException e)
                {
                    await engine.DescribeAsync(cancellationToken);   // an archive cut short by a dying engine is the engine's failure
                    return Result(BuildFailureKind.BuildFailed, $"output refused: {e.Message}", []);
                }
                if (artifacts.Count == 0) return Result(BuildFailureKind.BuildFailed, $"the build produced nothing that matches {string.Join(", ", recipe.Outputs)}", []);
                Directory.Move(partialDirectory, artifactsDirectory);
                return Result(null, null, artifacts);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Result(BuildFailureKind.BuildFailed, $"the build did not finish within {Duration(limits.Timeout)} (build.limits.time) and was stopped", []);
            }
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
            if (Directory.Exists(partialDirectory)) Directory.Delete(partialDirectory, recursive: true);
        }
    }

    private string FailureMessage(int status, BuildLog log, string logPath)
    {
        var what = log.SetupFailed ? "copying the source into the working directory failed" : $"the build command exited with code {status}";
        var causes = log.FullPlaces.Where(PlaceLimits.ContainsKey)
            .Select(place => $"{place} is full: the build reached its cap of {BuildLimits.Size(PlaceSize(place))} (build.limits.{PlaceLimits[place]})").ToList();
        if (log.OomKills > 0)
            causes.Add($"the kernel killed {log.OomKills} of its processes at the memory limit of {BuildLimits.Size(limits.MemoryBytes)} (build.limits.memory; files in /out, /build and /tmp count against it)");
        return causes.Count == 0 ? $"{what} (see {logPath})" : $"{what}: {string.Join("; ", causes)} (see {logPath})";
    }

    private long PlaceSize(string place) => place switch { "/out" => limits.OutBytes, "/build" => limits.BuildBytes, _ => limits.TmpBytes };

    private static string Duration(TimeSpan time) => time.TotalSeconds < 120
        ? $"{time.TotalSeconds:0} seconds"
        : $"{time.TotalMinutes:0.#} minutes";

    private ContainerSpec Spec(string imageId, ExportedSource source, VariationPlan plan, string invocation, string token, DateTimeOffset deadline, TimeSpan lifetime)
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
            $"BUILDTRUST_TOKEN={token}",
        };
        if (plan.FakeTime is not null) environment.Add($"BUILDTRUST_FAKETIME={plan.FakeTime}");
        var reserved = recipe.Environment.Keys.Where(name => name.StartsWith("BUILDTRUST_", StringComparison.Ordinal)
            || environment.Any(fixedValue => fixedValue.StartsWith(name + "=", StringComparison.Ordinal))).ToList();
        if (reserved.Count > 0)
            throw new BuildInputException($"build.env sets {string.Join(", ", reserved)}, which the builder sets itself (source date, variations)");
        environment.AddRange(recipe.Environment.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BuilderLabel] = builder.Id,
            [InvocationLabel] = invocation,
            [DeadlineLabel] = deadline.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        labels[OwnerLabel] = ProcessIdentity.Current?.ToString() ?? "unknown";
        return new ContainerSpec(
            imageId,
            ["/bin/sh", "-c", Wrapper, "buildtrust-build", .. recipe.Command],
            environment,
            $"{plan.Uid}:{plan.Gid}",
            plan.Hostname,
            plan.Domain,
            "/",
            labels,
            ["/src"],
            new Dictionary<string, long>(StringComparer.Ordinal) { ["/out"] = limits.OutBytes, ["/build"] = limits.BuildBytes, ["/tmp"] = limits.TmpBytes },
            limits.MemoryBytes,
            limits.Pids,
            plan.CpuSet,
            limits.LogBytes,
            lifetime);
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
            Trace.TraceWarning($"container {containerId} could not be removed now: {e.Message}; the engine removes it at its deadline, or the next build on this engine");
        }
    }
}

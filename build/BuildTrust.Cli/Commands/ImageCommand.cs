using System.CommandLine;
using System.Diagnostics;
using BuildTrust.Cli.Options;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;

namespace BuildTrust.Cli.Commands;

/// <summary><c>buildtrust image build RECIPE</c>: a builder image built reproducibly, loaded, its digest printed.</summary>
public static class ImageCommand
{
    public static Command Create(CliTerminal terminal)
    {
        var recipe = new Argument<string>("recipe") { Description = "The image recipe (YAML; see images/c-toolchain.yaml and images/dotnet-sdk.yaml)." };
        var output = new Option<string?>("--out") { Description = "Where to write the image archive (docker load format; default: artifacts/images/<name>.tar)." };
        var endpoints = new Option<string[]>("--endpoint")
        {
            Description = "Docker endpoints to load the image into (repeatable; unix:///path.sock, or tcp://host:port with --tls). Default: $DOCKER_HOST, else unix:///var/run/docker.sock.",
            AllowMultipleArgumentsPerToken = false,
        };
        var tls = new Option<string?>("--tls") { Description = "TLS folder (ca.pem, cert.pem, key.pem) for tcp:// endpoints." };
        var noLoad = new Option<bool>("--no-load") { Description = "Only write the archive; load nothing." };
        var build = new Command("build",
            "Build a builder image reproducibly: mmdebstrap with the recipe's SOURCE_DATE_EPOCH, the recipe's folders, and a deterministic " +
            "image archive, then load it into each endpoint and check the engine reports the same id. Prints the image id (sha256:...) to " +
            "stdout: pin it as build.image in the policy. Needs root (mmdebstrap) and the mmdebstrap package. A recipe is code run as root: every value must match its grammar and 'folders.from' must stay inside the recipe's folder. Exit 2 for a bad recipe, 1 when the archive is not the image it should be (altered before loading), 3 when an engine is unreachable.")
        {
            recipe, output, endpoints, tls, noLoad,
        };
        build.SetAction((parse, cancellationToken) => BuildAsync(terminal, new ImageBuildOptions(parse.GetValue(recipe)!, parse.GetValue(output),
            Endpoints(parse.GetValue(endpoints) ?? []), parse.GetValue(tls), parse.GetValue(noLoad)), cancellationToken));
        return new Command("image", "Builder images: build them reproducibly from Debian packages.") { build };
    }

    /// <summary>The engines to load into: those given, else $DOCKER_HOST, else the local socket.</summary>
    private static List<Uri> Endpoints(string[] given)
    {
        string[] targets = given.Length > 0 ? given : [Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock"];
        return [.. targets.Select(t => Uri.TryCreate(t, UriKind.Absolute, out var uri) ? uri : throw new CliInputException($"--endpoint '{t}' is not an engine URI (unix:///path.sock or tcp://host:port)"))];
    }

    public static async Task<int> BuildAsync(CliTerminal terminal, ImageBuildOptions options, CancellationToken cancellationToken)
    {
        var recipe = ImageRecipeLoader.Load(options.Recipe);
        var archive = options.Output ?? Path.Combine("artifacts", "images", recipe.Name.Replace('/', '-') + ".tar");
        var clock = Stopwatch.StartNew();
        try
        {
            var image = await Task.Run(() => ImageBuilder.Build(recipe, archive,
                step => terminal.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {step}"), cancellationToken), cancellationToken);
            await terminal.Error.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] wrote {image.ArchivePath} ({image.ArchiveBytes / (1 << 20)} MiB), image {image.Id}");
            if (!options.NoLoad)
            {
                foreach (var endpoint in options.Endpoints)
                {
                    await ImageLoader.LoadAsync(endpoint, options.Tls, image, cancellationToken);
                    await terminal.Error.WriteLineAsync($"[{clock.Elapsed:mm\\:ss}] loaded into {endpoint}: the engine reports {image.Id}");
                }
            }
            await terminal.Out.WriteLineAsync(image.Id);
            return ExitCodes.Passed;
        }
        catch (ImageArchiveException e)
        {
            // Not a fault of the input: the archive built or loaded is not the image it should be.
            await terminal.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.VerificationFailed;
        }
    }
}

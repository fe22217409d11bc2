using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Pipeline.Images;

namespace BuildTrust.Pipeline.Tests.Builders;

/// <summary>
/// A build container its caller abandons after starting it, and which fights removal: it kills every process it can see and
/// forks without end. Created with a 5-second lifetime, which only the engine side (watchdog, conmon) can enforce.
/// </summary>
internal static class AbandonedContainer
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    public static Task<string> CreateAsync(IContainerEngine engine, BuiltImage image, string builder) =>
        engine.CreateContainerAsync(new ContainerSpec(image.Id, ["bash", "-c", "echo started; kill -9 -1; (f() { f | f & }; f) & exec sleep 600"], [], "1000:1000",
            "abandoned", "", "/", new Dictionary<string, string>
            {
                [BuilderRunner.BuilderLabel] = builder,
                [BuilderRunner.OwnerLabel] = ProcessIdentity.Current!.ToString(),
                [BuilderRunner.InvocationLabel] = Guid.NewGuid().ToString(),
            }, [], new Dictionary<string, long> { ["/tmp"] = 1L << 20 }, 128L << 20, 64, null, 1L << 20, Lifetime), CancellationToken.None);
}

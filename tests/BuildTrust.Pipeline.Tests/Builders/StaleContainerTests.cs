using System.Diagnostics;
using System.Globalization;
using BuildTrust.Pipeline.Builders;
using BuildTrust.Pipeline.Containers;
using BuildTrust.Testing.Containers;

namespace BuildTrust.Pipeline.Tests.Builders;

/// <summary>
/// Who may remove a BuildTrust container: owners are identified by boot id, PID namespace, pid and start time, so a
/// live build seen from another PID namespace (CI runners sharing an engine) is never taken for a dead one; past its
/// deadline anyone may remove it. The owners here are real processes, including one in a PID namespace of its own.
/// </summary>
[Collection("engines")]
public sealed class StaleContainerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static Dictionary<string, string> Labels(ProcessIdentity owner, DateTimeOffset deadline) => new(StringComparer.Ordinal)
    {
        [BuilderRunner.OwnerLabel] = owner.ToString(),
        [BuilderRunner.DeadlineLabel] = deadline.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    private static ProcessIdentity Self => ProcessIdentity.Current ?? throw new InvalidOperationException("/proc cannot tell who this process is");

    /// <summary>A process that ran here and has exited, as its container label would name it.</summary>
    private static ProcessIdentity DeadOwner()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        var identity = ProcessIdentity.OfProcess(process.Id)!;
        process.Kill();
        process.WaitForExit();
        return identity;
    }

    /// <summary>
    /// A live process in a PID namespace of its own (unshare --pid), as it would label its containers: pid 1 there.
    /// Pid 1 here is another process, alive, with another start time: host-and-pid owners would call it dead.
    /// </summary>
    private static (Process Process, ProcessIdentity Identity) ForeignOwner()
    {
        var process = Process.Start(new ProcessStartInfo("unshare", ["--pid", "--fork", "--kill-child", "sleep", "300"]))!;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // unshare forks the sleep into the new namespace: its only child.
            var children = TryRead($"/proc/{process.Id}/task/{process.Id}/children").Trim();
            if (int.TryParse(children, out var child) && ProcessIdentity.OfProcess(child) is { } seen && seen.PidNamespace != Self.PidNamespace)
                return (process, seen with { Pid = 1 });
            Thread.Sleep(50);
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("the process in its own PID namespace did not appear");
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    [Fact]
    public void A_live_owner_in_this_pid_namespace_keeps_its_container_until_the_deadline()
    {
        Assert.Null(StaleContainers.Judge(Labels(Self, Now.AddMinutes(30)), Self, Now));
    }

    [Fact]
    public void A_container_whose_owner_here_has_exited_is_removed_before_its_deadline()
    {
        Assert.Equal("its owner has exited", StaleContainers.Judge(Labels(DeadOwner(), Now.AddMinutes(30)), Self, Now));
    }

    [Fact]
    public void A_reused_pid_is_not_the_owner()
    {
        Assert.Equal("its owner has exited", StaleContainers.Judge(Labels(Self with { StartTicks = Self.StartTicks + 1 }, Now.AddMinutes(30)), Self, Now));
    }

    [Fact]
    public void A_live_owner_in_another_pid_namespace_keeps_its_container_until_the_deadline_even_where_its_pid_names_another_process()
    {
        var (process, foreign) = ForeignOwner();
        try
        {
            Assert.NotEqual(Self.PidNamespace, foreign.PidNamespace);
            Assert.NotEqual(foreign.StartTicks, ProcessIdentity.OfProcess(1)?.StartTicks);
            Assert.Null(StaleContainers.Judge(Labels(foreign, Now.AddMinutes(30)), Self, Now));
            Assert.Equal("its deadline has passed", StaleContainers.Judge(Labels(foreign, Now.AddMinutes(-2)), Self, Now));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }

    [Fact]
    public void Past_its_deadline_and_the_grace_a_container_is_removed_whoever_owns_it()
    {
        Assert.Equal("its deadline has passed", StaleContainers.Judge(Labels(Self, Now.AddMinutes(-2)), Self, Now));
        Assert.Null(StaleContainers.Judge(Labels(Self with { PidNamespace = "1" }, Now.AddSeconds(-30)), Self, Now));
    }

    [Fact]
    public void A_container_with_an_owner_it_cannot_read_and_no_deadline_is_left_alone()
    {
        Assert.Null(StaleContainers.Judge(new Dictionary<string, string> { [BuilderRunner.OwnerLabel] = $"{Environment.MachineName}/{int.MaxValue - 7}" }, Self, Now));
    }

    [EngineFact]
    public async Task The_next_build_removes_containers_of_dead_owners_and_past_deadlines_and_keeps_live_ones_here_and_elsewhere()
    {
        var image = await TestImages.CToolchainAsync();
        using var engine = DockerContainerEngine.Connect(TestEngines.A, null);
        var (foreignProcess, foreign) = ForeignOwner();
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, owner, deadline) in new[]
            {
                ("live-here", Self, Now.AddMinutes(30)), ("dead-here", DeadOwner(), Now.AddMinutes(30)),
                ("live-elsewhere", foreign, Now.AddMinutes(30)), ("elsewhere-past-deadline", foreign, Now.AddMinutes(-2)),
            })
            {
                var labels = Labels(owner, deadline);
                labels[BuilderRunner.InvocationLabel] = $"stale-{name}";
                created[name] = await engine.CreateContainerAsync(new ContainerSpec(image.Id, ["true"], [], "1000:1000", name, "", "/", labels, [],
                    new Dictionary<string, long>(), 64L << 20, 64, null, 1L << 20, TimeSpan.FromMinutes(10)), CancellationToken.None);
            }

            using var harness = new BuilderHarness();
            using var repository = SampleRepository.Create("c-hello");
            using var source = SourceExporter.Export(repository.Path, "HEAD");
            var result = await harness.RunAsync(BuilderHarness.Builder("builder-a", TestEngines.A), BuilderHarness.Recipe(image.Id, ["sh", "-c", "echo ok > /out/ok"]), source);

            Assert.True(result.Succeeded, result.FailureMessage);
            async Task<int> CountAsync(string name) => (await engine.ListContainersAsync($"{BuilderRunner.InvocationLabel}=stale-{name}", CancellationToken.None)).Count;
            Assert.Equal(2, await CountAsync("live-here"));   // the container and its watchdog
            Assert.Equal(2, await CountAsync("live-elsewhere"));
            Assert.Equal(0, await CountAsync("dead-here"));
            Assert.Equal(0, await CountAsync("elsewhere-past-deadline"));
        }
        finally
        {
            foreach (var id in created.Values) await engine.RemoveAsync(id, CancellationToken.None);
            foreignProcess.Kill(entireProcessTree: true);
            foreignProcess.WaitForExit();
            foreignProcess.Dispose();
        }
    }
}

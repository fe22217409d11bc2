using BuildTrust.Testing.Git;
using BuildTrust.Testing.Ssh;

namespace BuildTrust.Testing.Containers;

/// <summary>A git repository holding one of <c>samples/</c> (copied, committed), as a project would.</summary>
public static class SampleRepository
{
    /// <summary>The sample, committed unsigned, or signed by <paramref name="signer"/> (for the source gate).</summary>
    public static TestRepository Create(string sample, ISigner? signer = null)
    {
        var repository = TestRepository.Create();
        var source = Path.Combine(TestImages.RepositoryRoot, "samples", sample);
        var target = Path.Combine(repository.Path, "samples", sample);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        repository.Git("add", "-A");
        if (signer is null) repository.Git("commit", "-q", "-m", $"{sample} sample");
        else repository.CommitSignedBy(signer, $"{sample} sample", file: "README.md", content: $"# {sample}\n");
        return repository;
    }
}

using BuildTrust.Testing.Git;

namespace BuildTrust.Testing.Containers;

/// <summary>A git repository holding one of <c>samples/</c> (copied, committed), as a project would.</summary>
public static class SampleRepository
{
    public static TestRepository Create(string sample, Action<string>? change = null)
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
        change?.Invoke(repository.Path);
        repository.Git("add", "-A");
        repository.Git("commit", "-q", "-m", $"{sample} sample");
        return repository;
    }
}

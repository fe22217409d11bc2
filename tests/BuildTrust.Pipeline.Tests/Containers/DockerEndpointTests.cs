using BuildTrust.Pipeline.Containers;
using BuildTrust.Testing.Containers;
using BuildTrust.Testing.Tools;

namespace BuildTrust.Pipeline.Tests.Containers;

[Collection("engines")]
public sealed class DockerEndpointTests
{
    private static string TlsDirectory => Environment.GetEnvironmentVariable("BUILDTRUST_TEST_TLS_DIR")!;

    private static Uri TlsEngine => new(Environment.GetEnvironmentVariable("BUILDTRUST_TEST_TLS_ENGINE")!);

    [EngineFact]
    public async Task A_remote_engine_is_reached_over_mutual_tls()
    {
        using var engine = DockerContainerEngine.Connect(TlsEngine, TlsDirectory);
        var description = await engine.DescribeAsync(CancellationToken.None);
        Assert.NotEmpty(description.ServerVersion);
    }

    [EngineFact]
    public async Task A_remote_engine_whose_certificate_is_not_from_the_folders_ca_is_refused()
    {
        using var other = new TemporaryDirectory("buildtrust-tls-");
        foreach (var name in new[] { "cert.pem", "key.pem" }) File.Copy(Path.Combine(TlsDirectory, name), other.Combine(name));
        using (var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=another CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(other.Combine("ca.pem"), ca.ExportCertificatePem());
        }
        using var engine = DockerContainerEngine.Connect(TlsEngine, other.Path);
        await Assert.ThrowsAsync<ContainerEngineException>(() => engine.DescribeAsync(CancellationToken.None));
    }

    [Fact]
    public void Plain_tcp_without_a_tls_folder_is_refused()
    {
        var error = Assert.Throws<ContainerEngineException>(() => DockerContainerEngine.Connect(new Uri("tcp://127.0.0.1:2375"), null));
        Assert.Contains("plain TCP is refused", error.Message);
    }

    [Fact]
    public void A_tls_folder_without_its_files_is_refused_by_name()
    {
        using var empty = new TemporaryDirectory("buildtrust-tls-");
        var error = Assert.Throws<ContainerEngineException>(() => DockerContainerEngine.Connect(new Uri("tcp://127.0.0.1:2376"), empty.Path));
        Assert.Contains("ca.pem is missing", error.Message);
    }

    [Fact]
    public void Other_schemes_are_refused()
    {
        Assert.Throws<ContainerEngineException>(() => DockerContainerEngine.Connect(new Uri("http://127.0.0.1:2375"), null));
    }

    [Fact]
    public async Task An_unreachable_engine_is_an_infrastructure_error()
    {
        using var engine = DockerContainerEngine.Connect(new Uri("unix:///nonexistent/docker.sock"), null);
        var error = await Assert.ThrowsAsync<ContainerEngineException>(() => engine.DescribeAsync(CancellationToken.None));
        Assert.Contains("unix:///nonexistent/docker.sock", error.Message);
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using Docker.DotNet.X509;

namespace BuildTrust.Pipeline.Containers;

/// <summary>
/// A Docker endpoint as <c>DOCKER_HOST</c> names it: <c>unix:///path/docker.sock</c>, or <c>tcp://host:port</c>
/// with a TLS folder holding <c>ca.pem</c>, <c>cert.pem</c> and <c>key.pem</c> (as <c>DOCKER_CERT_PATH</c>).
/// Plain TCP without TLS is refused: anyone on the network could then run the build.
/// </summary>
public static class DockerEndpoint
{
    private static readonly Version ApiVersion = new(1, 41);

    public static DockerClient Connect(Uri endpoint, string? tlsDirectory)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        switch (endpoint.Scheme)
        {
            case "unix":
                if (tlsDirectory is not null) throw new ContainerEngineException($"{endpoint}: a TLS folder applies to tcp:// endpoints only");
                return new DockerClientConfiguration(endpoint, defaultTimeout: TimeSpan.FromMinutes(5)).CreateClient(ApiVersion);
            case "tcp":
                if (tlsDirectory is null) throw new ContainerEngineException($"{endpoint}: a tcp:// endpoint needs a TLS folder (ca.pem, cert.pem, key.pem); plain TCP is refused");
                var https = new UriBuilder(endpoint) { Scheme = "https" }.Uri;
                return new DockerClientConfiguration(https, Credentials(endpoint, tlsDirectory), TimeSpan.FromMinutes(5)).CreateClient(ApiVersion);
            default:
                throw new ContainerEngineException($"{endpoint}: unsupported endpoint scheme '{endpoint.Scheme}' (use unix:// or tcp:// with TLS)");
        }
    }

    private static CertificateCredentials Credentials(Uri endpoint, string tlsDirectory)
    {
        string PathOf(string name)
        {
            var path = Path.Combine(tlsDirectory, name);
            return File.Exists(path) ? path : throw new ContainerEngineException($"{endpoint}: {path} is missing (the TLS folder needs ca.pem, cert.pem, key.pem)");
        }
        X509Certificate2 authority, client;
        try
        {
            authority = X509CertificateLoader.LoadCertificateFromFile(PathOf("ca.pem"));
            using var ephemeral = X509Certificate2.CreateFromPemFile(PathOf("cert.pem"), PathOf("key.pem"));
            // SslStream on Linux needs a key it can export to its own store; a PKCS#12 round trip gives one.
            client = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ContainerEngineException($"{endpoint}: the TLS files in {tlsDirectory} cannot be read: {e.Message}", e);
        }
        return new CertificateCredentials(client)
        {
            ServerCertificateValidationCallback = (_, certificate, _, errors) => IsIssuedBy(certificate, authority, errors),
        };
    }

    /// <summary>The server must present a certificate for the endpoint's host name that chains to the folder's ca.pem, and to nothing else.</summary>
    private static bool IsIssuedBy(X509Certificate? presented, X509Certificate2 authority, SslPolicyErrors errors)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0) return false;
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}

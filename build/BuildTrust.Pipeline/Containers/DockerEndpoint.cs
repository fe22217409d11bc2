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
        var (client, authority) = LoadTls(endpoint, tlsDirectory);
        return new CertificateCredentials(client)
        {
            ServerCertificateValidationCallback = (_, certificate, _, errors) => IsIssuedBy(certificate, authority, errors),
        };
    }

    /// <summary>
    /// An HTTP handler for the engine's own API next to Docker's (Podman's libpod endpoints), reaching the endpoint exactly as
    /// <see cref="Connect"/> does: the unix socket, or TCP with the same mutual TLS. Requests go to <c>http://engine/</c>.
    /// </summary>
    public static HttpMessageHandler Handler(Uri endpoint, string? tlsDirectory)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        switch (endpoint.Scheme)
        {
            case "unix":
                var socket = endpoint.LocalPath;
                return new SocketsHttpHandler
                {
                    ConnectCallback = async (_, cancellationToken) =>
                    {
                        var client = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                        try
                        {
                            await client.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket), cancellationToken);
                            return new System.Net.Sockets.NetworkStream(client, ownsSocket: true);
                        }
                        catch
                        {
                            client.Dispose();
                            throw;
                        }
                    },
                };
            case "tcp" when tlsDirectory is not null:
                var (certificate, authority) = LoadTls(endpoint, tlsDirectory);
                var host = endpoint.Host;
                var port = endpoint.Port;
                return new SocketsHttpHandler
                {
                    ConnectCallback = async (_, cancellationToken) =>
                    {
                        var tcp = new System.Net.Sockets.TcpClient();
                        try
                        {
                            await tcp.ConnectAsync(host, port, cancellationToken);
                            var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, presented, _, errors) => IsIssuedBy(presented, authority, errors));
                            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                            {
                                TargetHost = host,
                                ClientCertificates = [certificate],
                            }, cancellationToken);
                            return ssl;
                        }
                        catch
                        {
                            tcp.Dispose();
                            throw;
                        }
                    },
                };
            default:
                throw new ContainerEngineException($"{endpoint}: unsupported endpoint (use unix://, or tcp:// with a TLS folder)");
        }
    }

    private static (X509Certificate2 Client, X509Certificate2 Authority) LoadTls(Uri endpoint, string tlsDirectory)
    {
        string PathOf(string name)
        {
            var path = Path.Combine(tlsDirectory, name);
            return File.Exists(path) ? path : throw new ContainerEngineException($"{endpoint}: {path} is missing (the TLS folder needs ca.pem, cert.pem, key.pem)");
        }
        try
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(PathOf("ca.pem"));
            using var ephemeral = X509Certificate2.CreateFromPemFile(PathOf("cert.pem"), PathOf("key.pem"));
            // SslStream on Linux needs a key it can export to its own store; a PKCS#12 round trip gives one.
            return (X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null), authority);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ContainerEngineException($"{endpoint}: the TLS files in {tlsDirectory} cannot be read: {e.Message}", e);
        }
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

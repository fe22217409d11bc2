using BuildTrust.Verifiers.Evidence;
using Org.BouncyCastle.X509;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary><c>trust</c>: the attestation roots (vendor CAs) hardware evidence must chain to.</summary>
internal static class TrustSection
{
    public static IReadOnlyList<X509Certificate> Read(PolicyReading reading, YamlNode node)
    {
        var f = reading.Fields;
        var roots = new List<X509Certificate>();
        foreach (var (keyNode, value) in f.Mapping(node, "trust").Children)
        {
            if (f.Key(keyNode) != "attestation-roots") throw f.Unknown(keyNode, f.Key(keyNode), "attestation-roots");
            var list = f.Sequence(value, "attestation-roots");
            if (list.Children.Count == 0) throw f.Error(value, "'attestation-roots' is empty");
            foreach (var item in list.Children)
            {
                var bytes = reading.ReadFile(item, "an attestation root");
                try
                {
                    roots.AddRange(KeyAttestationVerifier.ReadCertificates(bytes, reading.Describe(f.String(item, "an attestation root"))));
                }
                catch (AttestationFormatException e)
                {
                    throw f.Error(item, e.Message);
                }
            }
        }
        return roots;
    }
}

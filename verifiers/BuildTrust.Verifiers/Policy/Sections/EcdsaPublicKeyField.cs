using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace BuildTrust.Verifiers.Policy.Sections;

/// <summary>A policy field naming an ECDSA P-256 public key in a PEM file (builder keys, the release key).</summary>
internal static class EcdsaPublicKeyField
{
    /// <summary>The key's SubjectPublicKeyInfo (DER).</summary>
    public static byte[] Read(PolicyReading reading, YamlNode node, string what, string whose)
    {
        var bytes = reading.ReadFile(node, what);
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(Encoding.ASCII.GetString(bytes));
            if (ecdsa.KeySize != 256) throw reading.Fields.Error(node, $"{whose} must be an ECDSA P-256 public key; this one has {ecdsa.KeySize} bits");
            return ecdsa.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw reading.Fields.Error(node, $"not a PEM ECDSA P-256 public key: {e.Message}");
        }
    }
}

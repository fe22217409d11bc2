using BuildTrust.Verifiers;
using System.Formats.Asn1;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace BuildTrust.Pipeline.Signing;

/// <summary>
/// An ECDSA P-256 key on a PKCS#11 token (a YubiKey through ykcs11, an HSM, SoftHSM2). Only digests go in;
/// the private key is never read (not even asked for). One session per signer, used under a lock.
/// </summary>
public sealed class Pkcs11DigestSigner : IDigestSigner
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private static readonly Pkcs11InteropFactories Factories = new();
    // One loaded module per path, shared by the signers that use it and finalized with the last of them:
    // C_Initialize may run only once per process, and some modules (SoftHSM2) list tokens only at C_Initialize.
    private static readonly Dictionary<string, (IPkcs11Library Library, int Users)> Modules = new(StringComparer.Ordinal);
    private static readonly Lock ModulesGate = new();
    private readonly ISession session;
    private readonly IObjectHandle key;
    private readonly Lock gate = new();

    static Pkcs11DigestSigner()
    {
        // Pkcs11Interop asks for "libdl", which glibc 2.34+ only ships as libdl.so.2.
        NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, (name, assembly, path) =>
            name == "libdl" ? NativeLibrary.Load("libdl.so.2", assembly, path) : IntPtr.Zero);
    }

    private readonly string module;

    private Pkcs11DigestSigner(string module, ISession session, IObjectHandle key, byte[] publicKey, Pkcs11Uri uri)
    {
        this.module = module;
        this.session = session;
        this.key = key;
        SubjectPublicKeyInfo = publicKey;
        Description = uri.ToString();
    }

    public byte[] SubjectPublicKeyInfo { get; }

    public bool IsHardware => true;

    public string Description { get; }

    public static Pkcs11DigestSigner Open(Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var module = uri.ModulePath ?? throw new SigningKeyException(FaultKind.BadInput, $"{uri}: give module-path (for example /usr/lib/softhsm/libsofthsm2.so or libykcs11.so)");
        var library = Acquire(module, uri);
        try
        {
            var slot = FindSlot(library, uri);
            var session = slot.OpenSession(SessionType.ReadOnly);
            try
            {
                var pin = uri.ReadPin() ?? throw new SigningKeyException(FaultKind.BadInput, $"{uri}: no PIN (pin-source=file:..., or BUILDTRUST_PKCS11_PIN)");
                try
                {
                    session.Login(CKU.CKU_USER, pin);
                }
                catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
                {
                }
                var privateKey = FindOne(session, uri, CKO.CKO_PRIVATE_KEY);
                var parameters = session.GetAttributeValue(privateKey, [CKA.CKA_KEY_TYPE, CKA.CKA_EC_PARAMS, CKA.CKA_SIGN, CKA.CKA_ALWAYS_AUTHENTICATE]);
                if (parameters[0].GetValueAsUlong() != (ulong)CKK.CKK_EC || Oid(parameters[1].GetValueAsByteArray()) != P256Oid)
                    throw new SigningKeyException(FaultKind.BadInput, $"{uri}: the key is not ECDSA P-256");
                if (!parameters[2].GetValueAsBool()) throw new SigningKeyException(FaultKind.BadInput, $"{uri}: the key may not sign (CKA_SIGN is false)");
                // A key that wants the PIN again for every signature (YubiKey PIV slot 9c) needs a context-specific login between
                // C_SignInit and C_Sign, which the high-level API cannot do: say so instead of failing on the first signature.
                if (!parameters[3].CannotBeRead && parameters[3].GetValueAsBool())
                    throw new SigningKeyException(FaultKind.BadInput, $"{uri}: the key requires the PIN for every signature (CKA_ALWAYS_AUTHENTICATE, e.g. YubiKey PIV slot 9c); use a key whose PIN policy is 'once' (e.g. slot 9a)");
                var publicKey = PublicKey(session, FindOne(session, uri, CKO.CKO_PUBLIC_KEY), uri);
                return new Pkcs11DigestSigner(module, session, privateKey, publicKey, uri);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is not Pkcs11Exception)
        {
            Release(module);
            throw;
        }
        catch (Pkcs11Exception e)
        {
            Release(module);
            var kind = e.RV is CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_DEVICE_REMOVED or CKR.CKR_DEVICE_ERROR or CKR.CKR_SLOT_ID_INVALID
                ? FaultKind.Infrastructure : FaultKind.BadInput;
            var reason = e.RV switch
            {
                CKR.CKR_PIN_INCORRECT => "wrong PIN",
                CKR.CKR_PIN_LOCKED => "the PIN is locked",
                _ => e.RV.ToString(),
            };
            throw new SigningKeyException(kind, $"{uri}: {reason}", e);
        }
    }

    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != 32) throw new ArgumentException("a SHA-256 digest is 32 bytes", nameof(sha256Digest));
        byte[] raw;
        lock (gate) raw = session.Sign(Factories.MechanismFactory.Create(CKM.CKM_ECDSA), key, sha256Digest.ToArray());
        if (raw.Length != 64) throw new SigningKeyException(FaultKind.BadInput, $"{Description}: the token returned a {raw.Length}-byte signature, not P-256 r||s");
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        var der = ToDer(raw);
        // A token that signs with a different key than it reports would produce unverifiable releases: check every signature.
        if (!verifier.VerifyHash(sha256Digest, der, DSASignatureFormat.Rfc3279DerSequence))
            throw new SigningKeyException(FaultKind.BadInput, $"{Description}: the token's signature does not verify with its public key");
        return der;
    }

    public void Dispose()
    {
        lock (gate)
        {
            try
            {
                session.Logout();
            }
            catch (Pkcs11Exception)
            {
            }
            session.Dispose();
        }
        Release(module);
    }

    private static IPkcs11Library Acquire(string module, Pkcs11Uri uri)
    {
        lock (ModulesGate)
        {
            if (Modules.TryGetValue(module, out var loaded))
            {
                Modules[module] = (loaded.Library, loaded.Users + 1);
                return loaded.Library;
            }
            try
            {
                var library = Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, module, AppType.MultiThreaded);
                Modules[module] = (library, 1);
                return library;
            }
            catch (Exception e) when (e is UnmanagedException or DllNotFoundException or BadImageFormatException or Pkcs11Exception or TargetInvocationException)
            {
                throw new SigningKeyException(FaultKind.Infrastructure, $"{uri}: the PKCS#11 module {module} cannot be loaded: {e.GetBaseException().Message}", e);
            }
        }
    }

    private static void Release(string module)
    {
        lock (ModulesGate)
        {
            if (!Modules.TryGetValue(module, out var loaded)) return;
            if (loaded.Users > 1)
            {
                Modules[module] = (loaded.Library, loaded.Users - 1);
                return;
            }
            Modules.Remove(module);
            loaded.Library.Dispose();
        }
    }

    private static ISlot FindSlot(IPkcs11Library library, Pkcs11Uri uri)
    {
        var matches = library.GetSlotList(SlotsType.WithTokenPresent).Where(slot =>
        {
            var token = slot.GetTokenInfo();
            return Matches(uri, "token", token.Label) && Matches(uri, "manufacturer", token.ManufacturerId)
                && Matches(uri, "serial", token.SerialNumber) && Matches(uri, "model", token.Model);
        }).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new SigningKeyException(FaultKind.Infrastructure, $"{uri}: no token present matches (is it plugged in?)"),
            _ => throw new SigningKeyException(FaultKind.BadInput, $"{uri}: {matches.Count} tokens match; add token=, serial= or model= to pick one"),
        };
    }

    private static bool Matches(Pkcs11Uri uri, string attribute, string value) =>
        !uri.Path.TryGetValue(attribute, out var wanted) || wanted == value.TrimEnd(' ', '\0');

    private static IObjectHandle FindOne(ISession session, Pkcs11Uri uri, CKO type)
    {
        var template = new List<IObjectAttribute> { Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, type) };
        if (uri.Object is { } label) template.Add(Factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, label));
        if (uri.Id is { } id) template.Add(Factories.ObjectAttributeFactory.Create(CKA.CKA_ID, id));
        var found = session.FindAllObjects(template);
        var what = type == CKO.CKO_PRIVATE_KEY ? "private key" : "public key";
        return found.Count switch
        {
            1 => found[0],
            0 => throw new SigningKeyException(FaultKind.BadInput, $"{uri}: no {what} with that label/id on the token"),
            _ => throw new SigningKeyException(FaultKind.BadInput, $"{uri}: {found.Count} {what}s match; add id= to pick one"),
        };
    }

    private static byte[] PublicKey(ISession session, IObjectHandle handle, Pkcs11Uri uri)
    {
        var attributes = session.GetAttributeValue(handle, [CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT]);
        if (Oid(attributes[0].GetValueAsByteArray()) != P256Oid) throw new SigningKeyException(FaultKind.BadInput, $"{uri}: the public key is not P-256");
        var point = attributes[1].GetValueAsByteArray();
        try
        {
            // CKA_EC_POINT is a DER OCTET STRING around the uncompressed point (some modules omit the wrapper).
            if (point.Length != 65) point = AsnDecoder.ReadOctetString(point, AsnEncodingRules.DER, out _);
            if (point.Length != 65 || point[0] != 4) throw new SigningKeyException(FaultKind.BadInput, $"{uri}: the public key is not an uncompressed P-256 point");
            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            return key.ExportSubjectPublicKeyInfo();
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            throw new SigningKeyException(FaultKind.BadInput, $"{uri}: the public key cannot be read: {e.Message}", e);
        }
    }

    private static string? Oid(byte[] parameters)
    {
        try
        {
            return AsnDecoder.ReadObjectIdentifier(parameters, AsnEncodingRules.DER, out _);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0) start++;
        return value[start..];
    }

    private static byte[] ToDer(byte[] raw)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(0, 32)));
            writer.WriteIntegerUnsigned(Minimal(raw.AsSpan(32, 32)));
        }
        return writer.Encode();
    }
}

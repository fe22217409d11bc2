using BuildTrust.Verifiers;
using BuildTrust.Pipeline.Signing;

namespace BuildTrust.Pipeline.Tests.Signing;

public sealed class Pkcs11UriTests
{
    [Fact]
    public void A_uri_with_path_and_query_attributes_parses_and_decodes_percent_escapes()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=My%20Token;object=release-2026;id=%01%02?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:/run/pin");
        Assert.Equal("My Token", uri.Token);
        Assert.Equal("release-2026", uri.Object);
        Assert.Equal([1, 2], uri.Id);
        Assert.Equal("/usr/lib/softhsm/libsofthsm2.so", uri.ModulePath);
    }

    [Fact]
    public void A_pin_value_never_appears_in_the_text_or_in_errors()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=t;object=o?module-path=/m.so&pin-value=secret123");
        Assert.DoesNotContain("secret123", uri.ToString(), StringComparison.Ordinal);
        var error = Assert.Throws<SigningKeyException>(() => Pkcs11Uri.Parse("pkcs11:token=t;colour=red?pin-value=secret123"));
        Assert.DoesNotContain("secret123", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pkcs11:token=a;token=b;object=o", "given twice")]
    [InlineData("pkcs11:token=a;colour=red;object=o", "unknown attribute 'colour'")]
    [InlineData("pkcs11:token=a", "names no key")]
    [InlineData("pkcs11:token=a;object=o?pin-value=1&pin-source=file:/p", "both pin-source and pin-value")]
    [InlineData("pkcs11:token=a;object=o%2", "malformed percent escape")]
    [InlineData("pkcs11:token=a;object=o;type=public", "type must be 'private'")]
    [InlineData("pkcs11:token=a;object=with space", "must be percent-encoded")]
    [InlineData("pkcs11:token", "is not name=value")]
    public void Malformed_uris_are_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<SigningKeyException>(() => Pkcs11Uri.Parse(text));
        Assert.Equal(FaultKind.BadInput, error.Kind);
        Assert.Contains(reason, error.Message);
    }
}

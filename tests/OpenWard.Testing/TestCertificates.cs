using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenWard.Testing;

/// <summary>Client certificates of the kind devices and interface engines carry: self-signed, pinned by the server.</summary>
public static class TestCertificates
{
    /// <summary>A fresh self-signed certificate with its private key, valid for a month.</summary>
    public static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenWard.Server.Devices;

/// <summary>
/// A pinned client certificate is known by the SHA-256 of its DER encoding (lower-case hex): the
/// connection must present exactly that certificate. Pinning, not a chain of trust, because device
/// and interface-engine certificates are often self-signed.
/// </summary>
public static class CertificatePin
{
    /// <summary>The fingerprint a pin is compared with.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>The fingerprint of a PEM-encoded certificate, or null when the text is not one.</summary>
    public static string? FingerprintOfPem(string certificatePem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            return Fingerprint(certificate);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether the connection presented the pinned certificate.</summary>
    public static bool IsPresented(string pinned, X509Certificate2? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Fingerprint(presented)), System.Text.Encoding.ASCII.GetBytes(pinned));
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenWard.Server.Hosting;

/// <summary>
/// The TLS certificate for HTTPS and MQTT over TLS: a configured PFX (<c>OpenWard:Tls:CertificatePath</c>
/// and <c>…:CertificatePassword</c>) or, by default, a self-signed one generated once and kept in
/// the data directory.
/// </summary>
public static class ServerCertificate
{
    private const string FileName = "server-certificate.pfx";
    private const string PublicFileName = "server-certificate.pem";

    /// <summary>Loads the configured certificate, or the generated one (creating it on first use).</summary>
    public static X509Certificate2 Load(IConfiguration configuration, string dataPath)
    {
        var configured = configuration["OpenWard:Tls:CertificatePath"];
        if (!string.IsNullOrEmpty(configured))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(configured, configuration["OpenWard:Tls:CertificatePassword"]);
        }

        var path = Path.Combine(dataPath, FileName);
        if (!File.Exists(path))
        {
            DataDirectory.WriteOwnerOnly(path, CreateSelfSigned());
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);

        // The public certificate alone, for devices and tools to trust (e.g. mosquitto_pub --cafile).
        var publicPath = Path.Combine(dataPath, PublicFileName);
        if (!File.Exists(publicPath))
        {
            // Public, but the data directory holds nothing others may read: copy it out to share it.
            DataDirectory.WriteOwnerOnly(publicPath, System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        }

        return certificate;
    }

    private static byte[] CreateSelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=OpenWard", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddDnsName(Environment.MachineName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
        return certificate.Export(X509ContentType.Pkcs12);
    }
}

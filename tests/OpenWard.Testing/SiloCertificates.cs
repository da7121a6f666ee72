using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenWard.Testing;

/// <summary>
/// A certificate authority for a test cluster's silos, made by the test, and the nodes' certificates it
/// issues: what an operator deploys for silo TLS (docs/security.md), in miniature. <see cref="Cluster"/>
/// issues the certificates of every <see cref="ClusterNode"/>; a new authority gives a node the others do not trust.
/// </summary>
public sealed class SiloCertificates
{
    private readonly X509Certificate2 authority;

    /// <summary>A new authority named <paramref name="name"/>.</summary>
    public SiloCertificates(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        authority = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
    }

    /// <summary>The authority of the test clusters' nodes.</summary>
    public static SiloCertificates Cluster { get; } = new("OpenWard test cluster authority");

    /// <summary>
    /// Issues node <paramref name="node"/>'s certificate (for server and client authentication), writes it with its
    /// key as <c>silo-certificate.pfx</c> in <paramref name="directory"/> and the authority's as <c>silo-authority.pem</c>,
    /// and returns the settings that give them to the node.
    /// </summary>
    public string[] IssueFor(string node, string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=openward-node-{node}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(authority, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));
        using var withKey = issued.CopyWithPrivateKey(key);
        var certificatePath = Path.Combine(directory, "silo-certificate.pfx");
        var authorityPath = Path.Combine(directory, "silo-authority.pem");
        File.WriteAllBytes(certificatePath, withKey.Export(X509ContentType.Pkcs12));
        File.WriteAllText(authorityPath, authority.ExportCertificatePem());
        return [$"--OpenWard:Orleans:Tls:CertificatePath={certificatePath}", $"--OpenWard:Orleans:Tls:CaCertificatePath={authorityPath}"];
    }
}

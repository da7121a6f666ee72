using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OpenWard.Server.Cluster;

/// <summary>
/// Whether the node at the other end of a silo connection is one of the cluster's: its certificate is
/// one of the pinned ones, or chains to one of the configured authorities (and neither is out of date).
/// The system's own trust store and the name in the certificate play no part — silos reach each other
/// by address, and a public authority's certificate is no proof of being a node. Each refusal is logged
/// with the certificate's subject and fingerprint, so that a node left out can be told from a stranger.
/// </summary>
public sealed partial class SiloPeerTrust(
    X509Certificate2Collection authorities, IReadOnlySet<string> pinned, string direction, TimeProvider clock, ILogger logger)
{
    /// <summary>The trust <paramref name="settings"/> describe, for connections in <paramref name="direction"/> (<c>from</c> or <c>to</c> another node).</summary>
    public static SiloPeerTrust From(SiloTlsSettings settings, string direction, TimeProvider clock, ILogger logger)
    {
        var authorities = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(settings.CaCertificatePath))
        {
            authorities.ImportFromPemFile(settings.CaCertificatePath);
        }

        var pinned = settings.TrustedThumbprints.Select(Normalise).ToHashSet(StringComparer.Ordinal);
        return new SiloPeerTrust(authorities, pinned, direction, clock, logger);
    }

    /// <summary>The check for Orleans' TLS connections: true to go on with the connection.</summary>
    public bool Accepts(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var now = clock.GetUtcNow().UtcDateTime;
        string reason;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            reason = $"not valid now (valid from {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u})";
        }
        else if (pinned.Contains(thumbprint) || IssuedByAuthority(certificate, chain))
        {
            return true;
        }
        else
        {
            reason = "neither issued by an authority in OpenWard:Orleans:Tls:CaCertificatePath nor in OpenWard:Orleans:Tls:TrustedThumbprints";
        }

        LogRefused(logger, direction, certificate.Subject, thumbprint, reason);
        return false;
    }

    private bool IssuedByAuthority(X509Certificate2 certificate, X509Chain? presented)
    {
        if (authorities.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        // Intermediate authorities the other node sent with its certificate.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate);
    }

    private static string Normalise(string thumbprint) =>
        new([.. thumbprint.Where(char.IsAsciiHexDigit).Select(char.ToUpperInvariant)]);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused a silo connection {Direction} another node: its certificate {Subject} (SHA-256 {Thumbprint}) is {Reason}, so it cannot be part of this cluster")]
    private static partial void LogRefused(ILogger logger, string direction, string subject, string thumbprint, string reason);
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace OpenWard.Server.Cluster;

/// <summary>
/// Mutual TLS on a cluster node's silo and gateway ports (Orleans' <c>Microsoft.Orleans.Connections.Security</c>):
/// the node's certificate on both sides of every connection, the other node's checked by <see cref="SiloPeerTrust"/>.
/// A cluster without it is refused at start, except on loopback when <c>AllowPlainOnLoopback</c> says so.
/// </summary>
public static partial class SiloTls
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// The node's silo certificate, or none where plain silo traffic is allowed (loopback, and said so);
    /// throws, saying what to set, where a cluster would otherwise run its silo traffic in clear.
    /// </summary>
    public static X509Certificate2? Certificate(IConfiguration configuration, SiloTlsSettings settings, IPAddress advertised)
    {
        if (!settings.HasTrust)
        {
            if (settings.AllowPlainOnLoopback && IPAddress.IsLoopback(advertised))
            {
                return null;
            }

            throw new InvalidOperationException(settings.AllowPlainOnLoopback
                ? $"OpenWard:Orleans:Tls:AllowPlainOnLoopback allows plain silo traffic on a loopback address only, and this node advertises {advertised}: configure silo TLS (docs/security.md, \"Between the nodes\")."
                : "A cluster's silos carry patients' data between the nodes: set OpenWard:Orleans:Tls:CaCertificatePath (the authority that issues the nodes' certificates) or OpenWard:Orleans:Tls:TrustedThumbprints (the nodes' certificates), and the node's certificate (OpenWard:Orleans:Tls:CertificatePath, or OpenWard:Tls:CertificatePath) — docs/security.md, \"Between the nodes\".");
        }

        var (path, password) = string.IsNullOrWhiteSpace(settings.CertificatePath)
            ? (configuration["OpenWard:Tls:CertificatePath"], configuration["OpenWard:Tls:CertificatePassword"])
            : (settings.CertificatePath, settings.CertificatePassword);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                "Silo TLS needs the node's certificate: set OpenWard:Orleans:Tls:CertificatePath (or OpenWard:Tls:CertificatePath) to a PFX with its private key.");
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"The silo certificate {path} has no private key.");
        }

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Select(o => o.Value).ToList();
        if (usages.Count > 0 && !(usages.Contains(ServerAuthentication) && usages.Contains(ClientAuthentication)))
        {
            throw new InvalidOperationException(
                $"The silo certificate {path} must allow both server and client authentication (extended key usages {ServerAuthentication} and {ClientAuthentication}): each node is the server of some silo connections and the client of others.");
        }

        return certificate;
    }

    /// <summary>Puts mutual TLS on the silo's connections: inbound from other silos and gateway clients, and outbound to other silos.</summary>
    public static void Use(ISiloBuilder orleans, X509Certificate2 certificate, SiloTlsSettings settings)
    {
        orleans.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(Options(connection, certificate, settings, "from")));
            connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(Options(connection, certificate, settings, "from")));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(Options(connection, certificate, settings, "to")));
        });
    }

    /// <summary>Leaves the silo's connections plain, saying so loudly when the silo starts (allowed on loopback only).</summary>
    public static void UsePlain(ISiloBuilder orleans) =>
        orleans.Services.AddOptions<SiloConnectionOptions>()
            .Configure<ILoggerFactory>((_, loggers) => LogPlain(loggers.CreateLogger(typeof(SiloTls).FullName!)));

    private static TlsOptions Options(IConnectionBuilder connection, X509Certificate2 certificate, SiloTlsSettings settings, string direction)
    {
        var services = connection.ApplicationServices;
        var trust = SiloPeerTrust.From(settings, direction, services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger<SiloPeerTrust>());
        return new TlsOptions
        {
            LocalCertificate = certificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = trust.Accepts,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Silo traffic between the cluster's nodes is NOT encrypted (OpenWard:Orleans:Tls:AllowPlainOnLoopback, on a loopback address): for trying a cluster on one machine, never for a ward")]
    private static partial void LogPlain(ILogger logger);
}

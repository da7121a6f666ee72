using System.Net;
using Orleans.Configuration;
using Orleans.Runtime;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Cluster;

/// <summary>
/// Puts the node's Orleans silo in place: alone on loopback (the embedded default), or, with
/// <c>OpenWard:Cluster:Enabled</c>, in a cluster whose membership and reminders are kept by Orleans'
/// ADO.NET providers in the store's PostgreSQL database, its silo and gateway connections under mutual
/// TLS (<see cref="SiloTls"/>).
/// </summary>
public static class ClusterSetup
{
    private const string ServiceId = "openward";

    /// <summary>Adds the silo: one on its own, or one member of the cluster.</summary>
    public static WebApplicationBuilder AddSilo(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<ClusterSettings>(ClusterSettings.Section);
        var cluster = ValidatedOptions.Read<ClusterSettings>(builder.Configuration, ClusterSettings.Section);
        var silo = OpenWardOptions.From(builder.Configuration).Orleans;
        builder.Services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Membership, (_, _) => new MembershipClock());
        if (!cluster.Enabled)
        {
            builder.UseOrleans(orleans => orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort, serviceId: ServiceId, clusterId: ServiceId));
            return builder;
        }

        var store = ValidatedOptions.Read<StoreOptions>(builder.Configuration, StoreOptions.Section);
        if (!store.IsPostgreSql)
        {
            throw new InvalidOperationException(
                "OpenWard:Cluster:Enabled needs a store the nodes share: set OpenWard:Store:Provider=postgresql and OpenWard:Store:ConnectionString.");
        }

        if (!IPAddress.TryParse(silo.AdvertisedAddress, out var advertised))
        {
            throw new InvalidOperationException(
                $"OpenWard:Orleans:AdvertisedAddress must be an IP address the other nodes reach this node on, not \"{silo.AdvertisedAddress}\".");
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{Protection.EncryptionOptions.Section}:{nameof(Protection.EncryptionOptions.KeyEncryptionKey)}"]))
        {
            throw new InvalidOperationException(
                "OpenWard:Cluster:Enabled needs OpenWard:Encryption:KeyEncryptionKey, the same on every node (a key file in one node's data directory cannot unseal what another node stored).");
        }

        var tls = ValidatedOptions.Read<SiloTlsSettings>(builder.Configuration, SiloTlsSettings.Section);
        var certificate = SiloTls.Certificate(builder.Configuration, tls, advertised);
        builder.Services.AddFeatureSchema(OrleansTablesSchema.Definition);
        var orleansConnections = PostgreSqlConnections.For(store.ConnectionString!, "OpenWard Orleans", PostgreSqlConnections.OrleansPoolSize).ConnectionString;
        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.Name;
                options.ServiceId = ServiceId;
            });
            orleans.ConfigureEndpoints(advertised, silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: false);
            orleans.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = orleansConnections;
            });
            orleans.UseAdoNetReminderService(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = orleansConnections;
            });
            if (certificate is null)
            {
                SiloTls.UsePlain(orleans);
            }
            else
            {
                SiloTls.Use(orleans, certificate, tls);
            }
        });
        return builder;
    }
}

using System.Security.Cryptography;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// Two OpenWard processes on one fresh PostgreSQL database, with the ward set up through node a, shared
/// by the tests of a class; each fixture says how its nodes start (<see cref="StartNodesAsync"/>).
/// </summary>
public abstract class TwoNodeCluster : IAsyncLifetime
{
    private PostgreSqlDatabase? database;

    /// <summary>The database the nodes share.</summary>
    public PostgreSqlDatabase Database => database ?? throw new InvalidOperationException("not started");

    /// <summary>The first node, through which the ward was set up.</summary>
    public ClusterNode A { get; protected set; } = null!;

    /// <summary>The second node.</summary>
    public ClusterNode B { get; protected set; } = null!;

    /// <summary>The ward, set up through node a.</summary>
    public ClusterWard Ward { get; protected set; } = null!;

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        database = await PostgreSqlDatabase.CreateAsync();
        await StartNodesAsync(database, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        Ward?.Dispose();
        if (B is not null)
        {
            await B.DisposeAsync();
        }

        if (A is not null)
        {
            await A.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>Starts <see cref="A"/> and <see cref="B"/> on the database with the key-encryption key, and sets <see cref="Ward"/> up.</summary>
    protected abstract Task StartNodesAsync(PostgreSqlDatabase store, string keyEncryptionKey);
}

using System.Text.Json;
using OpenWard.Server.Access;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// On the first start, creates an administrator API client and writes its credentials to
/// <c>bootstrap-credentials.json</c> in the data directory (owner-only), so that the operator and the
/// CLI can sign in and create everything else. Of nodes sharing a store, only the first to start makes
/// one, and only its data directory holds the file.
/// </summary>
public static partial class BootstrapCredentials
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "bootstrap-credentials.json";

    /// <summary>Turn taken while the identity store's first clients are made, so that nodes starting at once make them once.</summary>
    internal const string Turn = "identity-bootstrap";

    /// <summary>Creates the administrator client if no client exists yet, and says where its credentials were written.</summary>
    public static async Task EnsureAsync(ApiClients clients, ClinicalDatabase database, string dataPath, ILogger logger, CancellationToken cancellationToken)
    {
        // The clients are in the identity store; the turn is taken in the clinical store, which every node shares
        // with it on PostgreSQL (on SQLite one process alone writes, and takes the turn by writing at all).
        var administrator = await database.WriteAsync(async connection =>
        {
            await database.TakeTurnAsync(connection, Turn, cancellationToken);
            return await clients.AnyAsync(cancellationToken)
                ? null
                : await clients.CreateAsync("Bootstrap administrator", ClientRoles.Administrator, cancellationToken);
        }, cancellationToken);
        if (administrator is null)
        {
            return;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(
            new { clientId = administrator.ClientId, clientSecret = administrator.ClientSecret },
            new JsonSerializerOptions { WriteIndented = true });
        var path = Path.Combine(dataPath, FileName);
        DataDirectory.WriteOwnerOnly(path, json);
        // Where the file is, never what it holds: the secret stays out of the log.
        LogWritten(logger, Path.GetFullPath(path));
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Bootstrap administrator API client written to {Path} (owner-only): the CLI signs in with it")]
    private static partial void LogWritten(ILogger logger, string path);
}

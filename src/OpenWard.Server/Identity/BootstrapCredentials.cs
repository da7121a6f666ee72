using System.Text.Json;
using OpenWard.Server.Access;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Identity;

/// <summary>
/// On the first start, creates an administrator API client and writes its credentials to
/// <c>bootstrap-credentials.json</c> in the data directory (owner-only), so that the operator and the
/// CLI can sign in and create everything else.
/// </summary>
public static class BootstrapCredentials
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "bootstrap-credentials.json";

    /// <summary>Creates the administrator client if no client exists yet.</summary>
    public static async Task EnsureAsync(ApiClients clients, string dataPath, CancellationToken cancellationToken)
    {
        if (await clients.AnyAsync(cancellationToken))
        {
            return;
        }

        var administrator = await clients.CreateAsync("Bootstrap administrator", ClientRoles.Administrator, cancellationToken);
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new { clientId = administrator.ClientId, clientSecret = administrator.ClientSecret },
            new JsonSerializerOptions { WriteIndented = true });
        DataDirectory.WriteOwnerOnly(Path.Combine(dataPath, FileName), json);
    }
}

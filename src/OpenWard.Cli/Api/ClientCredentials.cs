using System.Text.Json;

namespace OpenWard.Cli.Api;

/// <summary>
/// The API client the CLI signs in as: <c>OPENWARD_CLIENT_ID</c> / <c>OPENWARD_CLIENT_SECRET</c> from
/// the environment, or the server's <c>bootstrap-credentials.json</c> in the directory given with <c>--data</c>.
/// </summary>
public sealed record ClientCredentials(string ClientId, string ClientSecret)
{
    /// <summary>Finds credentials, or explains where they are expected.</summary>
    public static ClientCredentials Resolve(string? dataDirectory)
    {
        var id = Environment.GetEnvironmentVariable("OPENWARD_CLIENT_ID");
        var secret = Environment.GetEnvironmentVariable("OPENWARD_CLIENT_SECRET");
        if (!string.IsNullOrEmpty(id) && !string.IsNullOrEmpty(secret))
        {
            return new ClientCredentials(id, secret);
        }

        var directory = dataDirectory ?? "data";
        var path = Path.Combine(directory, "bootstrap-credentials.json");
        if (!File.Exists(path))
        {
            throw new CliException(
                $"no API credentials: set OPENWARD_CLIENT_ID and OPENWARD_CLIENT_SECRET, or pass --data with the server's data directory (looked for {path})");
        }

        using var file = JsonDocument.Parse(File.ReadAllText(path));
        return new ClientCredentials(
            file.RootElement.GetProperty("clientId").GetString()!,
            file.RootElement.GetProperty("clientSecret").GetString()!);
    }
}

using System.Text.Json;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Demo;

/// <summary>
/// <c>demo-credentials.json</c> in the data directory (owner-only): the demo API client, users and
/// devices, for scripts and the CLI.
/// </summary>
public sealed record DemoCredentials
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "demo-credentials.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The demo API client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>The demo API client secret.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>Demo sign-ins for people: a clinician and a nurse on the demo ward, an administrator, and one patient.</summary>
    public required IReadOnlyList<DemoUser> Users { get; init; }

    /// <summary>The simulated devices with their secrets and patients.</summary>
    public required IReadOnlyList<DemoDevice> Devices { get; init; }

    /// <summary>Reads the file, or returns null when the ward has not been seeded.</summary>
    public static DemoCredentials? Read(string dataPath)
    {
        var path = Path.Combine(dataPath, FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<DemoCredentials>(File.ReadAllText(path), Json) : null;
    }

    /// <summary>Writes the file, readable by its owner only.</summary>
    public void Write(string dataPath) =>
        DataDirectory.WriteOwnerOnly(Path.Combine(dataPath, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));
}

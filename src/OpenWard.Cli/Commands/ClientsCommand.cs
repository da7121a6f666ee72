using System.CommandLine;
using System.Text.Json;
using OpenWard.Cli.Api;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward clients add NAME [--role integration|administrator] [--jwks FILE [--scope SCOPE]…]</c>.</summary>
public static class ClientsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "What the client is, e.g. \"Ward EHR interface\"" };
        var role = new Option<string>("--role") { Description = "integration (read clinical data) or administrator", DefaultValueFactory = _ => "integration" };
        var jwks = new Option<FileInfo?>("--jwks")
        {
            Description = "A SMART backend service: the JSON Web Key Set of the public keys it signs its token requests with (no secret is made)",
        };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "With --jwks: a SMART scope it may be granted, e.g. system/Observation.rs (repeat for more; system/*.rs when none)",
        };
        var add = new Command("add", "Create an API client; its secret is printed once (none for a backend service registered with --jwks)")
        {
            name, role, jwks, scopes,
        };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync("/api/v1/clients",
            new
            {
                name = parse.GetValue(name),
                role = parse.GetValue(role),
                jwks = parse.GetValue(jwks) is { } file ? ReadKeySet(file) : (JsonElement?)null,
                scopes = parse.GetValue(scopes) is { Length: > 0 } granted ? granted : null,
            }, ct)));
        return new Command("clients", "API clients (OAuth 2 client credentials, or SMART backend services with their keys)") { add };
    }

    private static JsonElement ReadKeySet(FileInfo file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file.FullName));
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the key set {file.FullName}: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new CliException($"{file.FullName} is not JSON (line {e.LineNumber + 1}): give the service's public JSON Web Key Set");
        }
    }
}

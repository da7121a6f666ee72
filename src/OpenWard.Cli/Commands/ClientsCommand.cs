using System.CommandLine;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward clients add NAME [--role integration|administrator]</c>.</summary>
public static class ClientsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "What the client is, e.g. \"Ward EHR interface\"" };
        var role = new Option<string>("--role") { Description = "integration (read clinical data) or administrator", DefaultValueFactory = _ => "integration" };
        var add = new Command("add", "Create an API client; its secret is printed once") { name, role };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync("/api/v1/clients",
            new { name = parse.GetValue(name), role = parse.GetValue(role) }, ct)));
        return new Command("clients", "API clients (OAuth 2 client credentials)") { add };
    }
}

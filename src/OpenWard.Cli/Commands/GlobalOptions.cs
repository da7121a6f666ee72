using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using OpenWard.Cli.Api;

namespace OpenWard.Cli.Commands;

/// <summary>Options every command takes, and how a command reaches the API and prints its answer.</summary>
public static class GlobalOptions
{
    /// <summary>The OpenWard server's HTTP address.</summary>
    public static readonly Option<string> Server = new("--server")
    {
        Description = "OpenWard server address",
        DefaultValueFactory = _ => "http://127.0.0.1:5080",
        Recursive = true,
    };

    /// <summary>The server's data directory, where bootstrap-credentials.json is read.</summary>
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "The server's data directory (its bootstrap-credentials.json is used unless OPENWARD_CLIENT_ID/SECRET are set)",
        Recursive = true,
    };

    // Output goes to a terminal or a script, not into HTML: print "+00:00", not "\u002B00:00".
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Signs in to the server the options name.</summary>
    public static OpenWardApi Connect(ParseResult parse)
    {
        var server = parse.GetValue(Server);
        if (!Uri.TryCreate(server, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"--server must be an http:// or https:// address, not \"{server}\"");
        }

        return new OpenWardApi(address, ClientCredentials.Resolve(parse.GetValue(Data)));
    }

    /// <summary>Asks for JSON output instead of text, for the commands that print text.</summary>
    public static readonly Option<bool> Json = new("--json") { Description = "Print the server's JSON instead of text" };

    /// <summary>Runs a call against the API, prints its JSON, and turns failures into an exit code.</summary>
    public static Task<int> PrintAsync(ParseResult parse, Func<OpenWardApi, Task<JsonElement>> call) => ShowAsync(parse, call, text: null);

    /// <summary>
    /// Runs a call against the API and prints its answer: as text through <paramref name="text"/> when
    /// there is one and <c>--json</c> was not given, as JSON otherwise; failures become an exit code.
    /// </summary>
    public static async Task<int> ShowAsync(ParseResult parse, Func<OpenWardApi, Task<JsonElement>> call, Action<JsonElement, TextWriter>? text)
    {
        try
        {
            using var api = Connect(parse);
            var result = await call(api);
            if (text is not null && !parse.GetValue(Json))
            {
                text(result, Console.Out);
                return 0;
            }

            // An answer without a body (204) prints as an empty object, so scripts can always parse the output.
            Console.Out.WriteLine(result.ValueKind == JsonValueKind.Undefined ? "{}" : JsonSerializer.Serialize(result, Indented));
            return 0;
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"openward: {e.Message}");
            return 1;
        }
    }
}

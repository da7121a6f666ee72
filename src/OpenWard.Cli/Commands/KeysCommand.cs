using System.CommandLine;
using System.Globalization;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward keys rotate --data DIR</c>: retires the token signing key now (for example after a
/// suspected leak). The server makes a new key at its next start and keeps trusting the retired one
/// for two days, longer than any token lives; the file naming is the server's (TokenKeys).
/// </summary>
public static class KeysCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var rotate = new Command("rotate", "Retire the token signing key in DATA; restart the server to sign with a new one");
        rotate.SetAction(parse =>
        {
            var directory = parse.GetValue(GlobalOptions.Data) ?? "data";
            var current = Path.Combine(directory, "token-signing-key.pem");
            if (!File.Exists(current))
            {
                Console.Error.WriteLine($"openward: no signing key at {current} (give the server's data directory with --data)");
                return 1;
            }

            var retired = Path.Combine(directory, $"token-signing-key.retired-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.pem");
            File.Move(current, retired);
            Console.Out.WriteLine($$"""{"retired":"{{Path.GetFileName(retired)}}","next":"restart the server: it signs with a new key and still accepts tokens signed with the retired one for two days"}""");
            return 0;
        });
        return new Command("keys", "Token signing keys") { rotate };
    }
}

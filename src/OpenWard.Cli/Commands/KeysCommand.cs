using System.CommandLine;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward keys rotate</c>: retires the token signing key now (for example after a suspected leak),
/// through the server, for every node sharing its store. The key that signs from now on was published
/// at the last rotation, so every node already trusts it; the retired key still validates for two
/// days, longer than any token lives.
/// </summary>
public static class KeysCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var rotate = new Command("rotate", "Retire the token signing key: the next one signs at once, on every node; tokens signed before stay valid");
        rotate.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync("/api/v1/token-keys/rotate", null, ct)));
        return new Command("keys", "Token signing keys") { rotate };
    }
}

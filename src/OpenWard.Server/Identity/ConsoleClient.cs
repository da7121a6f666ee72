using OpenIddict.Abstractions;
using OpenWard.Server.Gateway;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Identity;

/// <summary>
/// The web console's registration with OpenWard's OpenID Connect server: a public client (it keeps
/// no secret) that signs people in with the authorization code flow and PKCE, and refreshes their
/// short-lived access tokens. Its redirect URIs are its callback on each of the server's own listeners
/// (<see cref="CallbackUris"/>) and those of <c>OpenWard:SignIn:ConsoleRedirectUris</c>.
/// </summary>
public static class ConsoleClient
{
    /// <summary>The console's client id.</summary>
    public const string ClientId = "openward-console";

    /// <summary>
    /// The console's callback on each of the server's own listeners, so that it signs people in with
    /// no set-up: by the address as configured, and by <c>localhost</c> and this machine's name where
    /// the listener is on loopback or on every interface.
    /// </summary>
    public static IReadOnlyList<string> CallbackUris(IConfiguration configuration)
    {
        var uris = new List<string>();
        foreach (var url in NetworkListeners.ApiUrls(configuration))
        {
            var address = BindingAddress.Parse(url);
            var hosts = address.Host switch
            {
                "0.0.0.0" or "*" or "+" or "[::]" => ["localhost", Environment.MachineName.ToLowerInvariant()],
                "127.0.0.1" => ["127.0.0.1", "localhost"],
                var host => new[] { host },
            };
            foreach (var host in hosts)
            {
                uris.Add($"{address.Scheme}://{host}:{address.Port}{WebConsole.CallbackPath}");
            }
        }

        return uris;
    }

    /// <summary>Registers the console, or brings its redirect URIs up to date; without redirect URIs no console may sign in.</summary>
    public static Task EnsureAsync(
        IOpenIddictApplicationManager applications, ClinicalDatabase database, IReadOnlyList<string> redirectUris, CancellationToken cancellationToken) =>
        // In turn with other nodes starting at once (see BootstrapCredentials): one looks, then creates, before the next looks.
        database.WriteAsync(async connection =>
        {
            await database.TakeTurnAsync(connection, BootstrapCredentials.Turn, cancellationToken);
            await RegisterAsync(applications, redirectUris, cancellationToken);
        }, cancellationToken);

    private static async Task RegisterAsync(IOpenIddictApplicationManager applications, IReadOnlyList<string> redirectUris, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(ClientId, cancellationToken);
        if (redirectUris.Count == 0)
        {
            if (existing is not null)
            {
                await applications.DeleteAsync(existing, cancellationToken);
            }

            return;
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientType = ClientTypes.Public,
            DisplayName = "OpenWard console",
            ConsentType = ConsentTypes.Implicit,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Roles,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in redirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        if (existing is null)
        {
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }
}

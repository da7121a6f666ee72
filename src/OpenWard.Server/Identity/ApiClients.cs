using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Identity;

/// <summary>API clients (OAuth 2 client-credentials) and the role each holds.</summary>
public sealed class ApiClients(IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens)
{
    /// <summary>The application property holding the client's role.</summary>
    public const string RoleProperty = "openward_role";

    /// <summary>The application property holding the SMART scopes a backend service may be granted.</summary>
    public const string SmartScopesProperty = "openward_smart_scopes";

    /// <summary>Creates a client and returns its id and secret; the secret is stored hashed and never shown again.</summary>
    public async Task<ApiClientCredentials> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        var clientId = NewClientId();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        descriptor.Properties[RoleProperty] = JsonSerializer.SerializeToElement(role);
        await applications.CreateAsync(descriptor, cancellationToken);
        return new ApiClientCredentials(clientId, secret, name, role);
    }

    /// <summary>
    /// Registers a backend service: a client with no secret, which signs its token requests with a key of
    /// <paramref name="keys"/> (SMART Backend Services), and may be granted <paramref name="smartScopes"/>.
    /// </summary>
    public async Task<BackendServiceRegistration> CreateBackendServiceAsync(
        string name, string role, JsonWebKeySet keys, IReadOnlyList<string> smartScopes, CancellationToken cancellationToken)
    {
        var clientId = NewClientId();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientType = ClientTypes.Confidential,
            DisplayName = name,
            JsonWebKeySet = keys,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        descriptor.Properties[RoleProperty] = JsonSerializer.SerializeToElement(role);
        descriptor.Properties[SmartScopesProperty] = JsonSerializer.SerializeToElement(smartScopes);
        await applications.CreateAsync(descriptor, cancellationToken);
        return new BackendServiceRegistration(clientId, name, role, smartScopes, [.. keys.Keys.Select(k => k.Kid ?? "")]);
    }

    /// <summary>A client's name, role and SMART scopes, or null when the client is unknown.</summary>
    public async Task<ApiClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null)
        {
            return null;
        }

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        var role = properties.TryGetValue(RoleProperty, out var value) ? value.GetString() : null;
        var name = await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId;
        IReadOnlyList<string> smartScopes = properties.TryGetValue(SmartScopesProperty, out var scopes)
            ? [.. scopes.EnumerateArray().Select(s => s.GetString() ?? "")]
            : [];
        return role is null ? null : new ApiClient(name, role, smartScopes);
    }

    /// <summary>Deletes a client and revokes every token it holds, at once; false when there is no such client.</summary>
    public async Task<bool> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null || clientId == ConsoleClient.ClientId)
        {
            return false;
        }

        await tokens.RevokeByApplicationIdAsync((await applications.GetIdAsync(application, cancellationToken))!, cancellationToken);
        await applications.DeleteAsync(application, cancellationToken);
        return true;
    }

    private static string NewClientId() => "client-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether any client exists yet.</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken) =>
        await applications.CountAsync(cancellationToken) > 0;
}

using System.Security.Cryptography;
using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Identity;

/// <summary>API clients (OAuth 2 client-credentials) and the role each holds.</summary>
public sealed class ApiClients(IOpenIddictApplicationManager applications, IOpenIddictTokenManager tokens)
{
    /// <summary>The application property holding the client's role.</summary>
    public const string RoleProperty = "openward_role";

    /// <summary>Creates a client and returns its id and secret; the secret is stored hashed and never shown again.</summary>
    public async Task<ApiClientCredentials> CreateAsync(string name, string role, CancellationToken cancellationToken)
    {
        var clientId = "client-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
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

    /// <summary>The role of a client, or null when the client is unknown.</summary>
    public async Task<(string Name, string Role)?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null)
        {
            return null;
        }

        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        var role = properties.TryGetValue(RoleProperty, out var value) ? value.GetString() : null;
        var name = await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId;
        return role is null ? null : (name, role);
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

    /// <summary>Whether any client exists yet.</summary>
    public async Task<bool> AnyAsync(CancellationToken cancellationToken) =>
        await applications.CountAsync(cancellationToken) > 0;
}

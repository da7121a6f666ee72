namespace OpenWard.Server.People;

/// <summary>
/// An external OpenID Connect provider (Keycloak, Entra ID, …) whose access tokens OpenWard accepts
/// instead of, or beside, its own (<c>OpenWard:SignIn:External:…</c>). Roles and care teams stay in
/// OpenWard: a token is mapped to the OpenWard account with the same user name.
/// </summary>
public sealed class ExternalIdentityOptions
{
    /// <summary>The provider's issuer URL (its discovery document is read from there); unset: no external provider.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience OpenWard's tokens carry at that provider (e.g. the API's client id).</summary>
    public string? Audience { get; set; }

    /// <summary>The claim holding the user name matched to an OpenWard account.</summary>
    public string UserNameClaim { get; set; } = "preferred_username";

    /// <summary>Whether the discovery document must be fetched over HTTPS (turn off only for a provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

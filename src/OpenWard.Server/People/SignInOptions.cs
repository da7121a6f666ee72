using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.People;

/// <summary>Sign-in for people (<c>OpenWard:SignIn</c>).</summary>
/// <remarks>The section's <c>BreakGlassMinutes</c> is break-glass's own setting (<see cref="Access.BreakGlassOptions"/>).</remarks>
public sealed class SignInOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:SignIn";

    /// <summary>Consecutive failed sign-ins after which an account is locked.</summary>
    [Range(3, 100)]
    public int LockoutAfterFailures { get; set; } = 5;

    /// <summary>How long a locked account stays locked (fractions of a minute are allowed).</summary>
    [Range(0.01, 1440)]
    public double LockoutMinutes { get; set; } = 15;

    /// <summary>How long a person's access token lives; the console renews it with its refresh token.</summary>
    public TimeSpan PersonAccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a sign-in lasts, from the moment the password was entered: the sign-in cookie and the refresh
    /// token expire then, however often the token is refreshed.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Sign-in form posts accepted per network address per minute (slows password guessing across many accounts).</summary>
    [Range(1, 10000)]
    public int SignInAttemptsPerMinute { get; set; } = 20;

    /// <summary>Token requests accepted per network address per minute.</summary>
    [Range(1, 100000)]
    public int TokenRequestsPerMinute { get; set; } = 120;

    /// <summary>Days after which the token signing key is replaced (the old one keeps validating for two days).</summary>
    [Range(1, 3650)]
    public int SigningKeyDays { get; set; } = 90;

    /// <summary>
    /// How often each node reads the token keys from the store, rotating the signing key when it is due:
    /// a rotation made on another node reaches this one within this time.
    /// </summary>
    [Range(1, 3600)]
    public int TokenKeyRefreshSeconds { get; set; } = 60;

    /// <summary>
    /// The address that names this service in the tokens it issues (e.g. <c>https://openward.hospital.example/</c>,
    /// the load balancer's). Unset, a token names the address it was requested at, and a node reached at
    /// another address refuses it; set, every node of a cluster issues and accepts tokens under this one name.
    /// </summary>
    [Url]
    public string? Issuer { get; set; }

    /// <summary>An external OpenID Connect provider whose tokens are accepted too (off unless its authority is set).</summary>
    public ExternalIdentityOptions External { get; set; } = new();

    /// <summary>Where the web console may receive authorization codes (its redirect URIs, absolute).</summary>
    public string[] ConsoleRedirectUris { get; set; } = [];
}

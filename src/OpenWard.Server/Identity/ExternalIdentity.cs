using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Validation.AspNetCore;
using OpenWard.Server.Access;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// Accepting an external OpenID Connect provider's access tokens: a bearer token issued by the
/// configured authority is validated against its published keys and audience, then mapped to the
/// OpenWard account with the same user name — whose role, care teams, lockout and disabled state
/// apply exactly as for OpenWard's own tokens. A token for a person without an account gets no role
/// and is refused. OpenWard's own tokens keep working beside it.
/// </summary>
public static class ExternalIdentity
{
    /// <summary>The scheme that validates the external provider's tokens.</summary>
    public const string Scheme = "OpenWard.External";

    /// <summary>The scheme that picks OpenWard's own validation or the external one by the token's issuer.</summary>
    public const string BearerScheme = "OpenWard.Bearer";

    private const string MappedClaim = "openward_mapped";

    /// <summary>Adds the external scheme when an authority is configured; returns the default scheme to use.</summary>
    public static string AddExternalIdentity(this AuthenticationBuilder authentication, ExternalIdentityOptions external)
    {
        if (string.IsNullOrEmpty(external.Authority))
        {
            return OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        }

        var issuer = external.Authority.TrimEnd('/');
        authentication.AddJwtBearer(Scheme, jwt =>
        {
            jwt.Authority = external.Authority;
            jwt.Audience = external.Audience;
            jwt.RequireHttpsMetadata = external.RequireHttpsMetadata;
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters.AuthenticationType = Scheme;
            jwt.Events = new JwtBearerEvents
            {
                // Browsers' hub connections carry the token in the query string.
                OnMessageReceived = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
            };
        });
        authentication.AddPolicyScheme(BearerScheme, "OpenWard or external bearer token", policy =>
            policy.ForwardDefaultSelector = context => IsExternal(context, issuer) ? Scheme : OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        authentication.Services.AddTransient<IClaimsTransformation, ExternalAccountMapping>();
        return BearerScheme;
    }

    // OpenWard's own access tokens are encrypted (five parts); an external provider's are signed JWTs whose issuer can be read.
    private static bool IsExternal(HttpContext context, string issuer)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : context.Request.Query["access_token"].ToString();
        if (token.Count(c => c == '.') != 2)
        {
            return false;
        }

        try
        {
            return string.Equals(new JsonWebToken(token).Issuer.TrimEnd('/'), issuer, StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Replaces an external token's identity with the matching OpenWard account's.</summary>
    private sealed class ExternalAccountMapping(UserDirectory users, Microsoft.Extensions.Options.IOptions<SignInOptions> options) : IClaimsTransformation
    {
        public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var external = options.Value.External;
            if (principal.Identity is not ClaimsIdentity { AuthenticationType: Scheme } identity || principal.HasClaim(c => c.Type == MappedClaim))
            {
                return principal;
            }

            var userName = identity.FindFirst(external.UserNameClaim)?.Value;
            var user = userName is null ? null : await users.FindByUserNameAsync(userName, CancellationToken.None);
            var mapped = new ClaimsIdentity(Scheme, "name", "role");
            mapped.AddClaim(new Claim(MappedClaim, "true"));
            if (user is { Disabled: false })
            {
                mapped.AddClaim(new Claim("sub", user.Id));
                mapped.AddClaim(new Claim("name", user.DisplayName));
                mapped.AddClaim(new Claim("role", user.Role));
                mapped.AddClaim(new Claim(Caller.KindClaim, Caller.PersonKind));
            }

            return new ClaimsPrincipal(mapped);
        }
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Testing;

/// <summary>
/// A stand-in for a hospital's identity provider (Keycloak, Entra ID) on loopback: it publishes an
/// OpenID Connect discovery document and its signing key, and issues signed access tokens. The one
/// fake in these tests, because a real provider cannot run here.
/// </summary>
public sealed class ExternalIdentityProvider : IAsyncDisposable
{
    public const string Audience = "openward-api";
    private readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "hospital-idp-1" };
    private WebApplication? app;

    public Uri Issuer { get; private set; } = null!;

    public async Task StartAsync()
    {
        var port = FreePorts.Take(1)[0];
        Issuer = new Uri($"http://127.0.0.1:{port}/realms/hospital");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        app = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = key.KeyId });
        app.MapGet("/realms/hospital/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer.ToString().TrimEnd('/'),
            ["jwks_uri"] = $"{Issuer.ToString().TrimEnd('/')}/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/realms/hospital/keys", () => Results.Json(new
        {
            keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } },
        }));
        await app.StartAsync();
    }

    /// <summary>A signed access token for a user name, as the provider would issue it.</summary>
    public string TokenFor(string userName, string audience = Audience, RsaSecurityKey? signedWith = null, DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer.ToString().TrimEnd('/'),
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", Guid.NewGuid().ToString()), new Claim("preferred_username", userName)]),
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-15),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-15),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(signedWith ?? key, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Testing;

/// <summary>
/// A SMART backend service, as a record system would be one: its own key pair (RSA for RS384, P-384 for
/// ES384), registered with the server through <c>POST /api/v1/clients</c> with its public key set, and
/// signed client assertions for the client-credentials grant at the token URL the server's
/// <c>/.well-known/smart-configuration</c> names.
/// </summary>
public sealed class BackendService : IDisposable
{
    private readonly AsymmetricAlgorithm key;

    private BackendService(AsymmetricAlgorithm key, string algorithm)
    {
        this.key = key;
        Algorithm = algorithm;
        KeyId = "key-" + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>RS384 or ES384.</summary>
    public string Algorithm { get; }

    /// <summary>The key's id (<c>kid</c>) in the key set and in each assertion's header.</summary>
    public string KeyId { get; }

    /// <summary>The client id the server gave it (empty until registered).</summary>
    public string ClientId { get; private set; } = "";

    /// <summary>The scopes the server says it granted at registration.</summary>
    public IReadOnlyList<string> RegisteredScopes { get; private set; } = [];

    /// <summary>A service with a new key pair for <paramref name="algorithm"/> (RS384 or ES384), not yet registered.</summary>
    public static BackendService Create(string algorithm = "RS384") => algorithm switch
    {
        "RS384" => new BackendService(RSA.Create(2048), algorithm),
        "ES384" => new BackendService(ECDsa.Create(ECCurve.NamedCurves.nistP384), algorithm),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "RS384 or ES384"),
    };

    /// <summary>A new service registered by the server's administrator client with <paramref name="scopes"/> (the server's default when none).</summary>
    public static async Task<BackendService> RegisterAsync(RunningServer server, string algorithm = "RS384", params string[] scopes)
    {
        var service = Create(algorithm);
        using var response = await server.Admin.PostAsJsonAsync("/api/v1/clients", new
        {
            name = "Backend service " + service.KeyId,
            role = "integration",
            jwks = JsonDocument.Parse(service.PublicKeySet()).RootElement,
            scopes = scopes.Length == 0 ? null : scopes,
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"registering the backend service was refused: {(int)response.StatusCode} {body}");
        }

        service.ClientId = body.GetProperty("clientId").GetString()!;
        service.RegisteredScopes = [.. body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)];
        return service;
    }

    /// <summary>This service under the client id a registration made elsewhere (by the CLI) gave it.</summary>
    public BackendService WithClientId(string clientId)
    {
        ClientId = clientId;
        return this;
    }

    /// <summary>The public key set (JWKS) a backend service registers: its one key, with no private part.</summary>
    public string PublicKeySet(bool withPrivatePart = false)
    {
        var jwk = key switch
        {
            RSA rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(withPrivatePart))),
            ECDsa ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(withPrivatePart ? ec : PublicOnly(ec))),
            _ => throw new InvalidOperationException(),
        };
        var entry = new Dictionary<string, string?>
        {
            ["kty"] = jwk.Kty, ["kid"] = KeyId, ["use"] = "sig", ["alg"] = Algorithm,
            ["n"] = jwk.N, ["e"] = jwk.E, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y, ["d"] = jwk.D,
        };
        return JsonSerializer.Serialize(new { keys = new[] { entry.Where(p => p.Value is not null).ToDictionary() } });
    }

    /// <summary>
    /// A client assertion for the token URL: <c>iss</c> and <c>sub</c> this client, a new <c>jti</c>, <c>exp</c>
    /// four minutes ahead — each of which a test may change to see it refused.
    /// </summary>
    public string Assertion(
        Uri tokenUrl, DateTimeOffset? expires = null, string? jti = null, string? audience = null, string? algorithm = null, string? issuer = null)
    {
        var expiresAt = (expires ?? DateTimeOffset.UtcNow.AddMinutes(4)).UtcDateTime;
        SecurityKey signing = key switch
        {
            RSA rsa => new RsaSecurityKey(rsa) { KeyId = KeyId },
            ECDsa ec => new ECDsaSecurityKey(ec) { KeyId = KeyId },
            _ => throw new InvalidOperationException(),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? ClientId,
            Audience = audience ?? tokenUrl.AbsoluteUri,
            Expires = expiresAt,
            IssuedAt = expiresAt.AddMinutes(-4),
            Claims = new Dictionary<string, object> { ["sub"] = issuer ?? ClientId, ["jti"] = jti ?? Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(signing, algorithm ?? Algorithm),
        });
    }

    /// <summary>The token URL, as the server's SMART configuration names it.</summary>
    public static async Task<Uri> TokenUrlAsync(HttpClient http)
    {
        var configuration = await http.GetFromJsonAsync<JsonElement>("/.well-known/smart-configuration");
        return new Uri(configuration.GetProperty("token_endpoint").GetString()!);
    }

    /// <summary>Asks for a token with <paramref name="assertion"/>, for <paramref name="scope"/> (none: what the client was registered with).</summary>
    public static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, Uri tokenUrl, string assertion, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return http.PostAsync(tokenUrl, new FormUrlEncodedContent(form));
    }

    /// <summary>An HTTP client carrying a token this service obtained for <paramref name="scope"/>.</summary>
    public async Task<HttpClient> SignInAsync(RunningServer server, string? scope = null)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var tokenUrl = await TokenUrlAsync(http);
        using var response = await RequestTokenAsync(http, tokenUrl, Assertion(tokenUrl), scope);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the token request was refused: {(int)response.StatusCode} {body}");
        }

        return server.WithToken(body.GetProperty("access_token").GetString()!);
    }

    /// <inheritdoc/>
    public void Dispose() => key.Dispose();

    private static ECDsa PublicOnly(ECDsa ec) => ECDsa.Create(ec.ExportParameters(false));
}

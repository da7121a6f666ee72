using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Smart;

/// <summary>
/// SMART Backend Services against the running server: a service registers its public keys, signs a client
/// assertion (RS384 or ES384) and receives a token with the scopes it was granted; an assertion replayed,
/// expired, too long-lived, for another audience, signed by another key or with another algorithm is refused
/// with <c>invalid_client</c> and the reason; a scoped token is accepted under <c>/fhir</c> only.
/// </summary>
public sealed class BackendServicesTests(RunningServer server) : IClassFixture<RunningServer>
{
    private readonly HttpClient http = new() { BaseAddress = server.BaseAddress };

    [Fact]
    public async Task SmartConfiguration_DescribesTheBackendServiceFlow()
    {
        var configuration = await http.GetFromJsonAsync<JsonElement>("/.well-known/smart-configuration", TestContext.Current.CancellationToken);

        Assert.Equal(new Uri(server.BaseAddress, "/connect/token").AbsoluteUri, configuration.GetProperty("token_endpoint").GetString());
        Assert.Equal(["client_credentials"], Strings(configuration, "grant_types_supported"));
        Assert.Equal(["private_key_jwt"], Strings(configuration, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["RS384", "ES384"], Strings(configuration, "token_endpoint_auth_signing_alg_values_supported"));
        Assert.Contains("client-confidential-asymmetric", Strings(configuration, "capabilities"));
        Assert.Contains("system/Observation.rs", Strings(configuration, "scopes_supported"));
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("ES384")]
    public async Task SignedAssertion_GivesAToken_WithTheRegisteredScopes(string algorithm)
    {
        using var service = await BackendService.RegisterAsync(server, algorithm, "system/Observation.rs", "system/Patient.read");
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var response = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(["system/Observation.rs", "system/Patient.read"], body.GetProperty("scope").GetString()!.Split(' ').Order());
    }

    [Fact]
    public async Task ScopesAskedFor_AreGrantedAsFarAsTheRegistrationAllows()
    {
        using var service = await BackendService.RegisterAsync(server, "RS384", "system/Observation.rs");
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var narrowed = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl), "system/*.rs system/Device.rs");
        using var refused = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl), "system/Device.rs");
        using var malformed = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl), "system/Device.sr");

        Assert.Equal("system/Observation.rs", (await narrowed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("scope").GetString());
        await AssertRefusedAsync(refused, "invalid_scope", "none of the scopes asked for is granted to this client; it may have system/Observation.rs");
        await AssertRefusedAsync(malformed, "invalid_scope", "'system/Device.sr': the permissions must be");
    }

    [Fact]
    public async Task ReplayedAssertion_IsRefused()
    {
        using var service = await BackendService.RegisterAsync(server);
        var tokenUrl = await BackendService.TokenUrlAsync(http);
        var assertion = service.Assertion(tokenUrl);

        using var first = await BackendService.RequestTokenAsync(http, tokenUrl, assertion);
        using var replayed = await BackendService.RequestTokenAsync(http, tokenUrl, assertion);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(replayed, "invalid_client", "the client assertion's jti was used before");
    }

    [Fact]
    public async Task AssertionWithAUsedJti_IsRefused_EvenWhenNewlySigned()
    {
        using var service = await BackendService.RegisterAsync(server);
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var first = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl, jti: "jti-once"));
        using var again = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl, jti: "jti-once", expires: DateTimeOffset.UtcNow.AddMinutes(3)));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(again, "invalid_client", "jti was used before");
    }

    [Fact]
    public async Task ExpiredAssertion_IsRefused()
    {
        using var service = await BackendService.RegisterAsync(server);
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var response = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl, expires: DateTimeOffset.UtcNow.AddSeconds(-30)));

        await AssertRefusedAsync(response, "invalid_client", "the client assertion expired at");
    }

    [Fact]
    public async Task AssertionExpiringMoreThanFiveMinutesAhead_IsRefused()
    {
        using var service = await BackendService.RegisterAsync(server);
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var response = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl, expires: DateTimeOffset.UtcNow.AddMinutes(10)));

        await AssertRefusedAsync(response, "invalid_client", "exp is more than 5 minutes ahead");
    }

    [Theory]
    [InlineData("https://record-system.example/connect/token")]
    [InlineData("")] // the server itself, not its token URL
    public async Task AssertionForAnotherAudience_IsRefused(string audience)
    {
        using var service = await BackendService.RegisterAsync(server);
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var response = await BackendService.RequestTokenAsync(http, tokenUrl,
            service.Assertion(tokenUrl, audience: audience.Length == 0 ? server.BaseAddress.AbsoluteUri : audience));

        await AssertRefusedAsync(response, "invalid_client", $"the client assertion's aud must be the token URL, {tokenUrl.AbsoluteUri}");
    }

    [Fact]
    public async Task AssertionSignedByAnotherKey_IsRefused_AsOneNamingNoSuchClient()
    {
        using var service = await BackendService.RegisterAsync(server);
        using var impostor = BackendService.Create();
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var wrongKey = await BackendService.RequestTokenAsync(http, tokenUrl, impostor.Assertion(tokenUrl, issuer: service.ClientId));
        using var noSuchClient = await BackendService.RequestTokenAsync(http, tokenUrl, impostor.Assertion(tokenUrl, issuer: "client-0000000000000000"));

        var reason = "the client assertion is not signed by a key registered for its client (iss), or there is no such client";
        await AssertRefusedAsync(wrongKey, "invalid_client", reason);
        await AssertRefusedAsync(noSuchClient, "invalid_client", reason);
    }

    [Theory]
    [InlineData("RS384", "RS256")]
    [InlineData("RS384", "PS384")]
    [InlineData("ES384", "ES512")]
    public async Task AssertionSignedWithAnotherAlgorithm_IsRefused(string registered, string used)
    {
        using var service = await BackendService.RegisterAsync(server, registered);
        var tokenUrl = await BackendService.TokenUrlAsync(http);

        using var response = await BackendService.RequestTokenAsync(http, tokenUrl, service.Assertion(tokenUrl, algorithm: used));

        await AssertRefusedAsync(response, "invalid_client", $"the client assertion is signed with {used}; sign it with RS384 or ES384");
    }

    [Fact]
    public async Task ScopedToken_IsRefusedOutsideFhir_WithTheReason()
    {
        using var service = await BackendService.RegisterAsync(server);
        using var client = await service.SignInAsync(server);

        using var patients = await client.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);
        using var submit = await client.PostAsync("/fhir/Observation",
            new StringContent("{}", System.Text.Encoding.UTF8, "application/fhir+json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, patients.StatusCode);
        Assert.Contains("accepted only by the FHIR API under /fhir", await patients.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        // Submitting readings needs a create scope, which read-only registrations never hold.
        Assert.Equal(HttpStatusCode.Forbidden, submit.StatusCode);
        Assert.Contains("do not allow create on Observation", await submit.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ScopedToken_ReadsThroughFhir_OnlyTheResourceTypesItsScopesName()
    {
        var patientId = await server.AddPatientAsync("Scoped Reader Patient");
        using var service = await BackendService.RegisterAsync(server, "ES384", "system/Observation.rs");
        using var client = await service.SignInAsync(server);

        using var observations = await client.GetAsync($"/fhir/Observation?patient={patientId}", TestContext.Current.CancellationToken);
        using var patient = await client.GetAsync($"/fhir/Patient/{patientId}", TestContext.Current.CancellationToken);
        using var devices = await client.GetAsync($"/fhir/Device?patient={patientId}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, observations.StatusCode);
        Assert.Equal("searchset", (await observations.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, patient.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, devices.StatusCode);
    }

    [Fact]
    public async Task ClientWithASecret_AskingForSmartScopes_IsRefused_AndItsOwnTokenStillReadsTheApi()
    {
        using var created = await server.Admin.PostAsJsonAsync("/api/v1/clients", new { name = "Interface engine", role = "integration" },
            TestContext.Current.CancellationToken);
        var client = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.GetProperty("clientId").GetString()!,
            ["client_secret"] = client.GetProperty("clientSecret").GetString()!,
            ["scope"] = "system/*.rs",
        };

        using var refused = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
        using var plain = await server.SignInAsync((form["client_id"], form["client_secret"]));
        using var patients = await plain.GetAsync("/api/v1/patients", TestContext.Current.CancellationToken);

        await AssertRefusedAsync(refused, "invalid_scope", "this client holds no SMART scopes");
        Assert.Equal(HttpStatusCode.OK, patients.StatusCode);
    }

    [Fact]
    public async Task Registration_GivesAClientIdAndNoSecret_AndDefaultsToReadingEverything()
    {
        using var service = BackendService.Create();

        using var response = await server.Admin.PostAsJsonAsync("/api/v1/clients",
            new { name = "Regional record", jwks = JsonDocument.Parse(service.PublicKeySet()).RootElement }, TestContext.Current.CancellationToken);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("client-", body.GetProperty("clientId").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("clientSecret", out _));
        Assert.Equal(["system/*.rs"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal([service.KeyId], body.GetProperty("keyIds").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("private", "jwks", "holds a private part")]
    [InlineData("administrator", "role", "a backend service (jwks) is an integration")]
    [InlineData("system/Observation.cruds", "scopes", "read-only")]
    [InlineData("patient/Observation.rs", "scopes", "system/ scopes")]
    [InlineData("empty", "jwks", "holds no keys")]
    public async Task Registration_ThatCannotBeHonoured_IsRefusedWithItsReason(string variant, string field, string reason)
    {
        using var service = BackendService.Create();
        var jwks = variant switch
        {
            "private" => service.PublicKeySet(withPrivatePart: true),
            "empty" => """{"keys":[]}""",
            _ => service.PublicKeySet(),
        };

        using var response = await server.Admin.PostAsJsonAsync("/api/v1/clients", new
        {
            name = "Regional record",
            role = variant == "administrator" ? "administrator" : "integration",
            jwks = JsonDocument.Parse(jwks).RootElement,
            scopes = variant.Contains('/', StringComparison.Ordinal) ? new[] { variant } : null,
        }, TestContext.Current.CancellationToken);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, body.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    private static string[] Strings(JsonElement document, string property) =>
        [.. document.GetProperty(property).EnumerateArray().Select(e => e.GetString()!)];

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string error, string reasonPart)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, body.ToString());
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.Contains(reasonPart, body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class ExternalIdentityTests(ExternalIdentityServer server) : IClassFixture<ExternalIdentityServer>
{
    [Fact]
    public async Task TokenFromTheHospitalsProvider_ActsAsTheOpenWardAccountWithTheSameUserName()
    {
        var (_, userName) = await server.AddUserAsync("nurse", server.TestWardId);
        var ownPatient = await server.AddPatientAsync();
        var otherPatient = await server.AddPatientAsync("Elsewhere", await server.AddCareTeamAsync("Elsewhere ward"));
        using var nurse = server.WithToken(server.Provider.TokenFor(userName));

        using var own = await nurse.GetAsync($"/api/v1/patients/{ownPatient}/latest", TestContext.Current.CancellationToken);
        using var other = await nurse.GetAsync($"/api/v1/patients/{otherPatient}/latest", TestContext.Current.CancellationToken);
        using var fleet = await nurse.GetAsync("/api/v1/devices", TestContext.Current.CancellationToken);
        using var ownTokensStillWork = await server.Clinician.GetAsync($"/api/v1/patients/{ownPatient}/latest", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fleet.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownTokensStillWork.StatusCode);
    }

    [Fact]
    public async Task ProviderTokens_WithoutAnAccount_ForAnotherAudience_Expired_OrSignedByAnotherKey_AreRefused()
    {
        var (_, userName) = await server.AddUserAsync("clinician", server.TestWardId);
        var patient = await server.AddPatientAsync();

        var noAccount = await StatusAsync(server.Provider.TokenFor("someone.without.an.account"), patient);
        var otherAudience = await StatusAsync(server.Provider.TokenFor(userName, audience: "another-app"), patient);
        var expired = await StatusAsync(server.Provider.TokenFor(userName, expires: DateTime.UtcNow.AddMinutes(-10)), patient);
        var otherKey = await StatusAsync(server.Provider.TokenFor(userName, signedWith: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "hospital-idp-1" }), patient);

        Assert.Equal(HttpStatusCode.Forbidden, noAccount);
        Assert.Equal(HttpStatusCode.Unauthorized, otherAudience);
        Assert.Equal(HttpStatusCode.Unauthorized, otherKey);
        Assert.Equal(HttpStatusCode.Unauthorized, expired);
    }

    private async Task<HttpStatusCode> StatusAsync(string token, string patientId)
    {
        using var http = server.WithToken(token);
        using var response = await http.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}

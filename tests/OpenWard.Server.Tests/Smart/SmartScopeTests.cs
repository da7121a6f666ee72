using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenWard.Server.Access;
using OpenWard.Server.Smart;

namespace OpenWard.Server.Tests.Smart;

/// <summary>SMART scopes as backend services write them (v2 and v1), and what a token holding them may read.</summary>
public sealed class SmartScopeTests
{
    [Theory]
    [InlineData("system/Observation.rs", "Observation", SmartPermissions.Read | SmartPermissions.Search)]
    [InlineData("system/Observation.read", "Observation", SmartPermissions.Read | SmartPermissions.Search)]
    [InlineData("system/*.rs", "*", SmartPermissions.Read | SmartPermissions.Search)]
    [InlineData("system/*.read", "*", SmartPermissions.Read | SmartPermissions.Search)]
    [InlineData("system/Patient.r", "Patient", SmartPermissions.Read)]
    [InlineData("system/Device.s", "Device", SmartPermissions.Search)]
    [InlineData("system/Observation.cruds", "Observation",
        SmartPermissions.Create | SmartPermissions.Read | SmartPermissions.Update | SmartPermissions.Delete | SmartPermissions.Search)]
    [InlineData("system/Observation.write", "Observation", SmartPermissions.Create | SmartPermissions.Update | SmartPermissions.Delete)]
    public void Scope_InV2OrV1Form_IsRead(string text, string resourceType, SmartPermissions permissions)
    {
        Assert.True(SmartScope.TryParse(text, out var scope, out var reason), reason);

        Assert.Equal(new SmartScope(resourceType, permissions), scope);
    }

    [Theory]
    [InlineData("system/Observation.sr", "permissions")]
    [InlineData("system/Observation.rr", "permissions")]
    [InlineData("system/Observation.x", "permissions")]
    [InlineData("patient/Observation.rs", "system/ scopes")]
    [InlineData("user/*.read", "system/ scopes")]
    [InlineData("system/observation.rs", "not a SMART scope")]
    [InlineData("openid", "not a SMART scope")]
    [InlineData("system/Observation", "not a SMART scope")]
    public void Scope_NotUnderstood_IsRefusedWithItsReason(string text, string reasonPart)
    {
        Assert.False(SmartScope.TryParse(text, out _, out var reason));

        Assert.Contains(reasonPart, reason);
    }

    [Fact]
    public void Scope_IsWrittenInV2Form()
    {
        SmartScope.TryParse("system/Observation.read", out var scope, out _);

        Assert.Equal("system/Observation.rs", scope.ToString());
    }

    [Theory]
    [InlineData("system/*.rs", "system/Observation.r", "system/Observation.r")]
    [InlineData("system/Observation.rs", "system/*.read", "system/Observation.rs")]
    [InlineData("system/Observation.rs", "system/Observation.cruds", "system/Observation.rs")]
    [InlineData("system/Observation.rs", "system/Patient.rs", null)]
    [InlineData("system/Observation.r", "system/Observation.s", null)]
    public void Intersection_IsWhatBothAllow(string left, string right, string? expected)
    {
        SmartScope.TryParse(left, out var a, out _);
        SmartScope.TryParse(right, out var b, out _);

        Assert.Equal(expected, a.Intersect(b)?.ToString());
    }

    [Fact]
    public void ClientToken_ReadsOnlyWhatItsScopesAllow()
    {
        var client = Client("system/Observation.rs", "system/Patient.r");

        Assert.True(SmartScopes.MayRead(client, "Observation"));
        Assert.True(SmartScopes.MaySearch(client, "Observation"));
        Assert.True(SmartScopes.MayRead(client, "Patient"));
        Assert.False(SmartScopes.MaySearch(client, "Patient"));
        Assert.False(SmartScopes.MayRead(client, "Device"));
        Assert.True(SmartScopes.IsScopedClient(client));
    }

    [Fact]
    public void ClientToken_WithTheWildcard_ReadsEveryType()
    {
        var client = Client("system/*.read");

        Assert.True(SmartScopes.MayRead(client, "Device"));
        Assert.True(SmartScopes.MaySearch(client, "Group"));
    }

    [Fact]
    public void ClientToken_WithoutSmartScopes_ReadsNothingThroughFhir()
    {
        var client = Client();

        Assert.False(SmartScopes.MayRead(client, "Observation"));
        Assert.False(SmartScopes.IsScopedClient(client));
    }

    [Theory]
    [InlineData(UserRoles.Clinician)]
    [InlineData(UserRoles.Patient)]
    public void PersonToken_MayReadEveryType_LimitedByRelationshipInstead(string role)
    {
        var person = Principal("usr-1", role, Caller.PersonKind, "openid", "profile");

        Assert.True(SmartScopes.MayRead(person, "Observation"));
        Assert.True(SmartScopes.MaySearch(person, "Device"));
        Assert.False(SmartScopes.IsScopedClient(person));
    }

    [Fact]
    public void Anonymous_MayReadNothing()
    {
        Assert.False(SmartScopes.MayRead(new ClaimsPrincipal(new ClaimsIdentity()), "Observation"));
    }

    private static ClaimsPrincipal Client(params string[] scopes) => Principal("client-1", ClientRoles.Integration, Caller.ClientKind, scopes);

    private static ClaimsPrincipal Principal(string subject, string role, string kind, params string[] scopes)
    {
        var identity = new ClaimsIdentity("test", "name", "role");
        identity.AddClaim(new Claim("sub", subject));
        identity.AddClaim(new Claim("role", role));
        identity.AddClaim(new Claim(Caller.KindClaim, kind));
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        return principal;
    }
}

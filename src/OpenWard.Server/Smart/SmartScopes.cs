using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenWard.Server.Access;

namespace OpenWard.Server.Smart;

/// <summary>
/// What a caller's token lets it read through the FHIR API. A person (clinician, nurse, patient) may
/// read every resource type, limited as through <c>/api/v1</c> by their relationship with each patient
/// (<see cref="PatientAccess"/>). An API client may read only what the SMART scopes of its token allow
/// (a backend service's token, <c>system/Observation.rs</c>, …); a client token without SMART scopes
/// reads nothing through FHIR. Tokens with SMART scopes are accepted under <c>/fhir</c> only.
/// </summary>
public static class SmartScopes
{
    /// <summary>Whether the caller may read a resource of this type by its id (<c>GET /fhir/Observation/{id}</c>).</summary>
    public static bool MayRead(ClaimsPrincipal caller, string resourceType) => Allows(caller, resourceType, SmartPermissions.Read);

    /// <summary>Whether the caller may search resources of this type (<c>GET /fhir/Observation?…</c>, <c>$lastn</c>, an export of the type).</summary>
    public static bool MaySearch(ClaimsPrincipal caller, string resourceType) => Allows(caller, resourceType, SmartPermissions.Search);

    /// <summary>Whether the caller's token lets it do <paramref name="permission"/> to <paramref name="resourceType"/>.</summary>
    public static bool Allows(ClaimsPrincipal caller, string resourceType, SmartPermissions permission) => Caller.From(caller) switch
    {
        null => false,
        { IsPerson: true } => true,
        _ => Of(caller).Any(scope => scope.Allows(resourceType, permission)),
    };

    /// <summary>Whether the principal is an API client whose token carries SMART scopes (and so is for the FHIR API only).</summary>
    public static bool IsScopedClient(ClaimsPrincipal caller) =>
        Caller.From(caller) is { IsPerson: false } && Of(caller).Count > 0;

    /// <summary>The SMART scopes of a token; what is not a SMART scope (<c>openid</c>, …) is left out.</summary>
    public static IReadOnlyList<SmartScope> Of(ClaimsPrincipal caller) =>
        [.. caller.GetScopes().Select(text => SmartScope.TryParse(text, out var scope, out _) ? scope : null).OfType<SmartScope>()];
}

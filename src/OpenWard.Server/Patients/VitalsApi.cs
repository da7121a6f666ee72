using OpenWard.Core.Vitals;
using OpenWard.Server.Access;

namespace OpenWard.Server.Patients;

/// <summary><c>GET /api/v1/vitals</c>: the vital-sign catalogue with codes, units and plausible ranges.</summary>
public static class VitalsApi
{
    /// <summary>Maps the catalogue endpoint.</summary>
    public static IEndpointRouteBuilder MapVitalsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/vitals", () => TypedResults.Ok(VitalSignCatalogue.All))
            .RequireAuthorization(AccessPolicies.ReadClinicalData)
            .WithTags("Vital signs");
        return app;
    }
}

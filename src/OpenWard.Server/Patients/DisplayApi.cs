using Microsoft.Extensions.Options;
using OpenWard.Server.Access;

namespace OpenWard.Server.Patients;

/// <summary><c>GET /api/v1/display</c>: how this deployment shows values (the unit of blood glucose), for the console and any other client.</summary>
public static class DisplayApi
{
    /// <summary>The deployment's display settings.</summary>
    public sealed record DisplaySettings(string GlucoseUnit);

    /// <summary>Maps the display endpoint.</summary>
    public static IEndpointRouteBuilder MapDisplayApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/display", (IOptions<DisplayOptions> options) => TypedResults.Ok(new DisplaySettings(options.Value.GlucoseUnit)))
            .RequireAuthorization(AccessPolicies.ReadClinicalData)
            .WithTags("Vital signs");
        return app;
    }
}

namespace OpenWard.Server.Fhir;

/// <summary>
/// The FHIR R4 read API for record systems: the CapabilityStatement, Observations derived from the
/// stored readings, Patients, Devices and alerts as Flags, each read as the caller may read it through <c>/api/v1</c>.
/// (FHIR ingestion is a way in, under <c>Gateway/Fhir</c>; the audit trail's AuditEvents are the audit feature's.)
/// </summary>
public static class FhirApiSetup
{
    /// <summary>Adds the FHIR API's services.</summary>
    public static WebApplicationBuilder AddFhirApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FhirPatientGate>();
        return builder;
    }

    /// <summary>Maps the FHIR API's endpoints.</summary>
    public static IEndpointRouteBuilder MapFhirApi(this IEndpointRouteBuilder app)
    {
        // Anyone may ask what the server can do, as FHIR clients do before they sign in.
        app.MapGet("/fhir/metadata", (HttpRequest request) => FhirAnswers.Resource(FhirCapabilities.Statement($"{request.Scheme}://{request.Host}{request.PathBase}")))
            .AllowAnonymous()
            .WithTags("FHIR");
        app.MapObservationApi();
        app.MapPatientFhirApi();
        app.MapDeviceFhirApi();
        app.MapFlagFhirApi();
        return app;
    }
}

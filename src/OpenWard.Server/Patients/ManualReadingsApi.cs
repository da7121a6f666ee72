using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Server.Access;
using OpenWard.Server.Ingest;

namespace OpenWard.Server.Patients;

/// <summary>
/// <c>POST /api/v1/patients/{patientId}/readings</c>: a reading entered by hand — by the patient from a
/// cuff or meter that is not connected, or by their care team from a telephone report. It takes the
/// same path as a device's (validation, storage, the patient's rules and alerts), recorded as from
/// <c>manual:{user id}</c> so that everyone can see who entered it.
/// </summary>
public static class ManualReadingsApi
{
    /// <summary>The channel manual readings are recorded under.</summary>
    public const string Channel = "manual";

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapManualReadingsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/patients/{patientId}/readings", EnterAsync)
            .RequirePatientAccess()
            .RequireAuthorization(AccessPolicies.EnterReadings)
            .WithTags("Patients");
        return app;
    }

    private static async Task<Results<Created<IngestOutcome>, ProblemHttpResult, NotFound>> EnterAsync(
        string patientId, ReadingSubmission reading, ClaimsPrincipal user, PatientRegistry patients, IngestPipeline pipeline,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await patients.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var now = clock.GetUtcNow();
        var item = new SubmittedItem
        {
            Index = 0,
            RawJson = JsonSerializer.Serialize(reading),
            Submission = reading with { Time = reading.Time ?? now },
            IdentifiedPatientId = patientId,
        };
        var enteredBy = "manual:" + Caller.From(user)!.Subject;
        var outcome = await pipeline.IngestAsync(enteredBy, new DecodedBatch { Items = [item] }, Channel, now, cancellationToken);
        return outcome.Refused.Count > 0
            ? TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, detail: outcome.Refused[0].Reason)
            : TypedResults.Created($"/api/v1/patients/{patientId}/readings", outcome);
    }
}

using System.Buffers;
using System.Text;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;
using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.Devices;
using OpenWard.Server.Ingest;
using OpenWard.Server.Readings;
using OpenWard.Server.Smart;

namespace OpenWard.Server.Gateway.Fhir;

/// <summary>
/// FHIR R4 ingestion: <c>POST /fhir/Observation</c> (one Observation) and <c>POST /fhir</c> (a batch or
/// transaction Bundle of Observations), by API clients allowed to submit readings. Each Observation
/// names a registered device; a subject, when given, must be the patient that device was assigned
/// to at the Observation's time. A transaction is all or nothing: if any Observation is refused,
/// none is stored.
/// </summary>
public static class FhirIngestApi
{
    // An accepted Observation with no id to read it by: its device was assigned to no patient at its time.
    private const string Unattributed = "stored, unattributed: the device was assigned to no patient at this time, so it is not served through FHIR";

    /// <summary>Maps the FHIR ingestion endpoints.</summary>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir").RequireAuthorization(AccessPolicies.SubmitReadings)
            .RequireSmartScopeWhenScoped("Observation", SmartPermissions.Create).WithTags("FHIR");
        fhir.MapPost("/Observation", (HttpRequest request, IngestPipeline pipeline, DeviceDirectory directory, ReadingQueries readings, TimeProvider clock, CancellationToken ct) =>
            SubmitAsync(request, pipeline, directory, readings, clock, single: true, ct));
        fhir.MapPost("/", (HttpRequest request, IngestPipeline pipeline, DeviceDirectory directory, ReadingQueries readings, TimeProvider clock, CancellationToken ct) =>
            SubmitAsync(request, pipeline, directory, readings, clock, single: false, ct));
        return app;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request, IngestPipeline pipeline, DeviceDirectory directory, ReadingQueries readings, TimeProvider clock, bool single, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        var received = clock.GetUtcNow();
        var read = new FhirObservationDecoder(directory.IsActive).Decode(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), received);
        if (read.Problem is not null)
        {
            return Fhir(FhirResponses.Outcome([read.Problem]), StatusCodes.Status400BadRequest);
        }

        if (single != (read.BundleType is null))
        {
            return Fhir(FhirResponses.Outcome([single ? "POST a Bundle to /fhir, a single Observation to /fhir/Observation" : "POST a single Observation to /fhir/Observation"]),
                StatusCodes.Status400BadRequest);
        }

        var observations = read.Items
            .Select(o => o.Note is null && o.Problem is null && Check(o, directory, received) is { } problem ? o with { Submission = null, Problem = problem } : o)
            .ToList();
        if (read.BundleType == "transaction" && observations.Any(o => o.Problem is not null))
        {
            return Fhir(FhirResponses.Outcome(observations.Where(o => o.Problem is not null).Select(o => $"entry {o.Index}: {o.Problem}")
                .Prepend("transaction refused as a whole; nothing was stored")), StatusCodes.Status400BadRequest);
        }

        var refused = new Dictionary<int, string>();
        var created = new Dictionary<int, string>();
        foreach (var device in observations.Where(o => o.Note is null).GroupBy(o => o.DeviceId ?? "(none)", StringComparer.Ordinal))
        {
            var outcome = await pipeline.IngestAsync(device.Key, new DecodedBatch { Items = [.. device] }, "fhir", received, cancellationToken);
            foreach (var r in outcome.Refused)
            {
                refused[r.Index] = r.Reason;
            }

            // Each Observation's id is the one it is served under from then on (GET /fhir/Observation/{id}); a reading of no
            // patient is not served. Looked up whether or not the caller is still there: the readings are committed.
            var attributed = outcome.InStore.Where(r => r.Reading.PatientId is not null).ToList();
            var storedIds = await readings.StoredIdsAsync([.. attributed.Select(r => r.Reading)], CancellationToken.None);
            for (var i = 0; i < attributed.Count; i++)
            {
                if (storedIds[i] is { } storedId)
                {
                    created[attributed[i].Index] = ObservationIds.Of(storedId, attributed[i].Reading.DeviceTime);
                }
            }
        }

        var entries = observations.Select(o => Entry(o, refused, created)).ToList();
        if (single)
        {
            var (id, problem, note) = entries[0];
            if (problem is not null)
            {
                return Fhir(FhirResponses.Outcome([problem]), StatusCodes.Status422UnprocessableEntity);
            }

            if (id is null)
            {
                return Fhir(FhirResponses.Information(note!), StatusCodes.Status200OK);
            }

            request.HttpContext.Response.Headers.Location = $"/fhir/Observation/{id}";
            return Fhir(FhirResponses.Created(body, id!), StatusCodes.Status201Created);
        }

        return Fhir(FhirResponses.BundleResponse(read.BundleType!, entries), StatusCodes.Status200OK);
    }

    /// <summary>
    /// The device must be registered and active, and not one with a pinned certificate (which speaks
    /// for itself alone); a named subject must be the device's patient at the time.
    /// </summary>
    private static string? Check(SubmittedItem observation, DeviceDirectory directory, DateTimeOffset received)
    {
        if (observation.DeviceId is null)
        {
            return "Observation.device must reference the registered device (Device/{id} or its identifier)";
        }

        if (!directory.IsActive(observation.DeviceId))
        {
            return $"device \"{observation.DeviceId}\" is not registered or is revoked";
        }

        if (directory.PinnedCertificateOf(observation.DeviceId) is not null)
        {
            return $"device \"{observation.DeviceId}\" has a pinned certificate: its readings come from it alone, presenting that certificate, not through the FHIR API";
        }

        if (observation.Submission is not { Time: { } time } submission)
        {
            return null;
        }

        var validation = ReadingValidator.Check(submission, observation.DeviceId, received);
        if (!validation.IsValid)
        {
            return validation.Problem;
        }

        var assigned = directory.PatientAt(observation.DeviceId, time);
        return observation.SubjectPatientId is { } subject && subject != assigned
            ? $"subject Patient/{subject} is not the patient device \"{observation.DeviceId}\" was assigned to at {time:O}"
            : null;
    }

    /// <summary>What the answer says of one entry: the id it is served under, why it was refused, or a note on why it was not stored.</summary>
    private static (string? Id, string? Problem, string? Note) Entry(SubmittedItem observation, Dictionary<int, string> refused, Dictionary<int, string> created)
    {
        if (observation.Note is not null)
        {
            return (null, null, observation.Note);
        }

        if (refused.TryGetValue(observation.Index, out var problem))
        {
            return (null, problem, null);
        }

        return created.TryGetValue(observation.Index, out var id)
            ? (id, null, null)
            : (null, null, Unattributed);
    }

    private static IResult Fhir(string json, int status) => Results.Text(json, FhirResponses.MediaType, System.Text.Encoding.UTF8, status);
}

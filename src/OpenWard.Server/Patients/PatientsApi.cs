using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;
using OpenWard.Server.Access;
using OpenWard.Server.Api;
using OpenWard.Server.Monitoring;
using OpenWard.Server.People;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Patients;

/// <summary>Patients and their readings: list and add patients, latest values, raw and bucketed history.</summary>
public static class PatientsApi
{
    /// <summary>A patient to add.</summary>
    public sealed record NewPatient(string Name, string? Mrn = null, string? CareTeamId = null);

    /// <summary>Maps the patient endpoints.</summary>
    public static IEndpointRouteBuilder MapPatientsApi(this IEndpointRouteBuilder app)
    {
        var patients = app.MapGroup("/api/v1/patients").WithTags("Patients");
        patients.MapGet("/", ListAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        patients.MapPost("/", AddAsync).RequireAuthorization(AccessPolicies.ManageFleet);
        patients.MapPut("/{patientId}/care-team", MoveToCareTeamAsync).RequireAuthorization(AccessPolicies.ManageFleet);

        var patient = patients.MapGroup("/{patientId}").RequirePatientAccess();
        patient.MapGet("/latest", LatestAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        patient.MapGet("/readings", ReadingsAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        patient.MapGet("/monitoring", MonitoringAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        return app;
    }

    /// <summary>A patient's move to a care team (null takes them off every team).</summary>
    public sealed record CareTeamMove(string? CareTeamId);

    // Administrators see the whole roster (to register devices and place patients on teams); everyone else the patients they may see.
    private static async Task<Ok<IReadOnlyList<Patient>>> ListAsync(
        ClaimsPrincipal user, PatientRegistry registry, PatientAccess access, CancellationToken cancellationToken)
    {
        var all = await registry.ListAsync(cancellationToken);
        if (user.IsInRole(ClientRoles.Administrator))
        {
            return TypedResults.Ok(all);
        }

        var visible = await access.VisiblePatientsAsync(user, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<Patient>>([.. all.Where(p => visible.Contains(p.Id))]);
    }

    private static async Task<Results<Ok<Patient>, ProblemHttpResult>> MoveToCareTeamAsync(
        string patientId, CareTeamMove request, CareTeams teams, PatientRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await teams.AssignPatientAsync(patientId, request.CareTeamId, cancellationToken);
        return outcome.Problem == ProblemKind.None
            ? TypedResults.Ok((await registry.FindAsync(patientId, cancellationToken))!)
            : OutcomeResults.Problem(outcome);
    }

    private static async Task<Results<Created<Patient>, ProblemHttpResult>> AddAsync(
        NewPatient request, PatientRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.AddAsync(request.Name ?? "", request.Mrn, request.CareTeamId, cancellationToken);
        return outcome.Problem == ProblemKind.None
            ? TypedResults.Created($"/api/v1/patients/{outcome.Value!.Id}", outcome.Value)
            : OutcomeResults.Problem(outcome);
    }

    private static async Task<Results<Ok<IEnumerable<ReadingView>>, NotFound>> LatestAsync(
        string patientId, PatientRegistry registry, ReadingQueries readings, CancellationToken cancellationToken)
    {
        if (!await registry.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var latest = await readings.LatestAsync(patientId, cancellationToken);
        return TypedResults.Ok(latest.Select(ReadingView.From));
    }

    private static async Task<Results<Ok<PatientMonitorState>, NotFound>> MonitoringAsync(
        string patientId, PatientRegistry registry, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!await registry.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(await grains.GetGrain<IPatientGrain>(patientId).GetStateAsync());
    }

    private static async Task<Results<Ok<ReadingPage>, Ok<BucketPage>, ValidationProblem, NotFound>> ReadingsAsync(
        string patientId, string? vital, string? from, string? to, string? resolution, int? limit, string? cursor,
        PatientRegistry registry, ReadingQueries readings, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var sign = vital is null ? null : VitalSignCatalogue.Find(vital);
        if (sign is null)
        {
            var known = string.Join(", ", VitalSignCatalogue.All.Select(v => v.Key));
            errors["vital"] = [string.IsNullOrWhiteSpace(vital)
                ? $"say which vital sign: vital is one of {known}"
                : $"\"{Core.Text.Quote.Shorten(vital)}\" is not a vital sign OpenWard knows; vital is one of {known}"];
        }

        var fromTime = ParseTime(from, "from", errors);
        var toTime = ParseTime(to, "to", errors);
        TimeSpan? bucket = null;
        if (resolution is not null && (bucket = Resolution.Parse(resolution)) is null)
        {
            errors["resolution"] = [$"resolution must be one of {Resolution.Accepted}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!await registry.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var pageSize = Math.Clamp(limit ?? 500, 1, 5000);
        if (bucket is null)
        {
            var page = await readings.PageAsync(patientId, sign!.Key, fromTime, toTime, pageSize, cursor, cancellationToken);
            return page.Problem == ProblemKind.None
                ? TypedResults.Ok(page.Value!)
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["cursor"] = [page.Reason!] });
        }

        // For buckets the cursor is the start of the next bucket.
        if (cursor is not null)
        {
            fromTime = ParseTime(cursor, "cursor", errors);
            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors);
            }
        }

        var buckets = (await readings.BucketsAsync(patientId, sign!.Key, sign.HasComponents, bucket.Value, fromTime, toTime, cancellationToken)).Value!;
        var next = buckets.Count > pageSize ? buckets[pageSize].Start.ToString("O") : null;
        return TypedResults.Ok(new BucketPage(sign.Key, sign.CanonicalUnit, resolution!, [.. buckets.Take(pageSize)], next));
    }

    private static DateTimeOffset? ParseTime(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DeviceJsonFormat.TryParseTime(text, out var time))
        {
            return time;
        }

        errors[name] = [$"{name} must be an ISO 8601 date-time with a UTC offset, e.g. 2026-11-23T10:00:00Z"];
        return null;
    }
}

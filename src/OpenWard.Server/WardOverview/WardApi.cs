using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;
using OpenWard.Server.Access;
using OpenWard.Server.Alerts;
using OpenWard.Server.Devices;
using OpenWard.Server.Patients;
using OpenWard.Server.People;
using OpenWard.Server.Readings;

namespace OpenWard.Server.WardOverview;

/// <summary>
/// <c>GET /api/v1/ward</c>: one tile per patient the caller may see (their care teams' patients,
/// or themself), optionally for one care team, or one patient's tile alone (<c>?patientId=</c>, for the
/// patient page, so that opening one patient records a view of that patient only) — what the ward
/// overview needs in one call.
/// </summary>
public static class WardApi
{
    /// <summary>Maps the ward endpoint.</summary>
    public static IEndpointRouteBuilder MapWardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/ward", ListAsync).RequireAuthorization(AccessPolicies.ReadClinicalData).RequireClinicalRelationship().WithTags("Ward");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<WardTile>>, ProblemHttpResult>> ListAsync(
        string? careTeamId, string? patientId, ClaimsPrincipal user, PatientAccess access, PatientRegistry registry, ReadingQueries readings,
        News2History news2, AlertStore alerts, DeviceRegistry devices, DeviceConnectivity connectivity, CareTeams careTeams,
        WardViewAudit audit, HttpContext context, CancellationToken cancellationToken)
    {
        var visible = await access.VisiblePatientsAsync(user, cancellationToken);
        if (patientId is not null && !visible.Contains(patientId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your patient",
                detail: "This patient is not on your care teams, or does not exist; ask the patient's care team.");
        }

        var patients = (await registry.ListAsync(cancellationToken))
            .Where(p => visible.Contains(p.Id) && (careTeamId is null || p.CareTeamId == careTeamId) && (patientId is null || p.Id == patientId))
            .ToList();
        var open = (await alerts.ListAsync(new AlertQuery("active", null, null, 1000, visible), cancellationToken))
            .ToLookup(a => a.PatientId, StringComparer.Ordinal);
        var devicesByPatient = (await devices.ListAsync(cancellationToken))
            .Where(d => d.PatientId is not null && d.RevokedAt is null)
            .ToLookup(d => d.PatientId!, StringComparer.Ordinal);

        var teamNames = (await careTeams.ListAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Name, StringComparer.Ordinal);
        var tiles = new List<WardTile>(patients.Count);
        foreach (var patient in patients)
        {
            var latest = await readings.LatestAsync(patient.Id, cancellationToken);
            tiles.Add(new WardTile
            {
                PatientId = patient.Id,
                Name = patient.Name,
                CareTeamId = patient.CareTeamId,
                CareTeamName = patient.CareTeamId is { } team ? teamNames.GetValueOrDefault(team) : null,
                Latest = [.. latest.Select(ReadingView.From)],
                News2 = await news2.LatestAsync(patient.Id, cancellationToken),
                OpenAlerts = [.. open[patient.Id].OrderByDescending(a => a.Severity).ThenBy(a => a.RaisedAt)],
                Devices = [.. devicesByPatient[patient.Id].Select(d => Describe(d, latest, connectivity))],
            });
        }

        await audit.RecordAsync(Caller.From(user)!.AuditName, tiles.Select(t => t.PatientId),
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown", cancellationToken);
        return TypedResults.Ok<IReadOnlyList<WardTile>>(tiles);
    }

    private static WardDevice Describe(Device device, IReadOnlyList<Reading> latest, DeviceConnectivity connectivity)
    {
        var own = latest.Where(r => r.DeviceId == device.Id).ToList();
        var battery = own.FirstOrDefault(r => r.Vital == VitalSignCatalogue.DeviceBattery.Key)?.Value;
        DateTimeOffset? lastReading = own.Count == 0 ? null : own.Max(r => r.DeviceTime);
        return new WardDevice(device.Id, device.Model, connectivity.IsConnected(device.Id), lastReading, battery);
    }
}

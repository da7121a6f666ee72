using OpenWard.Server.Access;
using OpenWard.Server.Audit;
using OpenWard.Server.Identity;
using OpenWard.Server.People;

namespace OpenWard.Server.Patients;

/// <summary>
/// <c>GET /api/v1/patients/{patientId}/access-log</c> — who accessed a record — for the patient themself
/// and their care team: the record's audit trail, each person named as colleagues know them; and
/// <c>GET …/access-log/visits</c>, the same trail as visits in plain words (<see cref="RecordVisits"/>).
/// </summary>
public static class AccessLogApi
{
    /// <summary>Maps the access-log endpoint.</summary>
    public static IEndpointRouteBuilder MapAccessLogApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/patients/{patientId}/access-log", AccessLogAsync)
            .RequireAuthorization(AccessPolicies.ReadClinicalData)
            .RequirePatientAccess()
            .WithTags("Patients");
        app.MapGet("/api/v1/patients/{patientId}/access-log/visits", VisitsAsync)
            .RequireAuthorization(AccessPolicies.ReadClinicalData)
            .RequirePatientAccess()
            .WithTags("Patients");
        return app;
    }

    private static async Task<IResult> AccessLogAsync(
        string patientId, int? limit, System.Security.Claims.ClaimsPrincipal caller, AuditQueries audit, UserDirectory users,
        CancellationToken cancellationToken)
    {
        var self = Caller.From(caller)?.AuditName;
        var records = await audit.ReadAsync(patientId, Math.Clamp(limit ?? 200, 1, 1000), cancellationToken);
        var people = (await users.ListAsync(cancellationToken)).ToDictionary(u => "user:" + u.Id);
        return TypedResults.Ok(records.Select(record => new RecordAccess
        {
            At = record.At,
            Who = people.TryGetValue(record.Actor, out var person) ? person.DisplayName : record.Actor,
            Role = person?.Role,
            Action = record.Action,
            Outcome = record.Outcome,
            Self = record.Actor == self,
        }));
    }

    // Visits are built from the record's latest requests; a busy record's older visits fall outside them.
    private const int VisitRequests = 5000;

    private static async Task<IResult> VisitsAsync(
        string patientId, int? limit, System.Security.Claims.ClaimsPrincipal caller, AuditQueries audit, UserDirectory users,
        CareTeams careTeams, PatientRegistry patients, ApiClients clients, CancellationToken cancellationToken)
    {
        var records = await audit.ReadAsync(patientId, VisitRequests, cancellationToken);
        var people = (await users.ListAsync(cancellationToken)).ToDictionary(u => Caller.PersonAuditName(u.Id));
        var teams = (await careTeams.ListAsync(cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        var patientTeam = await patients.CareTeamOfAsync(patientId, cancellationToken);
        var systems = new Dictionary<string, RecordVisits.Visitor>();
        foreach (var actor in records.Select(r => r.Actor).Distinct().Where(a => !people.ContainsKey(a)))
        {
            systems[actor] = await SystemAsync(actor, clients, cancellationToken);
        }

        RecordVisits.Visitor Visitor(string actor)
        {
            if (!people.TryGetValue(actor, out var person))
            {
                return systems[actor];
            }

            var team = person.CareTeams.Contains(patientTeam) ? patientTeam : person.CareTeams.FirstOrDefault();
            return new(person.DisplayName, person.Role, team is not null && teams.TryGetValue(team, out var name) ? name : null);
        }

        var visits = RecordVisits.Of(records, Visitor, Caller.From(caller)?.AuditName);
        return TypedResults.Ok(visits.Take(Math.Clamp(limit ?? 50, 1, 500)));
    }

    // Who a system is, as a patient can read it: an integration by its name, a hospital system, a device.
    private static async Task<RecordVisits.Visitor> SystemAsync(string actor, ApiClients clients, CancellationToken cancellationToken)
    {
        var (kind, id) = actor.IndexOf(':') is > 0 and var colon ? (actor[..colon], actor[(colon + 1)..]) : (actor, "");
        return kind switch
        {
            "client" when await clients.FindAsync(id, cancellationToken) is { } client => new(client.Name, client.Role, null),
            "hl7-sender" => new($"the hospital system {id}", null, null),
            "device" => new($"the device {id}", null, null),
            _ => new("an unknown caller", null, null),
        };
    }
}

using System.Collections.Concurrent;
using OpenWard.Server.Access;
using OpenWard.Server.Patients;
using OpenWard.Server.People;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Who hears about a patient — decided here and nowhere else, for alert delivery, ward notices and the
/// alerts hub's groups. On <c>/hubs/alerts</c>: those who see every patient (integration clients) and
/// the patient's care team hear the patient's alerts and new readings; the patient's own portal hears
/// only of its new readings. Every alert change also goes to every target of every configured channel
/// (webhooks, e-mail). Patients' care teams are kept in memory: <see cref="CareTeams"/> says when one
/// changes. Team membership is not kept: a console's groups are read from the person's account when it connects.
/// </summary>
public sealed class PatientAudience(PatientRegistry patients, IEnumerable<IAlertChannel> channels) : ICareTeamListener
{
    /// <summary>The group of connections that hear about every patient.</summary>
    public const string EveryPatient = "every-patient";

    // Patient id → care team id (null: on no team).
    private readonly ConcurrentDictionary<string, string?> careTeams = new(StringComparer.Ordinal);

    private readonly Lock gate = new();

    // How many moves have been told (under gate): a read that overlapped one is not kept.
    private long changes;

    /// <summary>The group of connections that hear about one care team's patients.</summary>
    public static string CareTeamGroup(string careTeamId) => "care-team:" + careTeamId;

    /// <summary>The group of a patient's own portal connections.</summary>
    public static string PatientGroup(string patientId) => "patient:" + patientId;

    /// <summary>The groups a hub connection joins: what <paramref name="caller"/> may hear (<paramref name="person"/> is their account, when a person).</summary>
    public static IReadOnlyList<string> GroupsOf(Caller? caller, UserAccount? person) => (caller, person) switch
    {
        ({ IsPerson: false, Role: ClientRoles.Integration }, _) => [EveryPatient],
        ({ IsPerson: true }, { Disabled: false, Role: UserRoles.Patient }) =>
            person is { PatientId: { } ownRecord, PatientConfirmed: true } ? [PatientGroup(ownRecord)] : [],
        ({ IsPerson: true }, { Disabled: false }) => [.. person.CareTeams.Select(CareTeamGroup)],
        _ => [],
    };

    /// <summary>Every channel's targets (URLs, addresses): each alert change of any patient is delivered to all of them.</summary>
    public IReadOnlyList<(string Channel, string Target)> DeliveryTargets() =>
        deliveryTargets ??= [.. channels.SelectMany(c => c.Targets.Select(t => (c.Name, t)))];

    // The channels' targets are settings read at start: listed once, not for every rule finding.
    private IReadOnlyList<(string Channel, string Target)>? deliveryTargets;

    /// <summary>The hub groups that hear a patient's alerts.</summary>
    public async Task<IReadOnlyList<string>> AlertGroupsAsync(string patientId, CancellationToken cancellationToken)
    {
        var careTeam = (await CareTeamsOfAsync([patientId], cancellationToken)).GetValueOrDefault(patientId);
        return careTeam is null ? [EveryPatient] : [EveryPatient, CareTeamGroup(careTeam)];
    }

    /// <summary>The hub groups that hear that these patients have new readings, each with the patients it hears of.</summary>
    public async Task<IReadOnlyList<(string Group, IReadOnlyList<string> Patients)>> WardGroupsAsync(
        IReadOnlyList<string> patientIds, CancellationToken cancellationToken)
    {
        var careTeams = await CareTeamsOfAsync(patientIds, cancellationToken);
        var groups = new List<(string, IReadOnlyList<string>)> { (EveryPatient, patientIds) };
        foreach (var team in patientIds.Where(careTeams.ContainsKey).GroupBy(id => careTeams[id]!, StringComparer.Ordinal))
        {
            groups.Add((CareTeamGroup(team.Key), team.ToList()));
        }

        groups.AddRange(patientIds.Select(id => (PatientGroup(id), (IReadOnlyList<string>)[id])));
        return groups;
    }

    /// <summary>A patient moved to another care team, or out of every team: forget the one kept (call once the move is stored).</summary>
    public void CareTeamChanged(string patientId)
    {
        lock (gate)
        {
            changes++;
            careTeams.TryRemove(patientId, out _);
        }
    }

    // The care teams of these patients (patients on no team are left out): from memory, the rest read at once.
    private async Task<IReadOnlyDictionary<string, string>> CareTeamsOfAsync(IReadOnlyList<string> patientIds, CancellationToken cancellationToken)
    {
        var teams = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var id in patientIds)
        {
            if (!careTeams.TryGetValue(id, out var team))
            {
                unknown.Add(id);
            }
            else if (team is not null)
            {
                teams[id] = team;
            }
        }

        if (unknown.Count == 0)
        {
            return teams;
        }

        var changesBefore = Volatile.Read(ref changes);
        var read = await patients.CareTeamsOfAsync(unknown, cancellationToken);
        lock (gate)
        {
            // A move told while we read may be missing from what we read: keep nothing then, and read again next time.
            if (changes == changesBefore)
            {
                foreach (var id in unknown)
                {
                    careTeams[id] = read.GetValueOrDefault(id);
                }
            }
        }

        foreach (var (id, team) in read)
        {
            teams[id] = team;
        }

        return teams;
    }
}

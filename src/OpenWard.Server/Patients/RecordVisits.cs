using System.Globalization;
using OpenWard.Core.Audit;

namespace OpenWard.Server.Patients;

/// <summary>
/// Turns a record's audit trail into visits: one entry per person per visit (a console page view makes several
/// requests; an open console re-reads as readings arrive), saying in plain words only what was actually answered.
/// </summary>
public static class RecordVisits
{
    /// <summary>Requests by one actor closer together than this belong to one visit.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMinutes(30);

    private static readonly string[] RefusedAcknowledgements = ["AE", "AR", "CE", "CR"];

    /// <summary>Who an actor of the trail is, as the patient should read it.</summary>
    public sealed record Visitor(string Who, string? Role, string? CareTeam);

    /// <summary>The visits in <paramref name="records"/> (any order), newest first.</summary>
    public static IReadOnlyList<RecordVisit> Of(IEnumerable<AuditRecord> records, Func<string, Visitor> visitor, string? self)
    {
        var visits = new List<RecordVisit>();
        foreach (var byActor in records.GroupBy(r => r.Actor))
        {
            var who = visitor(byActor.Key);
            var visit = new List<AuditRecord>();
            foreach (var record in byActor.OrderBy(r => r.Sequence))
            {
                if (visit.Count > 0 && record.At - visit[^1].At > Gap)
                {
                    visits.Add(Visit(visit, who, byActor.Key == self));
                    visit = [];
                }

                visit.Add(record);
            }

            visits.Add(Visit(visit, who, byActor.Key == self));
        }

        return [.. visits.OrderByDescending(v => v.To)];
    }

    /// <summary>Whether the request was answered (a 2xx or 3xx status, an accepted HL7 message, a portal account made).</summary>
    public static bool Answered(string outcome) =>
        int.TryParse(outcome, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status < 400
            : !RefusedAcknowledgements.Contains(outcome) && outcome != "refused";

    private static RecordVisit Visit(List<AuditRecord> requests, Visitor who, bool self)
    {
        var saw = new List<string>();
        var did = new List<string>();
        var refusedLooks = new List<string>();
        var refused = new List<string>();
        foreach (var request in requests)
        {
            var action = RecordAction.Of(request.Action);
            if (!Answered(request.Outcome))
            {
                AddOnce(refused, action.Attempted);
                if (action.Seen is { } notSeen)
                {
                    AddOnce(refusedLooks, notSeen);
                }
            }
            else if (action.Seen is { } seen)
            {
                AddOnce(saw, seen);
            }
            else
            {
                AddOnce(did, action.Done!);
            }
        }

        var name = who.Role is null ? who.Who : $"{who.Who} ({string.Join(", ", new[] { who.Role, who.CareTeam }.OfType<string>())})";
        var done = new List<string>();
        if (saw.Count > 0)
        {
            done.Add("looked at your " + Joined(saw));
        }

        done.AddRange(did);
        var attempted = refused.Where(a => !a.StartsWith("look at ", StringComparison.Ordinal)).ToList();
        if (refusedLooks.Count > 0)
        {
            attempted.Insert(0, "look at your " + Joined(refusedLooks));
        }

        return new RecordVisit
        {
            From = requests[0].At,
            To = requests[^1].At,
            Who = who.Who,
            Role = who.Role,
            CareTeam = who.CareTeam,
            Self = self,
            Saw = saw,
            Did = did,
            Refused = refused,
            Requests = requests.Count,
            Summary = done.Count == 0 ? null : $"{name} {Joined(done)}",
            RefusedSummary = refused.Count == 0 ? null : $"{name} tried to {Joined(attempted)}, refused",
        };
    }

    private static void AddOnce(List<string> list, string words)
    {
        if (!list.Contains(words))
        {
            list.Add(words);
        }
    }

    // "a", "a and b", "a, b and c".
    private static string Joined(List<string> parts) =>
        parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts[..^1])} and {parts[^1]}";
}

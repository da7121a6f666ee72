using System.Text.RegularExpressions;

namespace OpenWard.Server.Patients;

/// <summary>
/// What one request to a patient's record was, in the patient's words: something looked at ("your notes") or
/// something done ("added a reading", with "add a reading" for when it was refused).
/// </summary>
public sealed partial record RecordAction
{
    /// <summary>What was looked at, e.g. <c>notes</c> (read as "your notes"); null for a change.</summary>
    public string? Seen { get; init; }

    /// <summary>What was done, e.g. <c>added a reading</c>; null for a look.</summary>
    public string? Done { get; init; }

    /// <summary>What was attempted, e.g. <c>look at your notes</c> or <c>add a reading</c>.</summary>
    public required string Attempted { get; init; }

    private static RecordAction Look(string seen) => new() { Seen = seen, Attempted = "look at your " + seen };

    private static RecordAction Change(string done, string attempted) => new() { Done = done, Attempted = attempted };

    // Most specific first; matched against the audit trail's "METHOD /route" (or its word for what is not a request).
    private static readonly (Regex Pattern, RecordAction Action)[] Rules =
    [
        (BreakGlass(), Change("opened your record in an emergency", "open your record in an emergency")),
        (LinkPortalAccount(), Change("made a portal account for you", "make a portal account for you")),
        (ConfirmPortalAccount(), Change("confirmed a portal account for you", "confirm a portal account for you")),
        (Hl7Message(), Change("sent readings from a hospital system", "send readings from a hospital system")),
        (BulkExport(), Change("exported your record", "export your record")),
        (AddReading(), Change("added a reading", "add a reading")),
        (WriteNote(), Change("wrote a note", "write a note")),
        (ChangeLimits(), Change("changed your alert limits", "change your alert limits")),
        (MoveCareTeam(), Change("moved you to another care team", "move you to another care team")),
        (AccessLog(), Look("access log")),
        (Readings(), Look("readings")),
        (Limits(), Look("alert limits")),
        (News2(), Look("early-warning scores")),
        (Notes(), Look("notes")),
        (Alerts(), Look("alerts")),
    ];

    /// <summary>The plain words for an audit trail action; anything not known reads as the record in general.</summary>
    public static RecordAction Of(string action)
    {
        foreach (var (pattern, plain) in Rules)
        {
            if (pattern.IsMatch(action))
            {
                return plain;
            }
        }

        return action.StartsWith("GET ", StringComparison.Ordinal) ? Look("record") : Change("changed your record", "change your record");
    }

    [GeneratedRegex(@"/break-glass$")]
    private static partial Regex BreakGlass();

    [GeneratedRegex(@"^link portal account")]
    private static partial Regex LinkPortalAccount();

    [GeneratedRegex(@"^POST .*/portal-accounts/.*/confirm$")]
    private static partial Regex ConfirmPortalAccount();

    [GeneratedRegex(@"^hl7-")]
    private static partial Regex Hl7Message();

    [GeneratedRegex(@"^EXPORT ")]
    private static partial Regex BulkExport();

    [GeneratedRegex(@"^POST .*/readings$")]
    private static partial Regex AddReading();

    [GeneratedRegex(@"^POST .*/notes/?$")]
    private static partial Regex WriteNote();

    [GeneratedRegex(@"^PUT .*/alert-settings$")]
    private static partial Regex ChangeLimits();

    [GeneratedRegex(@"^PUT .*/care-team$")]
    private static partial Regex MoveCareTeam();

    [GeneratedRegex(@"^GET .*/access-log(/.*)?$")]
    private static partial Regex AccessLog();

    // The ward overview shows a patient's latest readings on its tile.
    [GeneratedRegex(@"^GET (.*/(latest|readings|monitoring)|/api/v1/ward)$")]
    private static partial Regex Readings();

    [GeneratedRegex(@"^GET .*/(thresholds|alert-settings)$")]
    private static partial Regex Limits();

    [GeneratedRegex(@"^GET .*/news2$")]
    private static partial Regex News2();

    [GeneratedRegex(@"^GET .*/notes/?")]
    private static partial Regex Notes();

    [GeneratedRegex(@"^GET .*/alerts")]
    private static partial Regex Alerts();
}

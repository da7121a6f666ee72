namespace OpenWard.Server.Devices;

/// <summary>
/// What the fleet list asks for (<c>GET /api/v1/devices?search=&amp;model=&amp;status=&amp;firmware=&amp;patient=&amp;page=&amp;pageSize=</c>):
/// every text filter matches anywhere, ignoring case; without <c>page</c> or <c>pageSize</c> every matching device is answered.
/// </summary>
public sealed record FleetQuery
{
    /// <summary>The statuses a device can be filtered by.</summary>
    public static readonly string[] Statuses = ["connected", "not-connected", "assigned", "unassigned", "revoked", "active"];

    /// <summary>The most devices one page holds.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Matches the id, model, serial, firmware or the patient's name or MRN.</summary>
    public string? Search { get; init; }

    /// <summary>Matches the model.</summary>
    public string? Model { get; init; }

    /// <summary>One of <see cref="Statuses"/>.</summary>
    public string? Status { get; init; }

    /// <summary>Matches the firmware version.</summary>
    public string? Firmware { get; init; }

    /// <summary>Matches the patient's id, name or MRN.</summary>
    public string? Patient { get; init; }

    /// <summary>The page, from 1.</summary>
    public int? Page { get; init; }

    /// <summary>Devices a page, 1 to <see cref="MaxPageSize"/> (50 when only the page is given).</summary>
    public int? PageSize { get; init; }

    /// <summary>Whether the answer is one page rather than every match.</summary>
    public bool Paged => Page is not null || PageSize is not null;

    /// <summary>What is wrong with the query, by parameter; empty when nothing is.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (Status is not null && !Statuses.Contains(Status))
        {
            problems["status"] = [$"status is one of {string.Join(", ", Statuses)}"];
        }

        if (Page is < 1)
        {
            problems["page"] = ["page counts from 1"];
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            problems["pageSize"] = [$"pageSize is from 1 to {MaxPageSize}"];
        }

        return problems;
    }

    /// <summary>The devices that match, in id order.</summary>
    public IEnumerable<FleetDevice> Filter(IEnumerable<FleetDevice> devices) => devices.Where(d =>
        Matches(Model, d.Model)
        && Matches(Firmware, d.Firmware)
        && (Patient is null or "" || Matches(Patient, d.PatientId) || Matches(Patient, d.PatientName) || Matches(Patient, d.PatientMrn))
        && (Search is null or "" || new[] { d.Id, d.Model, d.Serial, d.Firmware, d.PatientName, d.PatientMrn }.Any(text => Matches(Search, text)))
        && Status switch
        {
            "connected" => d.Connected,
            "not-connected" => !d.Connected,
            "assigned" => d.PatientId is not null,
            "unassigned" => d.PatientId is null && d.RevokedAt is null,
            "revoked" => d.RevokedAt is not null,
            "active" => d.RevokedAt is null,
            _ => true,
        });

    /// <summary>The page asked for, and how many pages there are for <paramref name="total"/> matches.</summary>
    public (int Page, int PageSize, int Pages) PageOf(int total)
    {
        var size = PageSize ?? 50;
        return (Page ?? 1, size, Math.Max(1, (total + size - 1) / size));
    }

    private static bool Matches(string? wanted, string? text) =>
        string.IsNullOrWhiteSpace(wanted) || (text?.Contains(wanted.Trim(), StringComparison.OrdinalIgnoreCase) ?? false);
}

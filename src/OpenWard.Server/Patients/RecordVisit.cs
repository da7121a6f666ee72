namespace OpenWard.Server.Patients;

/// <summary>
/// One visit to a patient's record: one person's (or system's) requests with no more than half an hour between
/// them, in the patient's words — what they saw, what they did, and, apart, what they tried and were refused.
/// </summary>
public sealed record RecordVisit
{
    /// <summary>The visit's first request.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The visit's last request.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Who, as people know them: a person's display name, an integration's name, a hospital system or a device.</summary>
    public required string Who { get; init; }

    /// <summary>A person's role (clinician, nurse, administrator, patient); null for a system.</summary>
    public string? Role { get; init; }

    /// <summary>The care team the person works in — the patient's own when they are on it.</summary>
    public string? CareTeam { get; init; }

    /// <summary>Whether the one asking made this visit themself.</summary>
    public bool Self { get; init; }

    /// <summary>What was looked at and answered, e.g. <c>readings</c>, <c>notes</c> (each once, in the order first seen).</summary>
    public IReadOnlyList<string> Saw { get; init; } = [];

    /// <summary>What was done, e.g. <c>added a reading</c>.</summary>
    public IReadOnlyList<string> Did { get; init; } = [];

    /// <summary>What was attempted and refused (never a view), e.g. <c>look at your notes</c>.</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];

    /// <summary>How many requests the visit holds.</summary>
    public required int Requests { get; init; }

    /// <summary>The visit in a sentence, e.g. "Dr A. Khan (clinician, Ward 3) looked at your readings and notes"; null when nothing was seen or done.</summary>
    public string? Summary { get; init; }

    /// <summary>The refused attempts in a sentence, e.g. "Dr A. Khan (clinician, Ward 3) tried to look at your notes, refused"; null when none.</summary>
    public string? RefusedSummary { get; init; }
}

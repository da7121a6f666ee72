namespace OpenWard.Server.Patients;

/// <summary>One access to a patient's record, as the patient (and their care team) sees it.</summary>
public sealed record RecordAccess
{
    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Who, as people know them: a user's name, or the integration client or device.</summary>
    public required string Who { get; init; }

    /// <summary>Their role, when a person.</summary>
    public string? Role { get; init; }

    /// <summary>What they did (method and route).</summary>
    public required string Action { get; init; }

    /// <summary>How it ended (status code).</summary>
    public required string Outcome { get; init; }

    /// <summary>
    /// Whether the one asking for the log made this access themself — for a patient, their own visits; every
    /// other reader, another account on the same record included, is someone else.
    /// </summary>
    public bool Self { get; init; }
}

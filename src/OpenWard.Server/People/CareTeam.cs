namespace OpenWard.Server.People;

/// <summary>A care team (a ward or a virtual ward): the clinicians and nurses who look after its patients.</summary>
public sealed record CareTeam
{
    /// <summary>OpenWard's id for the team (<c>team-…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The name the hospital uses (e.g. "Cardiology virtual ward").</summary>
    public required string Name { get; init; }

    /// <summary>The ids of the users on the team.</summary>
    public IReadOnlyList<string> Members { get; init; } = [];

    /// <summary>How many patients the team looks after.</summary>
    public int PatientCount { get; init; }
}

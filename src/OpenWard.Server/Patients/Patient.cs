namespace OpenWard.Server.Patients;

/// <summary>A patient under remote monitoring.</summary>
public sealed record Patient
{
    /// <summary>OpenWard's id for the patient.</summary>
    public required string Id { get; init; }

    /// <summary>The name clinicians see.</summary>
    public required string Name { get; init; }

    /// <summary>The hospital's medical record number, if given; HL7 v2 PID-3 is checked against it.</summary>
    public string? Mrn { get; init; }

    /// <summary>The care team (ward) that looks after the patient; only its members see the patient's data.</summary>
    public string? CareTeamId { get; init; }

    /// <summary>When the patient was added.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

namespace OpenWard.Server.Notes;

/// <summary>A note a clinician or nurse wrote on a patient's record.</summary>
public sealed record ClinicalNote
{
    /// <summary>The note's id.</summary>
    public required string Id { get; init; }

    /// <summary>The patient it is about.</summary>
    public required string PatientId { get; init; }

    /// <summary>Who wrote it, by name.</summary>
    public required string Author { get; init; }

    /// <summary>The author's role when it is known.</summary>
    public string? AuthorRole { get; init; }

    /// <summary>When it was written.</summary>
    public required DateTimeOffset WrittenAt { get; init; }

    /// <summary>What it says.</summary>
    public required string Text { get; init; }
}

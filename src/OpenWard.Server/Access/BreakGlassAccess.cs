namespace OpenWard.Server.Access;

/// <summary>
/// Access a clinician opened to a patient outside their care teams, with the reason they gave.
/// It lasts a limited time and stays listed for the privacy officer until reviewed.
/// </summary>
public sealed record BreakGlassAccess
{
    /// <summary>The access's id (<c>bg-…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Who opened it.</summary>
    public required string UserId { get; init; }

    /// <summary>The patient it opened.</summary>
    public required string PatientId { get; init; }

    /// <summary>The reason they gave.</summary>
    public required string Reason { get; init; }

    /// <summary>When it was opened.</summary>
    public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>When it ends.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Who reviewed it, once someone has.</summary>
    public string? ReviewedBy { get; init; }

    /// <summary>When it was reviewed.</summary>
    public DateTimeOffset? ReviewedAt { get; init; }
}

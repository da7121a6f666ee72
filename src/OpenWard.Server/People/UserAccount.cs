namespace OpenWard.Server.People;

/// <summary>A person who signs in to OpenWard. The password hash never leaves <see cref="UserDirectory"/>.</summary>
public sealed record UserAccount
{
    /// <summary>OpenWard's id for the user (<c>usr-…</c>), the subject of their tokens.</summary>
    public required string Id { get; init; }

    /// <summary>The name they sign in with.</summary>
    public required string UserName { get; init; }

    /// <summary>The name colleagues see.</summary>
    public required string DisplayName { get; init; }

    /// <summary>One of <see cref="Access.UserRoles.All"/>.</summary>
    public required string Role { get; init; }

    /// <summary>For a patient's own account, the patient they are.</summary>
    public string? PatientId { get; init; }

    /// <summary>
    /// For a patient's own account, whether a clinician or nurse of the patient's care team has confirmed it:
    /// until then it opens nothing of the record.
    /// </summary>
    public bool PatientConfirmed { get; init; }

    /// <summary>The care teams they work in.</summary>
    public IReadOnlyList<string> CareTeams { get; init; } = [];

    /// <summary>Until when sign-in is refused after repeated failures, if it is.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>Whether sign-in also asks for a one-time code from an authenticator app.</summary>
    public bool SecondFactor { get; init; }

    /// <summary>Whether the account has been disabled (it can no longer sign in or refresh a token).</summary>
    public bool Disabled { get; init; }

    /// <summary>When the account was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Raised by a password change, a sign-out or disabling: sign-in cookies and tokens carry the generation
    /// they were issued in and are refused once it has moved on.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long SessionGeneration { get; init; }
}

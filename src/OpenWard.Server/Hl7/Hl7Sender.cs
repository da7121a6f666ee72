namespace OpenWard.Server.Hl7;

/// <summary>
/// A system allowed to send HL7 v2 messages over MLLP — an interface engine, a central station or
/// a gateway — identified on the TLS port by its pinned client certificate, and allowed to submit
/// only for the devices named here or for patients of the care teams named here.
/// </summary>
public sealed record Hl7Sender
{
    /// <summary>The sender's name (its identity in the audit trail: <c>hl7-sender:NAME</c>).</summary>
    public required string Name { get; init; }

    /// <summary>SHA-256 of the sender's client certificate (DER, lower-case hex), or null for the plain loopback port only.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>Devices whose readings it may submit, whoever they are assigned to.</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];

    /// <summary>Care teams (ids) for whose patients it may submit readings.</summary>
    public IReadOnlyList<string> CareTeams { get; init; } = [];

    /// <summary>When it was registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When it was revoked; a revoked sender's connections are refused.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>
    /// A device with a pinned certificate speaking HL7 over MLLP itself (a bedside monitor with its
    /// own certificate): it may submit its own readings and no one else's.
    /// </summary>
    public static Hl7Sender ForDevice(string deviceId, string certificateSha256) => new()
    {
        Name = "device:" + deviceId,
        CertificateSha256 = certificateSha256,
        Devices = [deviceId],
        RegisteredAt = DateTimeOffset.MinValue,
    };

    /// <summary>The actor the audit trail records for this sender's messages.</summary>
    public string Actor => Name.StartsWith("device:", StringComparison.Ordinal) ? Name : "hl7-sender:" + Name;
}

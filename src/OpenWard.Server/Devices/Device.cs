namespace OpenWard.Server.Devices;

/// <summary>A registered device as the API shows it (never with its secret).</summary>
public sealed record Device
{
    /// <summary>The device id; also its MQTT user name and topic segment.</summary>
    public required string Id { get; init; }

    /// <summary>Manufacturer model.</summary>
    public required string Model { get; init; }

    /// <summary>Manufacturer serial number.</summary>
    public required string Serial { get; init; }

    /// <summary>When it was registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When it was revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The patient it is assigned to now, if any.</summary>
    public string? PatientId { get; init; }

    /// <summary>The firmware version recorded for the device (at registration or its last upgrade), if any.</summary>
    public string? Firmware { get; init; }
}

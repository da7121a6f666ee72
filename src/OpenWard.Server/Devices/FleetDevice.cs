namespace OpenWard.Server.Devices;

/// <summary>A registered device as the fleet list shows it: the device, what the gateway has seen of it, and its patient.</summary>
public sealed record FleetDevice
{
    /// <summary>The device's id.</summary>
    public required string Id { get; init; }

    /// <summary>Its model.</summary>
    public required string Model { get; init; }

    /// <summary>Its serial number.</summary>
    public required string Serial { get; init; }

    /// <summary>When it was registered.</summary>
    public required DateTimeOffset RegisteredAt { get; init; }

    /// <summary>When it was revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The firmware it runs, as recorded.</summary>
    public string? Firmware { get; init; }

    /// <summary>The patient it is assigned to now, if any.</summary>
    public string? PatientId { get; init; }

    /// <summary>That patient's name.</summary>
    public string? PatientName { get; init; }

    /// <summary>That patient's medical record number, if they have one — it tells two patients of the same name apart.</summary>
    public string? PatientMrn { get; init; }

    /// <summary>Whether it holds an MQTT connection now.</summary>
    public bool Connected { get; init; }

    /// <summary>When it last sent anything.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }

    /// <summary>The battery charge it last reported.</summary>
    public double? BatteryPercent { get; init; }
}

using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Devices;

/// <summary>Brute-force lockout and rate limits for devices (<c>OpenWard:Devices:…</c>).</summary>
public sealed class DeviceLimitsOptions
{
    /// <summary>Failed sign-ins (CONNECT or HTTP Basic) for one device id within the window after which it is locked out.</summary>
    [Range(1, 1000)]
    public int LockoutAfterFailures { get; set; } = 5;

    /// <summary>Failed sign-ins from one network address within the window after which the address is locked out.</summary>
    [Range(1, 10000)]
    public int AddressLockoutAfterFailures { get; set; } = 20;

    /// <summary>The window in which failures are counted.</summary>
    [Range(1, 1440)]
    public int FailureWindowMinutes { get; set; } = 5;

    /// <summary>How long a locked-out device id or address is refused, even with the right secret.</summary>
    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// Device connections (MQTT CONNECT) and HTTP uploads accepted from one network address per
    /// minute, whatever their outcome; a home hub or a ward gateway puts many devices behind one address.
    /// </summary>
    [Range(1, 1000000)]
    public int RequestsPerAddressPerMinute { get; set; } = 600;

    /// <summary>Messages per second one device may send, sustained (MQTT publishes and HTTP uploads together).</summary>
    [Range(1, 100000)]
    public int MessagesPerSecond { get; set; } = 50;

    /// <summary>Messages one device may send in a burst above the sustained rate (e.g. a buffered upload after a dropped connection).</summary>
    [Range(1, 1000000)]
    public int Burst { get; set; } = 200;
}

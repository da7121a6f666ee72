using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Devices;

/// <summary>Brute-force lockout and rate limits for devices (<c>OpenWard:Devices:…</c>).</summary>
public sealed class DeviceLimitsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Devices";

    /// <summary>
    /// Failed sign-ins (CONNECT or HTTP Basic) of one device id from one network address after which
    /// that pair's checks are spaced out; other addresses are not affected.
    /// </summary>
    [Range(1, 1000)]
    public int BackOffAfterFailures { get; set; } = 5;

    /// <summary>The first delay, in seconds; it doubles with each further failure.</summary>
    [Range(1, 3600)]
    public int BackOffSeconds { get; set; } = 1;

    /// <summary>The longest delay, in seconds: the right secret is checked at least this often from any address.</summary>
    [Range(1, 3600)]
    public int MaxBackOffSeconds { get; set; } = 60;

    /// <summary>Minutes without a failure after which a device id and address start afresh.</summary>
    [Range(1, 1440)]
    public int FailureWindowMinutes { get; set; } = 5;

    /// <summary>Failed sign-ins for one device id, from all addresses within an hour, that administrators are told of (a warning in the server's log).</summary>
    [Range(1, 1000000)]
    public int GuessingAlertAfterFailures { get; set; } = 50;

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

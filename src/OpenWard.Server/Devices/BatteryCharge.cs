namespace OpenWard.Server.Devices;

/// <summary>
/// A battery charge a device reported, with the device time of the reading that reported it: readings
/// may be committed out of order (a device's buffered readings, two group commits in flight), so the
/// charge known is the one taken last, not the one heard last.
/// </summary>
/// <param name="Percent">The charge, in percent.</param>
/// <param name="TakenAt">The reading's device time, Unix milliseconds; 0 for a charge kept before its time was recorded.</param>
public readonly record struct BatteryCharge(double Percent, long TakenAt)
{
    /// <summary>Whether this charge was taken no earlier than <paramref name="known"/>, and so replaces it.</summary>
    public bool Supersedes(BatteryCharge known) => TakenAt >= known.TakenAt;
}

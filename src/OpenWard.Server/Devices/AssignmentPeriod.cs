namespace OpenWard.Server.Devices;

/// <summary>The interval [<see cref="From"/>, <see cref="Until"/>) during which a device belonged to a patient.</summary>
public sealed record AssignmentPeriod(string PatientId, DateTimeOffset From, DateTimeOffset? Until)
{
    /// <summary>Whether <paramref name="time"/> falls within the period.</summary>
    public bool Covers(DateTimeOffset time) => time >= From && (Until is null || time < Until);
}

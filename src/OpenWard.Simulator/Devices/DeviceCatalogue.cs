namespace OpenWard.Simulator.Devices;

/// <summary>How each simulated kind of device behaves: model name, sampling and upload rhythm.</summary>
public static class DeviceCatalogue
{
    /// <summary>The model name a simulated device registers with.</summary>
    public static string Model(DeviceKind kind) => kind switch
    {
        DeviceKind.PulseOximeter => "Simulated pulse oximeter",
        DeviceKind.WearableBand => "Simulated wearable band",
        DeviceKind.BloodPressureCuff => "Simulated blood pressure cuff",
        DeviceKind.Scale => "Simulated scale",
        DeviceKind.GlucoseMeter => "Simulated glucose meter",
        DeviceKind.Thermometer => "Simulated thermometer",
        DeviceKind.EmergencyPendant => "Simulated emergency pendant",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind a model name stands for, or null.</summary>
    public static DeviceKind? KindOf(string model) =>
        Enum.GetValues<DeviceKind>().Cast<DeviceKind?>().FirstOrDefault(k => Model(k!.Value) == model);

    /// <summary>Short id segment for the kind, e.g. <c>oxi</c>.</summary>
    public static string IdPrefix(DeviceKind kind) => kind switch
    {
        DeviceKind.PulseOximeter => "oxi",
        DeviceKind.WearableBand => "band",
        DeviceKind.BloodPressureCuff => "cuff",
        DeviceKind.Scale => "scale",
        DeviceKind.GlucoseMeter => "gluco",
        DeviceKind.Thermometer => "temp",
        DeviceKind.EmergencyPendant => "pendant",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>How often a continuously sampling device measures; null for spot-check devices.</summary>
    public static TimeSpan? SampleInterval(DeviceKind kind) => kind switch
    {
        DeviceKind.PulseOximeter => TimeSpan.FromSeconds(1),
        DeviceKind.WearableBand => TimeSpan.FromMinutes(1),
        _ => null,
    };

    /// <summary>How often a device uploads what it has measured (spot-check devices upload at once).</summary>
    public static TimeSpan UploadInterval(DeviceKind kind) => kind switch
    {
        DeviceKind.PulseOximeter => TimeSpan.FromSeconds(1),
        DeviceKind.WearableBand => TimeSpan.FromMinutes(5),
        _ => TimeSpan.FromSeconds(1),
    };

    /// <summary>Times of day (hours, UTC) a spot-check device is used.</summary>
    public static IReadOnlyList<double> DailySchedule(DeviceKind kind) => kind switch
    {
        DeviceKind.BloodPressureCuff => [8.0, 14.0, 20.0],
        DeviceKind.Scale => [7.5],
        DeviceKind.GlucoseMeter => [7.0, 12.0, 18.0, 22.0],
        DeviceKind.Thermometer => [9.0, 21.0],
        _ => [],
    };

    /// <summary>
    /// Whether the device holds its connection open, as wearables, bedside oximeters and emergency pendants do, and
    /// so connects again as soon as a drop-out ends; spot-check devices connect again only when they have a reading to send.
    /// </summary>
    public static bool HoldsConnection(DeviceKind kind) => DailySchedule(kind).Count == 0;

    /// <summary>
    /// How long a spot-check device may go between reports in an ordinary day: the longest gap between its scheduled uses
    /// (once a day for the scale, overnight for the others), so that the server does not report it offline between them;
    /// null for devices that hold their connection.
    /// </summary>
    public static TimeSpan? ReportingInterval(DeviceKind kind)
    {
        var hours = DailySchedule(kind);
        if (hours.Count == 0)
        {
            return null;
        }

        var longest = 24 - hours[^1] + hours[0];
        for (var i = 1; i < hours.Count; i++)
        {
            longest = Math.Max(longest, hours[i] - hours[i - 1]);
        }

        return TimeSpan.FromHours(longest);
    }

    /// <summary>Whether the device uploads its past days when the simulation starts (continuous high-rate devices do not).</summary>
    public static bool KeepsHistory(DeviceKind kind) => kind != DeviceKind.PulseOximeter;
}

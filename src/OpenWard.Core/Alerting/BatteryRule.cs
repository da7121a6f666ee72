using System.Globalization;

namespace OpenWard.Core.Alerting;

/// <summary>
/// A patient's device running flat: below 20 % a warning (the device will soon stop sending);
/// cleared once it reports 30 % or more (charged or replaced). One condition per device.
/// </summary>
public sealed class BatteryRule
{
    /// <summary>The condition prefix; the device id follows.</summary>
    public const string Prefix = "device-battery:";

    private const double Low = 20;
    private const double Recovered = 30;

    private readonly HashSet<string> low = new(StringComparer.Ordinal);

    /// <summary>Marks a device's condition as already open.</summary>
    public void Resume(string condition) => low.Add(condition);

    /// <summary>Takes a battery level; returns a finding when it falls below 20 % or recovers.</summary>
    public RuleFinding? Observe(string deviceId, double percent, DateTimeOffset time)
    {
        var condition = Prefix + deviceId;
        if (percent < Low && low.Add(condition))
        {
            return new RuleFinding(condition, AlertSeverity.Warning,
                string.Create(CultureInfo.InvariantCulture, $"Battery of device {deviceId} at {percent:0} %: charge or replace it"), time);
        }

        if (percent >= Recovered && low.Remove(condition))
        {
            return new RuleFinding(condition, null, $"Battery of device {deviceId} charged", time);
        }

        return null;
    }
}

using System.Globalization;

namespace OpenWard.Core.Bluetooth;

/// <summary>The Bluetooth SIG health characteristics OpenWard decodes, by their 16-bit UUIDs.</summary>
public static class GattCharacteristic
{
    /// <summary>Heart Rate Measurement.</summary>
    public const ushort HeartRateMeasurement = 0x2A37;

    /// <summary>Blood Pressure Measurement.</summary>
    public const ushort BloodPressureMeasurement = 0x2A35;

    /// <summary>Intermediate Cuff Pressure.</summary>
    public const ushort IntermediateCuffPressure = 0x2A36;

    /// <summary>Glucose Measurement.</summary>
    public const ushort GlucoseMeasurement = 0x2A18;

    /// <summary>PLX Spot-Check Measurement.</summary>
    public const ushort PlxSpotCheckMeasurement = 0x2A5E;

    /// <summary>PLX Continuous Measurement.</summary>
    public const ushort PlxContinuousMeasurement = 0x2A5F;

    /// <summary>Temperature Measurement.</summary>
    public const ushort TemperatureMeasurement = 0x2A1C;

    /// <summary>Intermediate Temperature.</summary>
    public const ushort IntermediateTemperature = 0x2A1E;

    /// <summary>Weight Measurement.</summary>
    public const ushort WeightMeasurement = 0x2A9D;

    /// <summary>Battery Level (Battery Service): the device's remaining charge, 0–100 %.</summary>
    public const ushort BatteryLevel = 0x2A19;

    private const string BaseUuidSuffix = "-0000-1000-8000-00805f9b34fb";

    /// <summary>
    /// Parses a characteristic UUID as gateways write it: <c>2a37</c>, <c>0x2A37</c> or the full
    /// <c>00002a37-0000-1000-8000-00805f9b34fb</c>.
    /// </summary>
    public static bool TryParse(string text, out ushort uuid)
    {
        uuid = 0;
        var t = text.Trim().ToLowerInvariant();
        if (t.StartsWith("0x", StringComparison.Ordinal))
        {
            t = t[2..];
        }
        else if (t.Length == 36 && t.StartsWith("0000", StringComparison.Ordinal) && t.EndsWith(BaseUuidSuffix, StringComparison.Ordinal))
        {
            t = t[4..8];
        }

        return t.Length is > 0 and <= 4 && ushort.TryParse(t, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uuid);
    }
}

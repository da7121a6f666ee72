using System.Globalization;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Vitals;

namespace OpenWard.Core.Bluetooth;

/// <summary>
/// Decodes raw Bluetooth LE health characteristic values (as a phone or hub gateway reads them) per
/// the Bluetooth SIG service specifications into readings. Never throws on device input: a value
/// too short, with reserved bits or an unknown characteristic is a <see cref="GattDecodeResult.Problem"/>.
/// Device timestamps carry no time zone; OpenWard takes them as UTC (gateways should keep device
/// clocks on UTC), and uses the time of receipt when a value has none.
/// </summary>
public static class GattDecoder
{
    /// <summary>The largest characteristic value accepted (far above any SIG health characteristic).</summary>
    public const int MaxValueBytes = 512;

    /// <summary>Decodes one characteristic value received at <paramref name="receivedTime"/>.</summary>
    public static GattDecodeResult Decode(ushort characteristic, ReadOnlySpan<byte> value, DateTimeOffset receivedTime)
    {
        if (value.IsEmpty)
        {
            return GattDecodeResult.Refused("characteristic value is empty");
        }

        if (value.Length > MaxValueBytes)
        {
            return GattDecodeResult.Refused(FormattableString.Invariant($"characteristic value of {value.Length} bytes is larger than {MaxValueBytes}"));
        }

        var reader = new GattReader(value);
        var decoded = new Decoded(receivedTime);
        var problem = characteristic switch
        {
            GattCharacteristic.HeartRateMeasurement => HeartRate(ref reader, decoded),
            GattCharacteristic.BloodPressureMeasurement => BloodPressure(ref reader, decoded, intermediate: false),
            GattCharacteristic.IntermediateCuffPressure => BloodPressure(ref reader, decoded, intermediate: true),
            GattCharacteristic.GlucoseMeasurement => Glucose(ref reader, decoded),
            GattCharacteristic.PlxSpotCheckMeasurement => PlxSpotCheck(ref reader, decoded),
            GattCharacteristic.PlxContinuousMeasurement => PlxContinuous(ref reader, decoded),
            GattCharacteristic.TemperatureMeasurement => Temperature(ref reader, decoded, intermediate: false),
            GattCharacteristic.IntermediateTemperature => Temperature(ref reader, decoded, intermediate: true),
            GattCharacteristic.WeightMeasurement => Weight(ref reader, decoded),
            GattCharacteristic.BatteryLevel => Battery(ref reader, decoded),
            _ => string.Create(CultureInfo.InvariantCulture, $"characteristic 0x{characteristic:X4} is not one OpenWard decodes"),
        };

        if (problem is null && reader.Truncated)
        {
            problem = "characteristic value is shorter than its flags say";
        }

        return problem is null
            ? new GattDecodeResult { Readings = decoded.Readings, Notes = decoded.Notes }
            : GattDecodeResult.Refused(problem);
    }

    private static string? HeartRate(ref GattReader reader, Decoded decoded)
    {
        var flags = reader.UInt8();
        if ((flags & 0xE0) != 0)
        {
            return "heart rate measurement flags use reserved bits";
        }

        var rate = (flags & 0x01) != 0 ? reader.UInt16() : reader.UInt8();
        var contactSupported = (flags & 0x04) != 0;
        var contactDetected = (flags & 0x02) != 0;
        if ((flags & 0x08) != 0)
        {
            reader.UInt16();
            decoded.Note("energy expended is not stored");
        }

        if ((flags & 0x10) != 0)
        {
            var intervals = 0;
            while (reader.Remaining >= 2)
            {
                reader.UInt16();
                intervals++;
            }

            decoded.Note(string.Create(CultureInfo.InvariantCulture, $"{intervals} RR intervals are not stored"));
        }

        if (contactSupported && !contactDetected)
        {
            decoded.Note("heart rate not stored: the sensor reports no skin contact");
            return null;
        }

        decoded.Value(VitalSignCatalogue.HeartRate, decoded.ReceivedTime, rate, "/min");
        return null;
    }

    private static string? BloodPressure(ref GattReader reader, Decoded decoded, bool intermediate)
    {
        var flags = reader.UInt8();
        if ((flags & 0xE0) != 0)
        {
            return "blood pressure flags use reserved bits";
        }

        var unit = (flags & 0x01) != 0 ? "kPa" : "mm[Hg]";
        var systolic = reader.SFloat();
        var diastolic = reader.SFloat();
        var mean = reader.SFloat();
        var time = (flags & 0x02) != 0 ? decoded.Timestamp(ref reader) : null;
        var pulse = (flags & 0x04) != 0 ? reader.SFloat() : (MedicalFloat?)null;
        if ((flags & 0x08) != 0)
        {
            decoded.UserId(reader.UInt8());
        }

        if ((flags & 0x10) != 0)
        {
            MeasurementStatus(reader.UInt16(), decoded);
        }

        if (intermediate)
        {
            // The cuff pressure while it inflates: progress, not a result.
            decoded.Note("intermediate cuff pressure is not stored");
            return null;
        }

        var at = time ?? decoded.ReceivedTime;
        if (!systolic.IsNumber || !diastolic.IsNumber)
        {
            decoded.Note($"blood pressure not stored: systolic {Describe(systolic)}, diastolic {Describe(diastolic)}");
        }
        else
        {
            var components = new Dictionary<string, double>(StringComparer.Ordinal) { ["systolic"] = systolic.Value, ["diastolic"] = diastolic.Value };
            if (mean.IsNumber)
            {
                components["mean"] = mean.Value;
            }

            decoded.Components(VitalSignCatalogue.BloodPressure, at, components, unit);
        }

        if (pulse is { } p)
        {
            decoded.Value(VitalSignCatalogue.HeartRate, at, p, "/min");
        }

        return null;
    }

    private static void MeasurementStatus(ushort status, Decoded decoded)
    {
        if ((status & 0x0001) != 0)
        {
            decoded.Note("device reports: body movement during measurement");
        }

        if ((status & 0x0002) != 0)
        {
            decoded.Note("device reports: cuff too loose");
        }

        if ((status & 0x0004) != 0)
        {
            decoded.Note("device reports: irregular pulse");
        }

        if ((status & 0x0018) != 0)
        {
            decoded.Note("device reports: pulse rate out of range");
        }

        if ((status & 0x0020) != 0)
        {
            decoded.Note("device reports: improper measurement position");
        }
    }

    private static string? Glucose(ref GattReader reader, Decoded decoded)
    {
        var flags = reader.UInt8();
        if ((flags & 0xE0) != 0)
        {
            return "glucose measurement flags use reserved bits";
        }

        var sequence = reader.UInt16(); // also what the Record Access Control Point asks for
        var baseTime = decoded.Timestamp(ref reader);
        if ((flags & 0x01) != 0)
        {
            var offsetMinutes = reader.SInt16();
            baseTime = baseTime?.AddMinutes(offsetMinutes);
        }

        if ((flags & 0x02) == 0)
        {
            decoded.Note("glucose record carries no concentration");
            return null;
        }

        var concentration = reader.SFloat();
        var typeAndLocation = reader.UInt8();
        if ((flags & 0x08) != 0)
        {
            var status = reader.UInt16();
            if (status != 0)
            {
                decoded.Note(string.Create(CultureInfo.InvariantCulture, $"sensor status annunciation 0x{status:X4}"));
            }
        }

        // Types 1–8 are whole blood or plasma (capillary, venous, arterial, undetermined), as home
        // meters report; interstitial fluid (9) is a CGM signal and control solution (10) is no patient.
        var type = typeAndLocation & 0x0F;
        if (type is < 1 or > 8)
        {
            decoded.Note(string.Create(CultureInfo.InvariantCulture, $"glucose of sample type {type} (interstitial fluid, control solution or reserved) is not stored"));
            return null;
        }

        if (!concentration.IsNumber)
        {
            decoded.Note($"glucose not stored: {Describe(concentration)}");
            return null;
        }

        // kg/L × 100,000 = mg/dL; mol/L × 1,000 = mmol/L.
        var (value, unit) = (flags & 0x04) != 0 ? (concentration.Value * 1000, "mmol/L") : (concentration.Value * 100_000, "mg/dL");
        decoded.Value(VitalSignCatalogue.BloodGlucose, baseTime ?? decoded.ReceivedTime, Math.Round(value, 6), unit);
        decoded.Readings[^1] = decoded.Readings[^1] with { Sequence = sequence };
        return null;
    }

    private static string? PlxSpotCheck(ref GattReader reader, Decoded decoded)
    {
        var flags = reader.UInt8();
        if ((flags & 0xE0) != 0)
        {
            return "PLX spot-check flags use reserved bits";
        }

        var spo2 = reader.SFloat();
        var pulse = reader.SFloat();
        var time = (flags & 0x01) != 0 ? decoded.Timestamp(ref reader) : null;
        SkipPlxStatus(ref reader, decoded, flags & 0x02, flags & 0x04, flags & 0x08);
        if ((flags & 0x10) != 0 && (flags & 0x01) != 0)
        {
            decoded.Note("device clock not set: the time of receipt is used");
            time = null;
        }

        var at = time ?? decoded.ReceivedTime;
        decoded.Value(VitalSignCatalogue.OxygenSaturation, at, spo2, "%");
        decoded.Value(VitalSignCatalogue.HeartRate, at, pulse, "/min");
        return null;
    }

    private static string? PlxContinuous(ref GattReader reader, Decoded decoded)
    {
        var flags = reader.UInt8();
        if ((flags & 0xE0) != 0)
        {
            return "PLX continuous flags use reserved bits";
        }

        var spo2 = reader.SFloat();
        var pulse = reader.SFloat();
        if ((flags & 0x01) != 0)
        {
            reader.SFloat();
            reader.SFloat();
        }

        if ((flags & 0x02) != 0)
        {
            reader.SFloat();
            reader.SFloat();
        }

        SkipPlxStatus(ref reader, decoded, flags & 0x04, flags & 0x08, flags & 0x10);
        decoded.Value(VitalSignCatalogue.OxygenSaturation, decoded.ReceivedTime, spo2, "%");
        decoded.Value(VitalSignCatalogue.HeartRate, decoded.ReceivedTime, pulse, "/min");
        return null;
    }

    private static void SkipPlxStatus(ref GattReader reader, Decoded decoded, int measurementStatus, int deviceStatus, int pulseAmplitude)
    {
        if (measurementStatus != 0)
        {
            var status = reader.UInt16();
            if ((status & 0x0020) != 0)
            {
                decoded.Note("device reports: measurement ongoing");
            }
        }

        if (deviceStatus != 0)
        {
            reader.UInt24();
        }

        if (pulseAmplitude != 0)
        {
            reader.SFloat();
            decoded.Note("pulse amplitude index is not stored");
        }
    }

    private static string? Temperature(ref GattReader reader, Decoded decoded, bool intermediate)
    {
        var flags = reader.UInt8();
        if ((flags & 0xF8) != 0)
        {
            return "temperature flags use reserved bits";
        }

        var temperature = reader.Float();
        var time = (flags & 0x02) != 0 ? decoded.Timestamp(ref reader) : null;
        if ((flags & 0x04) != 0)
        {
            reader.UInt8(); // temperature type (armpit, ear, …)
        }

        if (intermediate)
        {
            decoded.Note("intermediate temperature is not stored");
            return null;
        }

        decoded.Value(VitalSignCatalogue.BodyTemperature, time ?? decoded.ReceivedTime, temperature, (flags & 0x01) != 0 ? "[degF]" : "Cel");
        return null;
    }

    private static string? Weight(ref GattReader reader, Decoded decoded)
    {
        var flags = reader.UInt8();
        if ((flags & 0xF0) != 0)
        {
            return "weight flags use reserved bits";
        }

        var imperial = (flags & 0x01) != 0;
        var raw = reader.UInt16();
        var time = (flags & 0x02) != 0 ? decoded.Timestamp(ref reader) : null;
        if ((flags & 0x04) != 0)
        {
            decoded.UserId(reader.UInt8());
        }

        if ((flags & 0x08) != 0)
        {
            reader.UInt16();
            reader.UInt16();
            decoded.Note("BMI and height are not stored");
        }

        if (raw == 0xFFFF)
        {
            decoded.Note("weight not stored: measurement unsuccessful");
            return null;
        }

        // Resolution: 0.005 kg (SI) or 0.01 lb (imperial).
        var (value, unit) = imperial ? (raw * 0.01, "[lb_av]") : (raw * 0.005, "kg");
        decoded.Value(VitalSignCatalogue.BodyWeight, time ?? decoded.ReceivedTime, Math.Round(value, 3), unit);
        return null;
    }

    private static string Describe(MedicalFloat value) => value.Kind switch
    {
        MedicalFloatKind.NaN => "not a number",
        MedicalFloatKind.NRes => "not at this resolution",
        MedicalFloatKind.PositiveInfinity => "above the measurement range",
        MedicalFloatKind.NegativeInfinity => "below the measurement range",
        MedicalFloatKind.Reserved => "a reserved value",
        _ => value.Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Collects a decoder's readings and notes.</summary>
    private static string? Battery(ref GattReader reader, Decoded decoded)
    {
        var percent = reader.UInt8();
        if (percent > 100)
        {
            return string.Create(CultureInfo.InvariantCulture, $"battery level {percent} % is above 100 %");
        }

        decoded.Value(VitalSignCatalogue.DeviceBattery, decoded.ReceivedTime, percent, "%");
        return null;
    }

    private sealed class Decoded(DateTimeOffset receivedTime)
    {
        public DateTimeOffset ReceivedTime { get; } = receivedTime;

        public List<ReadingSubmission> Readings { get; } = [];

        public List<string> Notes { get; } = [];

        public void Note(string note) => Notes.Add(note);

        /// <summary>The device's timestamp; when it is incomplete (e.g. year 0, "not known"), null with a note, so that the received time is used.</summary>
        public DateTimeOffset? Timestamp(ref GattReader reader)
        {
            var time = reader.DateTime();
            if (time is null && !reader.Truncated)
            {
                Notes.Add("the device's timestamp is incomplete (year, month or day not known): the time of receipt is used");
            }

            return time;
        }

        public void UserId(byte user)
        {
            if (user != 0xFF)
            {
                Notes.Add(string.Create(CultureInfo.InvariantCulture, $"measured for device user {user}"));
            }
        }

        public void Value(VitalSign vital, DateTimeOffset time, MedicalFloat value, string unit)
        {
            if (value.IsNumber)
            {
                Value(vital, time, value.Value, unit);
            }
            else
            {
                Notes.Add($"{vital.Key} not stored: {Describe(value)}");
            }
        }

        public void Value(VitalSign vital, DateTimeOffset time, double value, string unit) =>
            Readings.Add(new ReadingSubmission { Vital = vital.Key, Time = time, Value = value, Unit = unit });

        public void Components(VitalSign vital, DateTimeOffset time, Dictionary<string, double> components, string unit) =>
            Readings.Add(new ReadingSubmission { Vital = vital.Key, Time = time, Components = components, Unit = unit });
    }
}

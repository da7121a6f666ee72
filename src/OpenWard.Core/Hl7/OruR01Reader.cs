using System.Globalization;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Vitals;
using OpenWard.Core.Text;

namespace OpenWard.Core.Hl7;

/// <summary>
/// Reads an HL7 v2 ORU^R01 (IHE PCD-01 style) into readings: OBX-3 in MDC or LOINC, OBX-5 numeric,
/// OBX-6 units in UCUM or MDC, times from OBX-14, else OBR-7, else MSH-7 (each with a UTC offset),
/// the device from OBX-18 (or the nearest earlier OBX-18, or MSH-3). The systolic, diastolic and
/// mean OBXs of one device at one time become one blood-pressure reading.
/// </summary>
public static class OruR01Reader
{
    /// <summary>Reads the message; never throws on bad input.</summary>
    public static OruMessage Read(Hl7Message message)
    {
        var header = message.Header;
        var result = new OruMessage
        {
            ControlId = header.Get(10),
            SendingApplication = header.Get(3),
            SendingFacility = header.Get(4),
            PatientIdentifier = message.First("PID")?.Get(3) is { Length: > 0 } pid ? pid : null,
        };
        if (header.Get(9, 1) != "ORU" || header.Get(9, 2) != "R01")
        {
            return result with { Problem = $"message type {header.Get(9, 1)}^{header.Get(9, 2)} is not accepted; OpenWard takes ORU^R01" };
        }

        if (result.ControlId.Length == 0)
        {
            return result with { Problem = "MSH-10 (message control id) is empty" };
        }

        var observations = new List<OruObservation>();
        var pressures = new Dictionary<(string Device, DateTimeOffset Time), (int Observation, Dictionary<string, double> Components, string Unit)>();
        var ignored = 0;
        var defaultTime = message.First("OBR")?.Get(7) is { Length: > 0 } obr7 ? obr7 : header.Get(7);
        var device = header.Get(3);
        var position = 0;
        foreach (var obx in message.Segments.Where(s => s.Id == "OBX"))
        {
            position++;
            if (obx.Get(18) is { Length: > 0 } equipment)
            {
                device = equipment;
            }

            var status = obx.Get(11);
            if (status is "X" or "D" or "W")
            {
                continue; // no result, deleted, or wrong: nothing to store
            }

            var observed = VitalSignCodes.Find(obx.Get(3, 1), obx.Get(3, 2), obx.Get(3, 3));
            if (observed is not { } code)
            {
                ignored++;
                continue;
            }

            var index = int.TryParse(obx.Get(1), NumberStyles.None, CultureInfo.InvariantCulture, out var setId) ? setId : position;
            var problem = ReadValue(obx, defaultTime, out var time, out var value, out var unit);
            if (problem is not null)
            {
                observations.Add(new OruObservation { DeviceId = device, Index = index, Raw = obx.Text, Problem = problem });
                continue;
            }

            if (code.Component is { } component)
            {
                var key = (device, time);
                if (!pressures.TryGetValue(key, out var pressure))
                {
                    observations.Add(new OruObservation
                    {
                        DeviceId = device, Index = index, Raw = obx.Text,
                        Submission = new ReadingSubmission { Vital = code.Vital.Key, Time = time, Unit = unit },
                    });
                    pressure = (observations.Count - 1, new Dictionary<string, double>(StringComparer.Ordinal), unit);
                    pressures[key] = pressure;
                }

                if (pressure.Unit != unit)
                {
                    observations.Add(new OruObservation { DeviceId = device, Index = index, Raw = obx.Text, Problem = $"{component.Key} is in {unit} but the rest of the blood pressure in {pressure.Unit}" });
                    continue;
                }

                pressure.Components[component.Key] = value;
                var first = observations[pressure.Observation];
                observations[pressure.Observation] = first with
                {
                    Raw = first.Raw == obx.Text ? first.Raw : first.Raw + "\r" + obx.Text,
                    Submission = first.Submission! with { Components = pressure.Components },
                };
                continue;
            }

            observations.Add(new OruObservation
            {
                DeviceId = device, Index = index, Raw = obx.Text,
                Submission = new ReadingSubmission { Vital = code.Vital.Key, Time = time, Value = value, Unit = unit },
            });
        }

        return result with { Observations = observations, IgnoredObservations = ignored };
    }

    private static string? ReadValue(Hl7Segment obx, string defaultTime, out DateTimeOffset time, out double value, out string unit)
    {
        time = default;
        value = 0;
        unit = "";
        var type = obx.Get(2);
        if (type is not ("NM" or ""))
        {
            return $"OBX-2 value type {type} is not numeric (NM)";
        }

        if (!double.TryParse(obx.Get(5), NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            return $"OBX-5 \"{Quote.Shorten(obx.Get(5))}\" is not a number";
        }

        var units = Hl7Units.Ucum(obx.Get(6, 1), obx.Get(6, 2), obx.Get(6, 3));
        if (units is null)
        {
            return $"OBX-6 unit \"{Quote.Shorten(obx.RawField(6))}\" is neither UCUM nor a known MDC unit";
        }

        unit = units;
        var timeText = obx.Get(14) is { Length: > 0 } obx14 ? obx14 : defaultTime;
        if (!Hl7Time.TryParse(timeText, out time))
        {
            return $"observation time \"{Quote.Shorten(timeText)}\" is not an HL7 timestamp with a UTC offset (e.g. 20261123100000+0000)";
        }

        return null;
    }

}

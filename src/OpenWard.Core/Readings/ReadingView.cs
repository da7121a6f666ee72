using System.Text.Json.Serialization;
using OpenWard.Core.Vitals;

namespace OpenWard.Core.Readings;

/// <summary>
/// How OpenWard prints a reading everywhere (API, CLI): the device JSON format v1 shape, with the
/// LOINC and MDC codes, the device, the patient and the received time added.
/// </summary>
public sealed record ReadingView
{
    /// <summary>Vital-sign catalogue key.</summary>
    [JsonPropertyName("vital")] public required string Vital { get; init; }

    /// <summary>Device time, UTC.</summary>
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }

    /// <summary>Single value, in <see cref="Unit"/>.</summary>
    [JsonPropertyName("value")] public double? Value { get; init; }

    /// <summary>Named components, in <see cref="Unit"/>.</summary>
    [JsonPropertyName("components")] public IReadOnlyDictionary<string, double>? Components { get; init; }

    /// <summary>Canonical UCUM unit.</summary>
    [JsonPropertyName("unit")] public required string Unit { get; init; }

    /// <summary>Device sequence number, if it sent one.</summary>
    [JsonPropertyName("seq")] public long? Seq { get; init; }

    /// <summary>LOINC code of the vital sign.</summary>
    [JsonPropertyName("loinc")] public string? Loinc { get; init; }

    /// <summary>IEEE 11073 MDC reference id of the vital sign.</summary>
    [JsonPropertyName("mdc")] public string? Mdc { get; init; }

    /// <summary>IEEE 11073 MDC numeric code of the vital sign.</summary>
    [JsonPropertyName("mdcCode")] public int? MdcCode { get; init; }

    /// <summary>The device that measured.</summary>
    [JsonPropertyName("deviceId")] public string? DeviceId { get; init; }

    /// <summary>The patient the reading is attributed to.</summary>
    [JsonPropertyName("patientId")] public string? PatientId { get; init; }

    /// <summary>When OpenWard received it, UTC.</summary>
    [JsonPropertyName("receivedTime")] public DateTimeOffset? ReceivedTime { get; init; }

    /// <summary>The printed form of a stored reading.</summary>
    public static ReadingView From(Reading reading)
    {
        var vital = VitalSignCatalogue.Find(reading.Vital);
        return new ReadingView
        {
            Vital = reading.Vital,
            Time = reading.DeviceTime,
            Value = reading.Value,
            Components = reading.Components,
            Unit = reading.Unit,
            Seq = reading.Sequence,
            Loinc = vital?.Loinc,
            Mdc = vital?.Mdc?.ReferenceId,
            MdcCode = vital?.Mdc?.Code,
            DeviceId = reading.DeviceId,
            PatientId = reading.PatientId,
            ReceivedTime = reading.ReceivedTime,
        };
    }
}

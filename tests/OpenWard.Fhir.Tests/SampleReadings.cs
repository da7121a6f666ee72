using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;

namespace OpenWard.Fhir.Tests;

/// <summary>A stored reading of each vital sign, as the FHIR mapping tests start from.</summary>
internal static class SampleReadings
{
    /// <summary>When the sample readings were measured (received two seconds later).</summary>
    public static readonly DateTimeOffset Measured = new(2026, 12, 6, 9, 30, 15, 250, TimeSpan.Zero);

    /// <summary>Every vital sign of the catalogue, by key, for theories over all of them.</summary>
    public static TheoryData<string> EveryVitalSign() => [.. VitalSignCatalogue.All.Select(v => v.Key)];

    /// <summary>A reading of <paramref name="vital"/> in its canonical unit: a value mid-range, the three blood pressures, or an event.</summary>
    public static Reading Of(string vital)
    {
        var sign = VitalSignCatalogue.Find(vital)!;
        var reading = new Reading
        {
            DeviceId = "oxi-7",
            PatientId = "pat-0a1b2c",
            Vital = vital,
            Unit = sign.CanonicalUnit,
            DeviceTime = Measured,
            ReceivedTime = Measured.AddSeconds(2),
        };
        return sign switch
        {
            { HasComponents: true } => reading with { Components = new Dictionary<string, double> { ["systolic"] = 128, ["diastolic"] = 82, ["mean"] = 97 } },
            { IsEvent: true } => reading with { Value = 1 },
            _ => reading with { Value = sign.Plausible.Min + ((sign.Plausible.Max - sign.Plausible.Min) / 2) },
        };
    }
}

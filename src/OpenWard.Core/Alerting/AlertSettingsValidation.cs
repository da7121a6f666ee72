using System.Globalization;
using OpenWard.Core.Vitals;

namespace OpenWard.Core.Alerting;

/// <summary>Checks a clinician's alert settings before they are used: known measures, limits in order, sensible timing.</summary>
public static class AlertSettingsValidation
{
    /// <summary>Every problem with the settings; empty when they can be used.</summary>
    public static IReadOnlyList<string> Problems(PatientAlertSettings settings)
    {
        var problems = new List<string>();
        var measures = VitalSignCatalogue.All
            .SelectMany(v => v.HasComponents ? v.Components.Select(c => $"{v.Key}.{c.Key}") : [v.Key])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var bands in settings.Thresholds ?? [])
        {
            if (bands.Measure is null || !measures.Contains(bands.Measure))
            {
                problems.Add($"\"{bands.Measure}\" is not a measure; use one of {string.Join(", ", measures.Order(StringComparer.Ordinal))}");
                continue;
            }

            double?[] ordered = [bands.CriticalLow, bands.Low, bands.High, bands.CriticalHigh];
            var given = ordered.OfType<double>().ToList();
            if (given.Count == 0)
            {
                problems.Add($"{bands.Measure}: at least one limit is needed");
            }
            else if (given.Zip(given.Skip(1)).Any(pair => pair.First > pair.Second))
            {
                problems.Add($"{bands.Measure}: limits must be in order criticalLow ≤ low ≤ high ≤ criticalHigh");
            }

            if (bands.Hysteresis < 0 || !WithinAnHour(bands.Persistence) || !WithinAnHour(bands.CriticalPersistence) || !WithinAnHour(bands.Smoothing) || !WithinAnHour(bands.HoldOff))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{bands.Measure}: hysteresis must be ≥ 0, and persistence, criticalPersistence, smoothing and holdOff between 0 and 1 hour"));
            }
        }

        if (settings.Thresholds?.GroupBy(t => t.Measure).Any(g => g.Count() > 1) == true)
        {
            problems.Add("each measure may appear once");
        }

        foreach (var expected in settings.ExpectedReadings ?? [])
        {
            if (VitalSignCatalogue.Find(expected.Vital ?? "") is null)
            {
                problems.Add($"expected readings: \"{expected.Vital}\" is not a vital sign");
            }
            else if (expected.Within < TimeSpan.FromMinutes(1) || expected.Within > TimeSpan.FromDays(14))
            {
                problems.Add($"expected readings: {expected.Vital} must be expected within 1 minute to 14 days");
            }
        }

        if (!Enum.IsDefined(settings.SpO2Scale))
        {
            problems.Add("spO2Scale must be scale1 or scale2");
        }

        return problems;
    }

    private static bool WithinAnHour(TimeSpan? span) => span is not { } given || (given >= TimeSpan.Zero && given <= TimeSpan.FromHours(1));
}

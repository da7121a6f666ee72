using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Vitals;
using OpenWard.Core.Text;

namespace OpenWard.Core.Readings;

/// <summary>
/// Turns a device's submission into a <see cref="Reading"/>: the vital sign must be in the catalogue,
/// the unit convertible to its canonical unit, every value within the plausible range, and the
/// device's clock no more than <see cref="MaxClockAhead"/> ahead of OpenWard's.
/// </summary>
public static class ReadingValidator
{
    /// <summary>How far in the future a device's timestamp may be before the reading is refused.</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Validates and normalises one submission from <paramref name="deviceId"/>, attributed to
    /// <paramref name="patientId"/> when it is known (the reading keeps the submission's time).
    /// </summary>
    public static ReadingCheck Check(ReadingSubmission submission, string deviceId, DateTimeOffset receivedTime, string? patientId = null)
    {
        if (string.IsNullOrEmpty(submission.Vital))
        {
            return ReadingCheck.Refused("\"vital\" is missing");
        }

        var vital = VitalSignCatalogue.Find(submission.Vital);
        if (vital is null)
        {
            return ReadingCheck.Refused($"unknown vital sign \"{Quote.Shorten(submission.Vital)}\"; known: {KnownKeys}");
        }

        if (submission.Time is not { } time)
        {
            return ReadingCheck.Refused("\"time\" is missing");
        }

        if (time - receivedTime > MaxClockAhead)
        {
            return ReadingCheck.Refused(FormattableString.Invariant(
                $"time {time:O} is {(time - receivedTime).TotalMinutes:F0} min ahead of the server clock (at most {MaxClockAhead.TotalMinutes:F0} min allowed)"));
        }

        if (string.IsNullOrEmpty(submission.Unit))
        {
            return ReadingCheck.Refused($"\"unit\" is missing; {vital.Key} takes {AcceptedUnits(vital)}");
        }

        var unit = vital.FindUnit(submission.Unit);
        if (unit is null)
        {
            return ReadingCheck.Refused($"unit \"{Quote.Shorten(submission.Unit)}\" is not accepted for {vital.Key}; use {AcceptedUnits(vital)}");
        }

        Dictionary<string, double>? components = null;
        double value = 0;
        var problem = vital.HasComponents
            ? CheckComponents(vital, unit, submission, out components)
            : CheckValue(vital, unit, submission, out value);
        if (problem is not null)
        {
            return ReadingCheck.Refused(problem);
        }

        return ReadingCheck.Accepted(new Reading
        {
            DeviceId = deviceId,
            PatientId = patientId,
            Vital = vital.Key,
            Value = vital.HasComponents ? null : value,
            Components = components,
            Unit = vital.CanonicalUnit,
            DeviceTime = time,
            ReceivedTime = receivedTime,
            Sequence = submission.Sequence,
        });
    }

    private static string? CheckValue(VitalSign vital, UnitConversion unit, ReadingSubmission submission, out double value)
    {
        value = 0;
        if (submission.Components is not null)
        {
            return $"{vital.Key} takes a single \"value\", not \"components\"";
        }

        if (submission.Value is not { } raw)
        {
            return "\"value\" is missing";
        }

        value = unit.ToCanonical(raw);
        return vital.Plausible.Contains(value) ? null : OutOfRange(vital.Key, value, vital.CanonicalUnit, vital.Plausible);
    }

    private static string? CheckComponents(VitalSign vital, UnitConversion unit, ReadingSubmission submission, out Dictionary<string, double>? components)
    {
        components = null;
        if (submission.Value is not null)
        {
            return $"{vital.Key} takes \"components\" ({ComponentKeys(vital)}), not a single \"value\"";
        }

        if (submission.Components is null)
        {
            return $"\"components\" is missing; {vital.Key} takes {ComponentKeys(vital)}";
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, raw) in submission.Components)
        {
            var component = vital.FindComponent(key);
            if (component is null)
            {
                return $"unknown component \"{Quote.Shorten(key)}\" of {vital.Key}; known: {ComponentKeys(vital)}";
            }

            var value = unit.ToCanonical(raw);
            if (!component.Plausible.Contains(value))
            {
                return OutOfRange($"{vital.Key} {key}", value, vital.CanonicalUnit, component.Plausible);
            }

            values[key] = value;
        }

        foreach (var component in vital.Components)
        {
            if (component.Required && !values.ContainsKey(component.Key))
            {
                return $"component \"{component.Key}\" of {vital.Key} is missing";
            }
        }

        components = values;
        return null;
    }

    private static string OutOfRange(string what, double value, string unit, PlausibleRange range) =>
        FormattableString.Invariant($"{what} {value:0.##} {unit} is outside the plausible range {range} {unit}");

    private static string AcceptedUnits(VitalSign vital) => string.Join(", ", vital.Units.Select(u => u.Ucum));

    private static string ComponentKeys(VitalSign vital) => string.Join(", ", vital.Components.Select(c => c.Key));

    private static readonly string KnownKeys = string.Join(", ", VitalSignCatalogue.All.Select(v => v.Key));

}

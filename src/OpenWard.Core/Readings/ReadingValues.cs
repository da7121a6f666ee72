using System.Globalization;

namespace OpenWard.Core.Readings;

/// <summary>
/// Comparing and naming what a reading measured — its value or components in its unit — for telling a
/// resend from a different reading that claims the same device, vital sign and time.
/// </summary>
public static class ReadingValues
{
    // Values are compared after conversion to the canonical unit: the same measurement sent in another
    // unit differs only by rounding, far below anything a device resolves.
    private const double RelativeTolerance = 1e-9;

    /// <summary>Whether two readings measured the same: the same unit and the same value, or the same components.</summary>
    public static bool Same(Reading a, Reading b)
    {
        if (a.Unit != b.Unit || (a.Value is null) != (b.Value is null) || (a.Components is null) != (b.Components is null))
        {
            return false;
        }

        if (a.Value is { } value && !Close(value, b.Value!.Value))
        {
            return false;
        }

        if (a.Components is { } components)
        {
            if (components.Count != b.Components!.Count)
            {
                return false;
            }

            foreach (var (key, component) in components)
            {
                if (!b.Components.TryGetValue(key, out var other) || !Close(component, other))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>What a reading measured, in words: <c>72 /min</c>, <c>systolic 128, diastolic 80 mm[Hg]</c>.</summary>
    public static string Describe(Reading reading)
    {
        var values = reading.Components is { } components
            ? string.Join(", ", components.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {Number(c.Value)}"))
            : Number(reading.Value ?? double.NaN);
        return $"{values} {reading.Unit}";
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= RelativeTolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

namespace OpenWard.Core.Alerting;

/// <summary>
/// The median of one measure's readings within an hour, kept as a count per whole unit over the
/// measure's plausible range, so that an hour of 1 Hz readings costs a few hundred counters, not
/// thousands of values, and a few minutes of artefacts do not move it.
/// </summary>
public sealed class HourlyMedian(int lowest, int highest)
{
    private readonly int[] counts = new int[highest - lowest + 1];
    private int total;

    /// <summary>How many readings the hour holds.</summary>
    public int Count => total;

    /// <summary>Counts one reading (rounded to a whole unit; values outside the range count at its edge).</summary>
    public void Add(double value)
    {
        counts[Math.Clamp((int)Math.Round(value) - lowest, 0, counts.Length - 1)]++;
        total++;
    }

    /// <summary>The median, or null for an hour without readings.</summary>
    public double? Median() => Quantile(0.5);

    /// <summary>The value below which a share <paramref name="q"/> of the hour's readings lie, or null for an hour without readings.</summary>
    public double? Quantile(double q)
    {
        if (total == 0)
        {
            return null;
        }

        var wanted = Math.Max(1, (int)Math.Ceiling(q * total));
        var seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= wanted)
            {
                return lowest + i;
            }
        }

        return highest;
    }
}

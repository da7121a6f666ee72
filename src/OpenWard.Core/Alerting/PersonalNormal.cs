namespace OpenWard.Core.Alerting;

/// <summary>
/// What is normal for one patient and one sign: the median of their own past values (at the same
/// time of day where there are enough) and a robust spread (1.4826 × the median absolute deviation),
/// drawn towards the population's spread while the history is short. With too little history, the
/// population's normal stands in.
/// </summary>
/// <param name="Value">The patient's usual value (or the population's).</param>
/// <param name="Spread">The spread departures are measured in: the patient's own, drawn towards the population's while the history is short.</param>
/// <param name="Personal">Whether the patient's own history stands behind it.</param>
/// <param name="UsualLow">The low end of what the patient's own values have been (their 10th percentile).</param>
/// <param name="UsualHigh">The high end of what the patient's own values have been (their 90th percentile).</param>
public readonly record struct PersonalNormal(double Value, double Spread, bool Personal, double UsualLow, double UsualHigh)
{
    /// <summary>How many past values of the same time of day are enough to use them on their own.</summary>
    private const int EnoughAtTimeOfDay = 6;

    /// <summary>How many values' worth of weight the population's spread keeps.</summary>
    private const double PopulationWeight = 8;

    /// <summary>The normal of <paramref name="sign"/> from the patient's past values (all, and those of the same time of day).</summary>
    public static PersonalNormal Of(EarlyWarningSign sign, List<double> all, List<double> sameTimeOfDay, int enough)
    {
        if (all.Count < enough)
        {
            return new PersonalNormal(sign.PopulationNormal, sign.PopulationSpread, Personal: false, sign.PopulationNormal, sign.PopulationNormal);
        }

        var source = sameTimeOfDay.Count >= EnoughAtTimeOfDay ? sameTimeOfDay : all;
        var median = Median(source); // sorts the source
        var deviations = source.Select(v => Math.Abs(v - median)).ToList();
        var personalSpread = 1.4826 * Median(deviations);
        var n = source.Count;
        var spread = Math.Sqrt((n * personalSpread * personalSpread + PopulationWeight * sign.PopulationSpread * sign.PopulationSpread) / (n + PopulationWeight));
        return new PersonalNormal(median, Math.Max(spread, sign.SmallestSpread), Personal: true, source[(int)(0.1 * (n - 1))], source[(int)Math.Ceiling(0.9 * (n - 1))]);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}

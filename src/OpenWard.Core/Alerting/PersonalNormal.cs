namespace OpenWard.Core.Alerting;

/// <summary>
/// What is normal for one patient and one sign: the median of their own past values (at the same
/// time of day where there are enough) and a robust spread (1.4826 × the median absolute deviation),
/// drawn towards the population's spread while the history is short. With too little history, the
/// population's normal stands in.
/// </summary>
public readonly record struct PersonalNormal(double Value, double Spread, bool Personal)
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
            return new PersonalNormal(sign.PopulationNormal, sign.PopulationSpread, Personal: false);
        }

        var source = sameTimeOfDay.Count >= EnoughAtTimeOfDay ? sameTimeOfDay : all;
        var median = Median(source);
        var deviations = source.Select(v => Math.Abs(v - median)).ToList();
        var personalSpread = 1.4826 * Median(deviations);
        var n = source.Count;
        var spread = Math.Sqrt((n * personalSpread * personalSpread + PopulationWeight * sign.PopulationSpread * sign.PopulationSpread) / (n + PopulationWeight));
        return new PersonalNormal(median, Math.Max(spread, sign.SmallestSpread), Personal: true);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}

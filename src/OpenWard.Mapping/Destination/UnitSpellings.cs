namespace OpenWard.Mapping.Destination;

/// <summary>
/// Unit spellings found in published mapping templates that are not UCUM (e.g. <c>count/min</c>,
/// <c>mmHg</c>, <c>degC</c>), and the UCUM unit each means.
/// </summary>
internal static class UnitSpellings
{
    private static readonly Dictionary<string, string> Ucum = new(StringComparer.Ordinal)
    {
        ["count/min"] = "/min",
        ["{count}/min"] = "/min",
        ["beats/min"] = "/min",
        ["bpm"] = "/min",
        ["breaths/min"] = "/min",
        ["mmHg"] = "mm[Hg]",
        ["degC"] = "Cel",
        ["°C"] = "Cel",
        ["degF"] = "[degF]",
        ["°F"] = "[degF]",
        ["lb"] = "[lb_av]",
        ["lbs"] = "[lb_av]",
        ["count"] = "1",
        ["{count}"] = "1",
        ["steps"] = "{steps}",
    };

    /// <summary>The UCUM unit a template's unit means.</summary>
    public static string ToUcum(string unit) => Ucum.GetValueOrDefault(unit, unit);
}

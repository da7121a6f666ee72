namespace OpenWard.Core.Hl7;

/// <summary>How OBX-6 units (UCUM, or IEEE 11073 MDC unit terms) map to UCUM.</summary>
public static class Hl7Units
{
    private static readonly Dictionary<string, string> MdcUnits = new(StringComparer.Ordinal)
    {
        ["MDC_DIM_PERCENT"] = "%",
        ["MDC_DIM_BEAT_PER_MIN"] = "/min",
        ["MDC_DIM_RESP_PER_MIN"] = "/min",
        ["MDC_DIM_MMHG"] = "mm[Hg]",
        ["MDC_DIM_KILO_PASCAL"] = "kPa",
        ["MDC_DIM_DEGC"] = "Cel",
        ["MDC_DIM_FAHR"] = "[degF]",
        ["MDC_DIM_KILO_G"] = "kg",
        ["MDC_DIM_LB"] = "[lb_av]",
        ["MDC_DIM_MILLI_G_PER_DL"] = "mg/dL",
        ["MDC_DIM_MILLI_MOLE_PER_L"] = "mmol/L",
    };

    /// <summary>The UCUM unit of an OBX-6 coded element, or null when it is not recognised.</summary>
    public static string? Ucum(string code, string text, string system) => system switch
    {
        "UCUM" or "" => code.Length > 0 ? code : null,
        "MDC" => MdcUnits.GetValueOrDefault(text) ?? MdcUnits.GetValueOrDefault(code),
        _ => null,
    };
}

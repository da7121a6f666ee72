using OpenWard.Core.Vitals;

namespace OpenWard.Core.Hl7;

/// <summary>
/// How OBX-3 observation codes (IEEE 11073 MDC or LOINC) and OBX-6 units (UCUM or MDC) map onto
/// the vital-sign catalogue.
/// </summary>
public static class Hl7Codes
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

    // Pulse rates from an oximeter or a cuff are heart rates in OpenWard's vocabulary.
    private static readonly Dictionary<string, string> MdcAliases = new(StringComparer.Ordinal)
    {
        ["MDC_PULS_OXIM_PULS_RATE"] = "heart-rate",
        ["149530"] = "heart-rate",
        ["MDC_PULS_RATE_NON_INV"] = "heart-rate",
        ["149546"] = "heart-rate",
        ["MDC_PULS_RATE"] = "heart-rate",
    };

    /// <summary>
    /// The vital sign (and, for blood pressure, the component) an OBX-3 coded element names:
    /// <c>code^text^system</c> with system <c>MDC</c> (numeric code or reference id) or <c>LN</c>.
    /// </summary>
    public static (VitalSign Vital, VitalComponent? Component)? Observation(string code, string text, string system)
    {
        foreach (var vital in VitalSignCatalogue.All)
        {
            if (Matches(vital.Loinc, vital.Mdc, code, text, system))
            {
                return (vital, null);
            }

            foreach (var component in vital.Components)
            {
                if (Matches(component.Loinc, component.Mdc, code, text, system))
                {
                    return (vital, component);
                }
            }
        }

        if (system is "MDC" or "" && (MdcAliases.GetValueOrDefault(code) ?? MdcAliases.GetValueOrDefault(text)) is { } alias)
        {
            return (VitalSignCatalogue.Find(alias)!, null);
        }

        return null;
    }

    /// <summary>The UCUM unit of an OBX-6 coded element, or null when it is not recognised.</summary>
    public static string? Unit(string code, string text, string system) => system switch
    {
        "UCUM" or "" => code.Length > 0 ? code : null,
        "MDC" => MdcUnits.GetValueOrDefault(text) ?? MdcUnits.GetValueOrDefault(code),
        _ => null,
    };

    private static bool Matches(string loinc, MdcCode? mdc, string code, string text, string system) => system switch
    {
        "LN" => code == loinc,
        "MDC" => mdc is not null && (code == mdc.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) || code == mdc.ReferenceId || text == mdc.ReferenceId),
        _ => false,
    };
}

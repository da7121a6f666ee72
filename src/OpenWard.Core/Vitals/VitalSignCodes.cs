namespace OpenWard.Core.Vitals;

/// <summary>
/// Finds the catalogue vital sign (and, for blood pressure, the component) a standard code names,
/// whatever carried it: an HL7 v2 OBX-3, a FHIR <c>Observation.code</c>.
/// </summary>
public static class VitalSignCodes
{
    /// <summary>LOINC, as HL7 v2 names it.</summary>
    public const string Loinc = "LN";

    /// <summary>IEEE 11073-10101, as HL7 v2 names it.</summary>
    public const string Mdc = "MDC";

    // Pulse rates from an oximeter or a cuff are heart rates in OpenWard's vocabulary.
    private static readonly Dictionary<string, string> MdcAliases = new(StringComparer.Ordinal)
    {
        ["MDC_PULS_OXIM_PULS_RATE"] = "heart-rate",
        ["149530"] = "heart-rate",
        ["MDC_PULS_RATE_NON_INV"] = "heart-rate",
        ["149546"] = "heart-rate",
        ["MDC_PULS_RATE"] = "heart-rate",
        // Plasma glucose of unstated sample site, as Personal Health Device glucose meters report it.
        ["MDC_CONC_GLU_UNDETERMINED_PLASMA"] = "blood-glucose",
        ["160368"] = "blood-glucose",
    };

    // Other LOINC codes in common use for the same measurements.
    private static readonly Dictionary<string, string> LoincAliases = new(StringComparer.Ordinal)
    {
        ["35094-2"] = "blood-pressure", // Blood pressure panel (older panel code)
        ["8889-8"] = "heart-rate",      // Heart rate by pulse oximetry
        ["2708-6"] = "spo2",            // Oxygen saturation in arterial blood (FHIR vital-signs profile)
        ["3141-9"] = "body-weight",     // Body weight, measured
    };

    /// <summary>
    /// The sign a code names: <paramref name="system"/> <see cref="Loinc"/> (by code) or
    /// <see cref="Mdc"/> (numeric code or reference id, in the code or its display text); null
    /// when it is not in the catalogue.
    /// </summary>
    public static (VitalSign Vital, VitalComponent? Component)? Find(string code, string display, string system)
    {
        foreach (var vital in VitalSignCatalogue.All)
        {
            if (Matches(vital.Loinc, vital.Mdc, code, display, system))
            {
                return (vital, null);
            }

            foreach (var component in vital.Components)
            {
                if (Matches(component.Loinc, component.Mdc, code, display, system))
                {
                    return (vital, component);
                }
            }
        }

        if (system == Loinc && LoincAliases.GetValueOrDefault(code) is { } loincAlias)
        {
            return (VitalSignCatalogue.Find(loincAlias)!, null);
        }

        if (system is Mdc or "" && (MdcAliases.GetValueOrDefault(code) ?? MdcAliases.GetValueOrDefault(display)) is { } alias)
        {
            return (VitalSignCatalogue.Find(alias)!, null);
        }

        return null;
    }

    private static bool Matches(string? loinc, MdcCode? mdc, string code, string display, string system) => system switch
    {
        Loinc => loinc is not null && code == loinc,
        Mdc => mdc is not null && (code == mdc.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) || code == mdc.ReferenceId || display == mdc.ReferenceId),
        _ => false,
    };
}

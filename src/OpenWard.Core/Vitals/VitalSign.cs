namespace OpenWard.Core.Vitals;

/// <summary>
/// One entry of the vital-sign catalogue: what is measured, how standards name it, its canonical
/// UCUM unit, the other units accepted and converted, and the range a real value can fall in.
/// </summary>
public sealed record VitalSign
{
    /// <summary>The catalogue key devices use, e.g. <c>heart-rate</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Human-readable name.</summary>
    public required string Display { get; init; }

    /// <summary>LOINC code (for a multi-part sign, the panel code); null for events no LOINC code names.</summary>
    public required string? Loinc { get; init; }

    /// <summary>
    /// IEEE 11073-10101 MDC code (for a multi-part sign, the compound code); null where no
    /// nomenclature term has been verified for the sign.
    /// </summary>
    public required MdcCode? Mdc { get; init; }

    /// <summary>The UCUM unit in which OpenWard stores and prints values.</summary>
    public required string CanonicalUnit { get; init; }

    /// <summary>Every unit accepted on input, the canonical one included.</summary>
    public required IReadOnlyList<UnitConversion> Units { get; init; }

    /// <summary>Range of physiologically possible values in the canonical unit (single-value signs).</summary>
    public PlausibleRange Plausible { get; init; }

    /// <summary>Named parts for multi-part signs (blood pressure); empty for single-value signs.</summary>
    public IReadOnlyList<VitalComponent> Components { get; init; } = [];

    /// <summary>
    /// Whether this is an event (an emergency call, a fall) rather than a measurement: its readings
    /// carry the value 1 in <c>{event}</c> and each one raises a critical alert at once.
    /// </summary>
    public bool IsEvent { get; init; }

    /// <summary>Whether this describes the device rather than the patient (its battery), kept to watch the fleet.</summary>
    public bool IsDeviceStatus { get; init; }

    /// <summary>Whether readings of this sign carry <c>components</c> instead of a single <c>value</c>.</summary>
    public bool HasComponents => Components.Count > 0;

    /// <summary>Finds how to convert from <paramref name="ucum"/>, or null when the unit is not accepted.</summary>
    public UnitConversion? FindUnit(string ucum)
    {
        foreach (var unit in Units)
        {
            if (string.Equals(unit.Ucum, ucum, StringComparison.Ordinal))
            {
                return unit;
            }
        }

        return null;
    }

    /// <summary>Finds a component by key, or null.</summary>
    public VitalComponent? FindComponent(string key)
    {
        foreach (var component in Components)
        {
            if (string.Equals(component.Key, key, StringComparison.Ordinal))
            {
                return component;
            }
        }

        return null;
    }
}

namespace OpenWard.Core.Vitals;

/// <summary>
/// A UCUM unit that a vital sign accepts and how to turn a value in it into the canonical unit:
/// canonical = value × <see cref="Factor"/> + <see cref="Offset"/>.
/// </summary>
public sealed record UnitConversion(string Ucum, double Factor, double Offset = 0)
{
    /// <summary>Converts a value in this unit to the canonical unit.</summary>
    public double ToCanonical(double value) => value * Factor + Offset;

    /// <summary>Converts a value in the canonical unit to this unit.</summary>
    public double FromCanonical(double value) => (value - Offset) / Factor;
}

namespace OpenWard.Core.Bluetooth;

/// <summary>What an IEEE 11073-20601 SFLOAT or FLOAT holds: a number, or one of its special values.</summary>
public enum MedicalFloatKind
{
    /// <summary>A finite number.</summary>
    Number,

    /// <summary>Not a number (the device has no valid value).</summary>
    NaN,

    /// <summary>Not at this resolution (the value cannot be represented).</summary>
    NRes,

    /// <summary>Positive infinity (above the measurement range).</summary>
    PositiveInfinity,

    /// <summary>Negative infinity (below the measurement range).</summary>
    NegativeInfinity,

    /// <summary>Reserved for future use; never a valid value.</summary>
    Reserved,
}

/// <summary>
/// A decoded IEEE 11073-20601 SFLOAT (16-bit: 4-bit exponent, 12-bit mantissa) or FLOAT (32-bit:
/// 8-bit exponent, 24-bit mantissa): mantissa × 10^exponent, or a special value.
/// </summary>
public readonly record struct MedicalFloat(MedicalFloatKind Kind, double Value)
{
    /// <summary>True for a finite number.</summary>
    public bool IsNumber => Kind == MedicalFloatKind.Number;

    /// <summary>Decodes a 16-bit SFLOAT.</summary>
    public static MedicalFloat FromSFloat(ushort raw)
    {
        var mantissa = raw & 0x0FFF;
        var exponent = raw >> 12;
        switch (raw)
        {
            case 0x07FF: return new MedicalFloat(MedicalFloatKind.NaN, double.NaN);
            case 0x0800: return new MedicalFloat(MedicalFloatKind.NRes, double.NaN);
            case 0x07FE: return new MedicalFloat(MedicalFloatKind.PositiveInfinity, double.PositiveInfinity);
            case 0x0802: return new MedicalFloat(MedicalFloatKind.NegativeInfinity, double.NegativeInfinity);
            case 0x0801: return new MedicalFloat(MedicalFloatKind.Reserved, double.NaN);
        }

        if (mantissa >= 0x0800)
        {
            mantissa -= 0x1000;
        }

        if (exponent >= 0x8)
        {
            exponent -= 0x10;
        }

        return new MedicalFloat(MedicalFloatKind.Number, Scale(mantissa, exponent));
    }

    /// <summary>Decodes a 32-bit FLOAT.</summary>
    public static MedicalFloat FromFloat(uint raw)
    {
        var mantissa = (int)(raw & 0x00FFFFFF);
        var exponent = (int)(sbyte)(raw >> 24);
        switch (raw)
        {
            case 0x007FFFFF: return new MedicalFloat(MedicalFloatKind.NaN, double.NaN);
            case 0x00800000: return new MedicalFloat(MedicalFloatKind.NRes, double.NaN);
            case 0x007FFFFE: return new MedicalFloat(MedicalFloatKind.PositiveInfinity, double.PositiveInfinity);
            case 0x00800002: return new MedicalFloat(MedicalFloatKind.NegativeInfinity, double.NegativeInfinity);
            case 0x00800001: return new MedicalFloat(MedicalFloatKind.Reserved, double.NaN);
        }

        if (mantissa >= 0x00800000)
        {
            mantissa -= 0x01000000;
        }

        return new MedicalFloat(MedicalFloatKind.Number, Scale(mantissa, exponent));
    }

    // Multiplying by a power of ten that is exact in decimal (e.g. 1205 × 10^-1) must give 120.5, not 120.49999999999999.
    private static double Scale(int mantissa, int exponent) =>
        exponent >= 0 ? mantissa * Math.Pow(10, exponent) : mantissa / Math.Pow(10, -exponent);
}

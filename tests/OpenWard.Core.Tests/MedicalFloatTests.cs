using OpenWard.Core.Bluetooth;

namespace OpenWard.Core.Tests;

public sealed class MedicalFloatTests
{
    [Theory]
    [InlineData((ushort)0x0048, 72.0)]
    [InlineData((ushort)0xF4B5, 120.5)]
    [InlineData((ushort)0x0FFF, -1.0)]
    [InlineData((ushort)0x1005, 50.0)]
    [InlineData((ushort)0xB078, 0.0012)]
    [InlineData((ushort)0x07FD, 2045.0)]
    [InlineData((ushort)0x0803, -2045.0)]
    public void SFloat_Number_DecodesMantissaTimesTenToTheExponent(ushort raw, double expected)
    {
        var value = MedicalFloat.FromSFloat(raw);

        Assert.Equal(MedicalFloatKind.Number, value.Kind);
        Assert.Equal(expected, value.Value, precision: 12);
    }

    [Theory]
    [InlineData((ushort)0x07FF, MedicalFloatKind.NaN)]
    [InlineData((ushort)0x0800, MedicalFloatKind.NRes)]
    [InlineData((ushort)0x07FE, MedicalFloatKind.PositiveInfinity)]
    [InlineData((ushort)0x0802, MedicalFloatKind.NegativeInfinity)]
    [InlineData((ushort)0x0801, MedicalFloatKind.Reserved)]
    public void SFloat_SpecialValue_IsNotANumber(ushort raw, MedicalFloatKind kind)
    {
        var value = MedicalFloat.FromSFloat(raw);

        Assert.Equal(kind, value.Kind);
        Assert.False(value.IsNumber);
    }

    [Theory]
    [InlineData(0xFF00016Cu, 36.4)]
    [InlineData(0xFF0003DAu, 98.6)]
    [InlineData(0x00000048u, 72.0)]
    [InlineData(0xFEFFFFFFu, -0.01)]
    [InlineData(0x02000003u, 300.0)]
    public void Float_Number_DecodesMantissaTimesTenToTheExponent(uint raw, double expected)
    {
        var value = MedicalFloat.FromFloat(raw);

        Assert.Equal(MedicalFloatKind.Number, value.Kind);
        Assert.Equal(expected, value.Value, precision: 12);
    }

    [Theory]
    [InlineData(0x007FFFFFu, MedicalFloatKind.NaN)]
    [InlineData(0x00800000u, MedicalFloatKind.NRes)]
    [InlineData(0x007FFFFEu, MedicalFloatKind.PositiveInfinity)]
    [InlineData(0x00800002u, MedicalFloatKind.NegativeInfinity)]
    [InlineData(0x00800001u, MedicalFloatKind.Reserved)]
    public void Float_SpecialValue_IsNotANumber(uint raw, MedicalFloatKind kind)
    {
        Assert.Equal(kind, MedicalFloat.FromFloat(raw).Kind);
    }
}

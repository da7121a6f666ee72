using OpenWard.Core.Vitals;

namespace OpenWard.Core.Tests;

public sealed class VitalSignCatalogueTests
{
    [Fact]
    public void Catalogue_EverySign_HasCodesUnitAndRange()
    {
        Assert.Equal(VitalSignCatalogue.All.Count, VitalSignCatalogue.All.Select(v => v.Key).Distinct().Count());
        foreach (var vital in VitalSignCatalogue.All.Where(v => !v.IsEvent && !v.IsDeviceStatus))
        {
            Assert.Matches(@"^\d+-\d$", vital.Loinc);
            Assert.NotNull(vital.FindUnit(vital.CanonicalUnit));
            Assert.Equal(1, vital.FindUnit(vital.CanonicalUnit)!.Factor);
            if (vital.HasComponents)
            {
                Assert.All(vital.Components, c => Assert.True(c.Plausible.Min < c.Plausible.Max));
            }
            else
            {
                Assert.True(vital.Plausible.Min < vital.Plausible.Max, vital.Key);
            }
        }

        // Events carry exactly 1 in {event}.
        Assert.All(VitalSignCatalogue.All.Where(v => v.IsEvent), e => Assert.Equal(("{event}", 1.0, 1.0), (e.CanonicalUnit, e.Plausible.Min, e.Plausible.Max)));
    }

    [Theory]
    [InlineData("heart-rate", "8867-4", 147842)]
    [InlineData("spo2", "59408-5", 150456)]
    [InlineData("respiratory-rate", "9279-1", 151562)]
    [InlineData("blood-pressure", "85354-9", 150020)]
    [InlineData("body-temperature", "8310-5", 150364)]
    [InlineData("body-weight", "29463-7", 188736)]
    [InlineData("blood-glucose", "2339-0", 160184)]
    public void Catalogue_Sign_CarriesItsStandardCodes(string key, string loinc, int mdc)
    {
        var vital = VitalSignCatalogue.Find(key);

        Assert.NotNull(vital);
        Assert.Equal(loinc, vital.Loinc);
        Assert.Equal(mdc, vital.Mdc!.Code);
    }

    [Fact]
    public void BloodPressure_HasSystolicDiastolicAndOptionalMean()
    {
        var bp = VitalSignCatalogue.BloodPressure;

        Assert.Equal(["systolic", "diastolic", "mean"], bp.Components.Select(c => c.Key));
        Assert.Equal(["8480-6", "8462-4", "8478-0"], bp.Components.Select(c => c.Loinc));
        Assert.False(bp.FindComponent("mean")!.Required);
        Assert.Equal("2::18948", bp.Mdc!.PartitionNotation);
    }

    [Theory]
    [InlineData("blood-glucose", "mmol/L", 5.5, 99.088)]
    [InlineData("blood-glucose", "mg/dL", 120, 120)]
    [InlineData("body-temperature", "[degF]", 98.6, 37)]
    [InlineData("body-temperature", "[degF]", 212, 100)]
    [InlineData("body-weight", "[lb_av]", 220, 99.79032)]
    [InlineData("body-weight", "g", 3500, 3.5)]
    [InlineData("blood-pressure", "kPa", 16, 120.0099)]
    public void Units_ConvertToTheCanonicalUnit(string key, string unit, double value, double expected)
    {
        var conversion = VitalSignCatalogue.Find(key)!.FindUnit(unit)!;

        Assert.Equal(expected, conversion.ToCanonical(value), precision: 3);
        Assert.Equal(value, conversion.FromCanonical(conversion.ToCanonical(value)), precision: 9);
    }
}

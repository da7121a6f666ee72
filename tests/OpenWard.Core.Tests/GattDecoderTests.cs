using OpenWard.Core.Bluetooth;
using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Core.Tests;

public sealed class GattDecoderTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    // 2026-11-20 08:30:00 as a Bluetooth Date Time.
    private static readonly byte[] Timestamp = [0xEA, 0x07, 11, 20, 8, 30, 0];
    private static readonly DateTimeOffset TimestampValue = new(2026, 11, 20, 8, 30, 0, TimeSpan.Zero);

    private static GattDecodeResult Decode(ushort characteristic, params byte[] value) => GattDecoder.Decode(characteristic, value, Received);

    private static ReadingSubmission Single(GattDecodeResult result, string vital)
    {
        Assert.Null(result.Problem);
        return Assert.Single(result.Readings, r => r.Vital == vital);
    }

    [Fact]
    public void HeartRate_8And16BitValues_AreDecoded()
    {
        Assert.Equal(72, Single(Decode(GattCharacteristic.HeartRateMeasurement, 0x00, 72), "heart-rate").Value);
        Assert.Equal(300, Single(Decode(GattCharacteristic.HeartRateMeasurement, 0x01, 0x2C, 0x01), "heart-rate").Value);
        Assert.Equal(Received, Single(Decode(GattCharacteristic.HeartRateMeasurement, 0x00, 72), "heart-rate").Time);
    }

    [Fact]
    public void HeartRate_WithEnergyAndRrIntervals_KeepsTheRateAndNotesTheRest()
    {
        var result = Decode(GattCharacteristic.HeartRateMeasurement, 0x1E, 60, 0x10, 0x00, 0x00, 0x04, 0x00, 0x04);

        Assert.Equal(60, Single(result, "heart-rate").Value);
        Assert.Contains("energy expended is not stored", result.Notes);
        Assert.Contains("2 RR intervals are not stored", result.Notes);
    }

    [Fact]
    public void HeartRate_WithoutSkinContact_IsNotStored()
    {
        var result = Decode(GattCharacteristic.HeartRateMeasurement, 0x04, 72);

        Assert.Null(result.Problem);
        Assert.Empty(result.Readings);
        Assert.Contains(result.Notes, n => n.Contains("no skin contact", StringComparison.Ordinal));
    }

    [Fact]
    public void BloodPressure_InMmHgWithTimestampAndPulse_GivesPressureAndHeartRate()
    {
        byte[] value = [0x06, 0x80, 0x00, 0x52, 0x00, 0x61, 0x00, .. Timestamp, 0x46, 0x00];

        var result = Decode(GattCharacteristic.BloodPressureMeasurement, value);

        var bp = Single(result, "blood-pressure");
        Assert.Equal("mm[Hg]", bp.Unit);
        Assert.Equal(TimestampValue, bp.Time);
        Assert.Equal(128, bp.Components!["systolic"]);
        Assert.Equal(82, bp.Components["diastolic"]);
        Assert.Equal(97, bp.Components["mean"]);
        Assert.Equal(70, Single(result, "heart-rate").Value);
    }

    [Fact]
    public void BloodPressure_InKPaWithMeanNaN_KeepsSystolicAndDiastolic()
    {
        var bp = Single(Decode(GattCharacteristic.BloodPressureMeasurement, 0x01, 0xA0, 0xF0, 0x6B, 0xF0, 0xFF, 0x07), "blood-pressure");

        Assert.Equal("kPa", bp.Unit);
        Assert.Equal(16.0, bp.Components!["systolic"], precision: 9);
        Assert.Equal(10.7, bp.Components["diastolic"], precision: 9);
        Assert.False(bp.Components.ContainsKey("mean"));
    }

    [Fact]
    public void BloodPressure_WithStatusFlags_NotesWhatTheCuffReports()
    {
        var result = Decode(GattCharacteristic.BloodPressureMeasurement, 0x10, 0x80, 0x00, 0x52, 0x00, 0x61, 0x00, 0x05, 0x00);

        Assert.Contains("device reports: body movement during measurement", result.Notes);
        Assert.Contains("device reports: irregular pulse", result.Notes);
    }

    [Fact]
    public void IntermediateCuffPressure_IsDecodedButNotStored()
    {
        var result = Decode(GattCharacteristic.IntermediateCuffPressure, 0x00, 0x64, 0x00, 0xFF, 0x07, 0xFF, 0x07);

        Assert.Null(result.Problem);
        Assert.Empty(result.Readings);
    }

    [Fact]
    public void Glucose_InKgPerLitre_IsMgPerDecilitreWithItsTime()
    {
        byte[] value = [0x03, 0x01, 0x00, .. Timestamp, 0x0F, 0x00, 0x78, 0xB0, 0x11];

        var glucose = Single(Decode(GattCharacteristic.GlucoseMeasurement, value), "blood-glucose");

        Assert.Equal("mg/dL", glucose.Unit);
        Assert.Equal(120, glucose.Value!.Value, precision: 9);
        Assert.Equal(TimestampValue.AddMinutes(15), glucose.Time);
    }

    [Fact]
    public void Glucose_InMolPerLitre_IsMillimolesPerLitre()
    {
        byte[] value = [0x06, 0x02, 0x00, .. Timestamp, 0x37, 0xC0, 0x11];

        var glucose = Single(Decode(GattCharacteristic.GlucoseMeasurement, value), "blood-glucose");

        Assert.Equal("mmol/L", glucose.Unit);
        Assert.Equal(5.5, glucose.Value!.Value, precision: 9);
    }

    [Fact]
    public void Glucose_FromControlSolution_IsNotStored()
    {
        byte[] value = [0x02, 0x03, 0x00, .. Timestamp, 0x78, 0xB0, 0x1A];

        var result = Decode(GattCharacteristic.GlucoseMeasurement, value);

        Assert.Empty(result.Readings);
        Assert.Contains(result.Notes, n => n.Contains("sample type 10", StringComparison.Ordinal));
    }

    [Fact]
    public void Temperature_InFahrenheitWithTimestamp_IsDecoded()
    {
        byte[] value = [0x07, 0xDA, 0x03, 0x00, 0xFF, .. Timestamp, 0x02];

        var temperature = Single(Decode(GattCharacteristic.TemperatureMeasurement, value), "body-temperature");

        Assert.Equal("[degF]", temperature.Unit);
        Assert.Equal(98.6, temperature.Value!.Value, precision: 9);
        Assert.Equal(TimestampValue, temperature.Time);
    }

    [Fact]
    public void Temperature_NaN_IsNotStoredAsANumber()
    {
        var result = Decode(GattCharacteristic.TemperatureMeasurement, 0x00, 0xFF, 0xFF, 0x7F, 0x00);

        Assert.Empty(result.Readings);
        Assert.Contains("body-temperature not stored: not a number", result.Notes);
    }

    [Fact]
    public void Weight_InSiAndImperialUnits_UsesTheirResolutions()
    {
        Assert.Equal(70, Single(Decode(GattCharacteristic.WeightMeasurement, 0x00, 0xB0, 0x36), "body-weight").Value!.Value, precision: 9);
        byte[] imperial = [0x0B, 0x48, 0x3C, .. Timestamp, 0xF5, 0x00, 0xB0, 0x06];
        var pounds = Single(Decode(GattCharacteristic.WeightMeasurement, imperial), "body-weight");
        Assert.Equal("[lb_av]", pounds.Unit);
        Assert.Equal(154.32, pounds.Value!.Value, precision: 9);
        Assert.Equal(TimestampValue, pounds.Time);
    }

    [Fact]
    public void PlxSpotCheck_GivesSpO2AndPulse()
    {
        var result = Decode(GattCharacteristic.PlxSpotCheckMeasurement, 0x00, 0x61, 0x00, 0x48, 0x00);

        Assert.Equal(97, Single(result, "spo2").Value);
        Assert.Equal(72, Single(result, "heart-rate").Value);
    }

    [Fact]
    public void PlxContinuous_WithSpO2NaN_KeepsOnlyThePulse()
    {
        var result = Decode(GattCharacteristic.PlxContinuousMeasurement, 0x00, 0xFF, 0x07, 0x41, 0x00);

        Assert.Equal(65, Single(result, "heart-rate").Value);
        Assert.DoesNotContain(result.Readings, r => r.Vital == "spo2");
        Assert.Contains("spo2 not stored: not a number", result.Notes);
    }

    [Theory]
    [InlineData(GattCharacteristic.BloodPressureMeasurement, new byte[] { 0x02, 0x80, 0x00, 0x52 })]
    [InlineData(GattCharacteristic.HeartRateMeasurement, new byte[] { 0x01, 0x2C })]
    [InlineData(GattCharacteristic.WeightMeasurement, new byte[] { 0x02, 0xB0, 0x36, 0xEA })]
    public void Value_ShorterThanItsFlagsSay_IsRefused(ushort characteristic, byte[] value)
    {
        Assert.Equal("characteristic value is shorter than its flags say", Decode(characteristic, value).Problem);
    }

    [Fact]
    public void Value_WithReservedFlagBitsOrUnknownCharacteristic_IsRefused()
    {
        Assert.Equal("heart rate measurement flags use reserved bits", Decode(GattCharacteristic.HeartRateMeasurement, 0x80, 72).Problem);
        Assert.Equal("characteristic 0x2A38 is not one OpenWard decodes", Decode(0x2A38, 0x01).Problem);
        Assert.Equal("characteristic value is empty", Decode(GattCharacteristic.HeartRateMeasurement).Problem);
    }

    [Theory]
    [InlineData("2a37", 0x2A37)]
    [InlineData("0x2A9D", 0x2A9D)]
    [InlineData("00002a35-0000-1000-8000-00805f9b34fb", 0x2A35)]
    public void CharacteristicUuid_InTheFormsGatewaysWrite_IsParsed(string text, int expected)
    {
        Assert.True(GattCharacteristic.TryParse(text, out var uuid));
        Assert.Equal(expected, uuid);
    }

    [Fact]
    public void BatteryLevel_IsTheDevicesCharge_AndOver100IsRefused()
    {
        var reading = Single(Decode(GattCharacteristic.BatteryLevel, 0x2A), "device-battery");

        Assert.Equal((42.0, "%"), (reading.Value!.Value, reading.Unit));
        Assert.NotNull(Decode(GattCharacteristic.BatteryLevel, 0x65).Problem);
    }
}

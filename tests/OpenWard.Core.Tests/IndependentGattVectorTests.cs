using OpenWard.Core.Bluetooth;

namespace OpenWard.Core.Tests;

/// <summary>
/// Characteristic values and expected results from an independently written decoder's test suite
/// (Nordic Semiconductor's Android BLE Common Library; see TestData/SOURCES.md), decoded by OpenWard.
/// </summary>
public sealed class IndependentGattVectorTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static GattDecodeResult Decode(ushort characteristic, string hex)
    {
        var result = GattDecoder.Decode(characteristic, Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), Received);
        Assert.Null(result.Problem);
        return result;
    }

    [Fact]
    public void BloodPressure_Full_WithAYearlessTimestamp()
    {
        var result = Decode(GattCharacteristic.BloodPressureMeasurement, "1E 8A 00 58 00 78 00 00 00 04 11 14 29 3B 3C 00 01 27 00");

        var bp = Assert.Single(result.Readings, r => r.Vital == "blood-pressure");
        Assert.Equal(new Dictionary<string, double> { ["systolic"] = 138, ["diastolic"] = 88, ["mean"] = 120 }, bp.Components);
        Assert.Equal("mm[Hg]", bp.Unit);
        Assert.Equal(60, Assert.Single(result.Readings, r => r.Vital == "heart-rate").Value);
        // Year 0 means "not known": the reading takes the time of receipt, and says so.
        Assert.Equal(Received, bp.Time);
        Assert.Contains(result.Notes, n => n.Contains("timestamp is incomplete", StringComparison.Ordinal));
        Assert.Contains("measured for device user 1", result.Notes);
        Assert.Contains("device reports: body movement during measurement", result.Notes);
        Assert.Contains("device reports: cuff too loose", result.Notes);
        Assert.Contains("device reports: irregular pulse", result.Notes);
        Assert.Contains("device reports: improper measurement position", result.Notes);
    }

    [Fact]
    public void BloodPressure_InKilopascals_WithPulseAndStatus()
    {
        var result = Decode(GattCharacteristic.BloodPressureMeasurement, "15 BD F0 0B 00 9F F0 3C 00 12 00");

        var bp = Assert.Single(result.Readings, r => r.Vital == "blood-pressure");
        Assert.Equal("kPa", bp.Unit);
        Assert.Equal(18.9, bp.Components!["systolic"], 9);
        Assert.Equal(11, bp.Components["diastolic"]);
        Assert.Equal(15.9, bp.Components["mean"], 9);
        Assert.Equal(60, Assert.Single(result.Readings, r => r.Vital == "heart-rate").Value);
        Assert.Contains("device reports: cuff too loose", result.Notes);
        Assert.Contains("device reports: pulse rate out of range", result.Notes);
    }

    [Fact]
    public void BloodPressure_Minimal_HasNoPulseNorNotes()
    {
        var result = Decode(GattCharacteristic.BloodPressureMeasurement, "00 BD F0 0B 00 9F F0");

        var bp = Assert.Single(result.Readings);
        Assert.Equal("mm[Hg]", bp.Unit);
        Assert.Equal(18.9, bp.Components!["systolic"], 9);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void BloodPressure_TooShort_IsRefused()
    {
        Assert.NotNull(GattDecoder.Decode(GattCharacteristic.BloodPressureMeasurement, [1, 2, 3, 4, 5, 6], Received).Problem);
        Assert.NotNull(GattDecoder.Decode(GattCharacteristic.BloodPressureMeasurement, [3, 2, 3, 4, 5, 6, 7], Received).Problem);
    }

    [Fact]
    public void Temperature_InCelsius_WithTimestampAndType()
    {
        var reading = Assert.Single(Decode(GattCharacteristic.TemperatureMeasurement, "06 B0 0E 00 FE DC 07 0C 05 0B 32 1B 04").Readings);

        Assert.Equal(37.6, reading.Value!.Value, 9);
        Assert.Equal("Cel", reading.Unit);
        Assert.Equal(new DateTimeOffset(2012, 12, 5, 11, 50, 27, TimeSpan.Zero), reading.Time);
    }

    [Fact]
    public void Temperature_WithoutItsTypeByte_IsRefused() =>
        Assert.NotNull(GattDecoder.Decode(GattCharacteristic.TemperatureMeasurement, Convert.FromHexString("06B00E00FEDC070C050B321B"), Received).Problem);

    [Fact]
    public void Glucose_WithTimeOffsetTypeLocationAndStatus()
    {
        var result = Decode(GattCharacteristic.GlucoseMeasurement, "1B 01 00 E3 07 02 1B 0B 0A 1E FB FF 1E 00 12 05 01");

        var reading = Assert.Single(result.Readings);
        // 11:10:30 with a time offset of −5 minutes; 30 kg/L is 3,000,000 mg/dL (validation refuses it later as implausible).
        Assert.Equal(new DateTimeOffset(2019, 2, 27, 11, 5, 30, TimeSpan.Zero), reading.Time);
        Assert.Equal(3_000_000, reading.Value);
        Assert.Equal("mg/dL", reading.Unit);
        Assert.Equal(1, reading.Sequence);
        Assert.Contains("sensor status annunciation 0x0105", result.Notes);
    }

    [Fact]
    public void Glucose_WithoutItsTimeOffset_IsRefused() =>
        Assert.NotNull(GattDecoder.Decode(GattCharacteristic.GlucoseMeasurement, Convert.FromHexString("1B0000E207041A0B091E1E00120501"), Received).Problem);
}

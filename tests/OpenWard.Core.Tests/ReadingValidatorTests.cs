using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;

namespace OpenWard.Core.Tests;

public sealed class ReadingValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static ReadingCheck Check(ReadingSubmission submission) => ReadingValidator.Check(submission, "oxi-1", Now);

    [Fact]
    public void Valid_SingleValue_IsAcceptedInTheCanonicalUnit()
    {
        var check = Check(new ReadingSubmission { Vital = "blood-glucose", Time = Now.AddMinutes(-1), Value = 3.0, Unit = "mmol/L", Sequence = 9 });

        Assert.True(check.IsValid);
        Assert.Equal(54.048, check.Reading!.Value!.Value, precision: 6);
        Assert.Equal("mg/dL", check.Reading.Unit);
        Assert.Equal(9, check.Reading.Sequence);
        Assert.Equal(Now, check.Reading.ReceivedTime);
        Assert.Equal(Now.AddMinutes(-1), check.Reading.DeviceTime);
    }

    [Fact]
    public void Valid_WithItsPatient_IsAttributedAndKeepsTheSubmittedTime()
    {
        var taken = Now.AddHours(-3);

        var attributed = ReadingValidator.Check(new ReadingSubmission { Vital = "spo2", Time = taken, Value = 95, Unit = "%" }, "oxi-1", Now, "pat-7");
        var unattributed = Check(new ReadingSubmission { Vital = "spo2", Time = taken, Value = 95, Unit = "%" });

        Assert.Equal(("pat-7", taken), (attributed.Reading!.PatientId, attributed.Reading.DeviceTime));
        Assert.Null(unattributed.Reading!.PatientId);
    }

    [Fact]
    public void Valid_BloodPressure_KeepsComponents()
    {
        var check = Check(new ReadingSubmission
        {
            Vital = "blood-pressure", Time = Now, Unit = "mm[Hg]",
            Components = new Dictionary<string, double> { ["systolic"] = 128, ["diastolic"] = 82, ["mean"] = 97 },
        });

        Assert.True(check.IsValid);
        Assert.Equal(97, check.Reading!.Components!["mean"]);
    }

    [Theory]
    [InlineData(null, "\"vital\" is missing")]
    [InlineData("mood", "unknown vital sign \"mood\"")]
    public void Vital_MissingOrUnknown_IsRefused(string? vital, string reason)
    {
        var check = Check(new ReadingSubmission { Vital = vital, Time = Now, Value = 70, Unit = "/min" });

        Assert.False(check.IsValid);
        Assert.StartsWith(reason, check.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("heart-rate", 19, "/min")]
    [InlineData("heart-rate", 301, "/min")]
    [InlineData("spo2", 101, "%")]
    [InlineData("body-temperature", 50, "Cel")]
    [InlineData("body-temperature", 130, "[degF]")]
    [InlineData("blood-glucose", 0, "mg/dL")]
    public void Value_OutsidePlausibleRange_IsRefused(string vital, double value, string unit)
    {
        var check = Check(new ReadingSubmission { Vital = vital, Time = Now, Value = value, Unit = unit });

        Assert.False(check.IsValid);
        Assert.Contains("outside the plausible range", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_NotConvertible_IsRefusedNamingTheAcceptedUnits()
    {
        var check = Check(new ReadingSubmission { Vital = "body-weight", Time = Now, Value = 12, Unit = "stone" });

        Assert.Equal("unit \"stone\" is not accepted for body-weight; use kg, g, [lb_av]", check.Problem);
    }

    [Fact]
    public void Time_MoreThanFiveMinutesAhead_IsRefused()
    {
        Assert.True(Check(new ReadingSubmission { Vital = "heart-rate", Time = Now.AddMinutes(5), Value = 70, Unit = "/min" }).IsValid);

        var check = Check(new ReadingSubmission { Vital = "heart-rate", Time = Now.AddMinutes(6), Value = 70, Unit = "/min" });

        Assert.Contains("ahead of the server clock", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_LongAgo_IsAcceptedForBufferedUploads()
    {
        Assert.True(Check(new ReadingSubmission { Vital = "heart-rate", Time = Now.AddDays(-3), Value = 70, Unit = "/min" }).IsValid);
    }

    [Fact]
    public void BloodPressure_WithoutDiastolic_IsRefused()
    {
        var check = Check(new ReadingSubmission
        {
            Vital = "blood-pressure", Time = Now, Unit = "mm[Hg]", Components = new Dictionary<string, double> { ["systolic"] = 128 },
        });

        Assert.Equal("component \"diastolic\" of blood-pressure is missing", check.Problem);
    }

    [Fact]
    public void BloodPressure_WithAValue_IsRefused()
    {
        var check = Check(new ReadingSubmission { Vital = "blood-pressure", Time = Now, Unit = "mm[Hg]", Value = 120 });

        Assert.StartsWith("blood-pressure takes \"components\"", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void HeartRate_WithComponents_IsRefused()
    {
        var check = Check(new ReadingSubmission
        {
            Vital = "heart-rate", Time = Now, Unit = "/min", Components = new Dictionary<string, double> { ["x"] = 1 },
        });

        Assert.Equal("heart-rate takes a single \"value\", not \"components\"", check.Problem);
    }
}

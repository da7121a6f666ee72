using OpenWard.Core.Hl7;

namespace OpenWard.Core.Tests;

public sealed class Hl7Tests
{
    private static Hl7Message Parse(string text)
    {
        Assert.True(Hl7Message.TryParse(text, out var message, out var problem), problem);
        return message!;
    }

    [Fact]
    public void BedsideMonitorOru_BecomesReadingsFromTheMonitor()
    {
        var message = Parse(File.ReadAllText("TestData/bedside-monitor-oru.hl7"));

        var oru = OruR01Reader.Read(message);

        Assert.Null(oru.Problem);
        Assert.Equal("MSG00017", oru.ControlId);
        Assert.Equal("MRN-4711", oru.PatientIdentifier);
        Assert.Equal(1, oru.IgnoredObservations);
        var byVital = oru.Observations.Where(o => o.Submission is not null).ToDictionary(o => o.Submission!.Vital!);
        Assert.Equal(["blood-pressure", "body-temperature", "heart-rate", "spo2"], byVital.Keys.Order());
        Assert.All(oru.Observations, o => Assert.Equal("mon-7", o.DeviceId));
        Assert.Equal(96, byVital["spo2"].Submission!.Value);
        Assert.Equal("%", byVital["spo2"].Submission!.Unit);
        Assert.Equal(72, byVital["heart-rate"].Submission!.Value);
        var bp = byVital["blood-pressure"].Submission!;
        Assert.Equal(("mm[Hg]", 128.0, 82.0, 97.0), (bp.Unit, bp.Components!["systolic"], bp.Components["diastolic"], bp.Components["mean"]));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 10, TimeSpan.Zero), bp.Time);
        Assert.Equal("Cel", byVital["body-temperature"].Submission!.Unit);
        var refused = Assert.Single(oru.Observations, o => o.Problem is not null);
        Assert.Equal(7, refused.Index);
        Assert.Equal("OBX-5 \"n/a\" is not a number", refused.Problem);
        Assert.StartsWith("OBX|7|", refused.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Separators_DeclaredInMsh_AreHonoured()
    {
        var message = Parse("MSH#*~!$#DEV#FAC#OW#OW#20261120083000+0100##ORU*R01#42#P#2.6\rOBX#1#NM#8867-4*Heart rate*LN##64#/min#####F###20261120093000+0100####hr-1");

        var oru = OruR01Reader.Read(message);

        var reading = Assert.Single(oru.Observations).Submission!;
        Assert.Equal(("heart-rate", 64.0, "/min"), (reading.Vital, reading.Value!.Value, reading.Unit));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), reading.Time);
        Assert.Equal("hr-1", Assert.Single(oru.Observations).DeviceId);
    }

    [Fact]
    public void EscapeSequences_AreResolved()
    {
        var message = Parse("MSH|^~\\&|A\\F\\B|X\\S\\Y\\T\\Z\\R\\W\\E\\V|OW|OW|20261120083000+0000||ORU^R01|1|P|2.6\rNTE|1||line\\.br\\two \\X4F4B\\");

        Assert.Equal("A|B", message.Header.Get(3));
        Assert.Equal("X^Y&Z~W\\V", message.Header.Get(4));
        Assert.Equal("line\ntwo OK", message.First("NTE")!.Get(3));
    }

    [Theory]
    [InlineData("PID|1", "message does not start with an MSH segment")]
    [InlineData("MSH|^^\\&|X", "MSH-1 and MSH-2 do not declare five distinct delimiters")]
    [InlineData("", "message does not start with an MSH segment")]
    public void Message_Malformed_IsRefusedWithAReason(string text, string reason)
    {
        Assert.False(Hl7Message.TryParse(text, out _, out var problem));
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void MessageType_OtherThanOruR01_IsRefused()
    {
        var oru = OruR01Reader.Read(Parse("MSH|^~\\&|A|B|C|D|20261120083000+0000||ADT^A01|9|P|2.6"));

        Assert.Equal("message type ADT^A01 is not accepted; OpenWard takes ORU^R01", oru.Problem);
    }

    [Fact]
    public void ObservationTime_WithoutOffset_IsRefused()
    {
        var oru = OruR01Reader.Read(Parse("MSH|^~\\&|A|B|C|D|20261120083000||ORU^R01|9|P|2.6\rOBX|1|NM|8867-4^HR^LN||64|/min|||||F||||||hr-1"));

        Assert.StartsWith("observation time \"20261120083000\" is not an HL7 timestamp with a UTC offset", Assert.Single(oru.Observations).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20261123100000+0000", "2026-11-23T10:00:00+00:00")]
    [InlineData("202611231000-0500", "2026-11-23T15:00:00+00:00")]
    [InlineData("20261123100000.25+0100", "2026-11-23T09:00:00.25+00:00")]
    public void Hl7Time_WithOffset_IsUtc(string text, string expected)
    {
        Assert.True(Hl7Time.TryParse(text, out var time));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
    }

    [Fact]
    public void Acknowledgement_CarriesCodeControlIdAndEscapedReasons()
    {
        var ack = Hl7Acknowledgement.Build(Hl7Acknowledgement.Error, "MSG00017", "BEDSIDE-MON", "ICU-3",
            ["[7] OBX-5 \"n/a\" is not a number | bad"], new DateTimeOffset(2026, 11, 20, 8, 30, 5, TimeSpan.Zero), "ACK1");

        var message = Parse(ack);
        Assert.Equal("ACK", message.Header.Get(9));
        Assert.Equal("BEDSIDE-MON", message.Header.Get(5));
        var msa = message.First("MSA")!;
        Assert.Equal(("AE", "MSG00017"), (msa.Get(1), msa.Get(2)));
        Assert.Equal("[7] OBX-5 \"n/a\" is not a number | bad", msa.Get(3));
        Assert.Equal("[7] OBX-5 \"n/a\" is not a number | bad", message.First("ERR")!.Get(8));
    }
}

using System.Buffers;
using System.Text;
using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Core.Tests;

public sealed class DeviceJsonFormatTests
{
    private static DecodedBatch Decode(string json) => DeviceJsonFormat.Decode(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Array_OfReadings_DecodesEachElement()
    {
        var batch = Decode("""
            [{"vital":"heart-rate","time":"2026-11-23T10:00:00Z","value":72,"unit":"/min","seq":17},
             {"vital":"blood-pressure","time":"2026-11-23T11:00:05+01:00","components":{"systolic":128,"diastolic":82},"unit":"mm[Hg]"}]
            """);

        Assert.Null(batch.Problem);
        Assert.Equal(2, batch.Items.Count);
        var heartRate = batch.Items[0].Submission!;
        Assert.Equal(("heart-rate", 72.0, "/min", 17L), (heartRate.Vital, heartRate.Value!.Value, heartRate.Unit, heartRate.Sequence!.Value));
        var bp = batch.Items[1].Submission!;
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 5, TimeSpan.Zero), bp.Time);
        Assert.Equal(82, bp.Components!["diastolic"]);
    }

    [Theory]
    [InlineData("2026-11-23T10:00:00.250Z", "2026-11-23T10:00:00.2500000+00:00")]
    [InlineData("2026-11-23T05:00:00.250-05:00", "2026-11-23T10:00:00.2500000+00:00")]
    [InlineData("2026-11-23 10:00:00.250Z", "2026-11-23T10:00:00.2500000+00:00")] // not strict ISO 8601: the general parser reads it
    public void Time_WithItsOffset_IsReadAsUtc(string time, string expected)
    {
        var batch = Decode($$"""{"vital":"spo2","time":"{{time}}","value":97,"unit":"%"}""");

        var submission = Assert.Single(batch.Items).Submission!;
        Assert.Equal(expected, submission.Time?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void InvalidUtf8_InsideAString_IsARefusalWithAReason_AndTheRestOfTheBatchIsKept()
    {
        // 0xFF can never appear in UTF-8; the second reading carries it in its unit.
        var payload = Encoding.UTF8.GetBytes("""[{"vital":"heart-rate","time":"2026-11-23T10:00:00Z","value":72,"unit":"/min"},{"vital":"heart-rate","time":"2026-11-23T10:00:01Z","value":73,"unit":"/mi""")
            .Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\"}]")).ToArray();

        var batch = DeviceJsonFormat.Decode(payload);

        Assert.Null(batch.Problem);
        Assert.NotNull(batch.Items[0].Submission);
        Assert.Equal("a text in the reading is not valid UTF-8", batch.Items[1].Problem);
        Assert.Contains("\uFFFD", batch.Items[1].RawJson!, StringComparison.Ordinal); // kept for the dead letter, the bad byte shown as a replacement character
    }

    [Fact]
    public void SingleObject_IsABatchOfOne()
    {
        var batch = Decode("""{"vital":"spo2","time":"2026-11-23T10:00:00Z","value":97,"unit":"%"}""");

        Assert.Equal(97, Assert.Single(batch.Items).Submission!.Value);
    }

    [Theory]
    [InlineData("", "payload is empty")]
    [InlineData("{not json", "payload is not valid JSON")]
    [InlineData("42", "payload is a JSON number; expected an array of readings")]
    [InlineData("[]", "payload is an empty array")]
    public void Payload_Unusable_IsRefusedAsAWhole(string json, string reason)
    {
        Assert.StartsWith(reason, Decode(json).Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"vital":"spo2","time":"2026-11-23T10:00:00","value":97,"unit":"%"}""", "\"time\" must be an ISO 8601 date-time with a UTC offset")]
    [InlineData("""{"vital":"spo2","time":"yesterday","value":97,"unit":"%"}""", "\"time\" must be")]
    [InlineData("""{"vital":"spo2","time":"2026-11-23T10:00:00Z","value":"97","unit":"%"}""", "\"value\" must be a finite JSON number")]
    [InlineData("""{"vital":"spo2","time":"2026-11-23T10:00:00Z","value":1e400,"unit":"%"}""", "\"value\" must be a finite JSON number")]
    [InlineData("""{"vital":7,"time":"2026-11-23T10:00:00Z","value":97,"unit":"%"}""", "\"vital\" must be a string")]
    [InlineData("""{"vital":"spo2","time":"2026-11-23T10:00:00Z","value":97,"unit":"%","seq":-1}""", "\"seq\" must be a non-negative integer")]
    [InlineData("""{"vital":"blood-pressure","time":"2026-11-23T10:00:00Z","components":[128,82],"unit":"mm[Hg]"}""", "\"components\" must be an object")]
    [InlineData("""{"vital":"blood-pressure","time":"2026-11-23T10:00:00Z","components":{"systolic":"high"},"unit":"mm[Hg]"}""", "component \"systolic\" must be a finite JSON number")]
    [InlineData("null", "reading is a JSON null; expected an object")]
    public void Element_Malformed_CarriesItsReasonAndRawText(string element, string reason)
    {
        var item = Assert.Single(Decode("[" + element + "]").Items);

        Assert.Null(item.Submission);
        Assert.StartsWith(reason, item.Problem, StringComparison.Ordinal);
        Assert.Equal(element, item.RawJson);
    }

    [Fact]
    public void Element_Decoded_KeepsNoCopyOfItsText_WhichThePayloadGivesBackOnRequest()
    {
        const string second = """{"vital":"spo2","time":"2026-11-23T10:00:01Z","value":97,"unit":"%"}""";
        var payload = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(
            """[{"vital":"spo2","time":"2026-11-23T10:00:00Z","value":96,"unit":"%"}, """ + second + "]"));

        var items = DeviceJsonFormat.Decode(payload).Items;

        Assert.All(items, item => Assert.Null(item.RawJson));
        Assert.Equal(second, DeviceJsonFormat.RawElement(payload, 1));
    }

    [Fact]
    public void Payload_OverTheLimit_IsRefusedWithoutParsing()
    {
        var batch = DeviceJsonFormat.Decode(new byte[DeviceJsonFormat.MaxPayloadBytes + 1]);

        Assert.Equal("payload of 262145 bytes is larger than the limit of 262144 bytes", batch.Problem);
    }

    [Fact]
    public void Payload_DeeplyNested_IsRefusedNotCrashed()
    {
        var json = new string('[', 1000) + new string(']', 1000);

        Assert.StartsWith("payload is not valid JSON", Decode(json).Problem, StringComparison.Ordinal);
    }
}

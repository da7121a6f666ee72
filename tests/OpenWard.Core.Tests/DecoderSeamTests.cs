using System.Buffers;
using System.Text;
using OpenWard.Core.Bluetooth;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Hl7;

namespace OpenWard.Core.Tests;

/// <summary>The decoders through the one seam: the same items and the same reasons as each format's own reader.</summary>
public sealed class DecoderSeamTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void DeviceJson_ThroughTheSeam_RefusesWithTheFormatsReason_AndKeepsTheStartOfThePayload()
    {
        var batch = DeviceJsonDecoder.Instance.Decode(Bytes("{\"vital\":"), Received);

        Assert.StartsWith("payload is not valid JSON", batch.Refusal!.Reason, StringComparison.Ordinal);
        Assert.Equal("{\"vital\":", batch.Refusal.Raw);
    }

    [Fact]
    public void DeviceJson_ThroughTheSeam_ReadsARefusedReadingsTextBackFromThePayload()
    {
        const string reading = "{\"vital\":\"heart-rate\",\"time\":\"2026-11-23T10:00:00Z\",\"value\":72,\"unit\":\"/min\"}";
        var batch = DeviceJsonDecoder.Instance.Decode(Bytes("[" + reading + "]"), Received);

        var item = Assert.Single(batch.Items);
        Assert.Null(item.RawJson);
        Assert.Equal(reading, batch.RawTextOf(item));
    }

    [Fact]
    public void Gatt_ThroughTheSeam_GivesTheDecodersReadingsAndNotes_AndRefusesAnUnknownCharacteristicInHex()
    {
        var batch = new GattPayloadDecoder("2a37").Decode(new ReadOnlySequence<byte>([0x08, 72, 0x10, 0x00]), Received);

        Assert.Null(batch.Refusal);
        Assert.Equal(72, Assert.Single(batch.Items).Submission!.Value);
        Assert.Equal(["energy expended is not stored"], batch.Notes);

        var refused = new GattPayloadDecoder("heart").Decode(new ReadOnlySequence<byte>([0x00, 72]), Received);
        Assert.Equal(new PayloadRefusal("\"heart\" is not a characteristic UUID", "gatt heart: 0048"), refused.Refusal);
    }

    [Fact]
    public void Oru_ThroughTheSeam_NamesEachReadingsDevice_AndKeepsTheHeaderForTheAcknowledgement()
    {
        var text = File.ReadAllText("TestData/bedside-monitor-oru.hl7");
        Assert.True(Hl7Message.TryParse(text, out var message, out _));
        var read = OruR01Reader.Read(message!);

        var batch = OruR01Decoder.Instance.Decode(Bytes(text), Received);

        Assert.Null(batch.Refusal);
        Assert.Equal(("MSG00017", "MRN-4711"), (batch.ControlId, batch.PatientIdentifier));
        Assert.Equal(read.Observations.Select(o => (o.Index, o.DeviceId, o.Raw, o.Problem)), batch.Items.Select(i => (i.Index, i.DeviceId!, i.RawJson!, i.Problem)));
    }

    [Fact]
    public void Oru_ThatIsNotHl7_IsRefusedWithTheParsersReason()
    {
        Assert.False(Hl7Message.TryParse("hello", out _, out var problem));

        var batch = OruR01Decoder.Instance.Decode(Bytes("hello"), Received);

        Assert.Equal(new PayloadRefusal(problem!, "hello"), batch.Refusal);
        Assert.Equal("", batch.ControlId);
    }

    [Fact]
    public void RefusingDecoder_RefusesEveryPayloadWithItsReason()
    {
        var batch = new RefusingDecoder("no mapping").Decode(Bytes("{}"), Received);

        Assert.Equal(new PayloadRefusal("no mapping", "{}"), batch.Refusal);
        Assert.Equal("no mapping", batch.Problem);
    }
}

using CsCheck;
using OpenWard.Core.Bluetooth;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Hl7;

namespace OpenWard.Core.Tests;

/// <summary>
/// Every decoder, fed random and mutated input, returns readings or a reason — never an exception,
/// never a reading without its vital sign and time.
/// </summary>
public sealed class DecoderPropertyTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly ushort[] Characteristics =
    [
        GattCharacteristic.HeartRateMeasurement, GattCharacteristic.BloodPressureMeasurement, GattCharacteristic.IntermediateCuffPressure,
        GattCharacteristic.GlucoseMeasurement, GattCharacteristic.PlxSpotCheckMeasurement, GattCharacteristic.PlxContinuousMeasurement,
        GattCharacteristic.TemperatureMeasurement, GattCharacteristic.IntermediateTemperature, GattCharacteristic.WeightMeasurement,
    ];

    // A valid value of each characteristic, mutated byte by byte by the generator below.
    private static readonly byte[][] Valid =
    [
        [0x1E, 60, 0x10, 0x00, 0x00, 0x04],
        [0x1E, 0x80, 0x00, 0x52, 0x00, 0x61, 0x00, 0xEA, 0x07, 11, 20, 8, 30, 0, 0x46, 0x00, 0x01, 0x05, 0x00],
        [0x00, 0x64, 0x00, 0xFF, 0x07, 0xFF, 0x07],
        [0x0B, 0x01, 0x00, 0xEA, 0x07, 11, 20, 8, 30, 0, 0x0F, 0x00, 0x78, 0xB0, 0x11, 0x00, 0x00],
        [0x1F, 0x61, 0x00, 0x48, 0x00, 0xEA, 0x07, 11, 20, 8, 30, 0, 0x20, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00],
        [0x1F, 0x61, 0x00, 0x48, 0x00, 0x61, 0x00, 0x48, 0x00, 0x61, 0x00, 0x48, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00],
        [0x07, 0xDA, 0x03, 0x00, 0xFF, 0xEA, 0x07, 11, 20, 8, 30, 0, 0x02],
        [0x00, 0x6C, 0x01, 0x00, 0xFF],
        [0x0F, 0x48, 0x3C, 0xEA, 0x07, 11, 20, 8, 30, 0, 0x01, 0xF5, 0x00, 0xB0, 0x06],
    ];

    private static readonly Gen<(int Characteristic, byte[] Value)> MutatedGatt =
        from index in Gen.Int[0, Characteristics.Length - 1]
        from flips in Gen.Int[0, Valid[0].Length + 20].Select(Gen.Byte).Array[0, 6]
        from cut in Gen.Int[0, 24]
        select (index, Mutate(Valid[index], flips, cut));

    private static byte[] Mutate(byte[] value, (int Position, byte Value)[] flips, int cut)
    {
        var mutated = value.ToArray();
        foreach (var (position, b) in flips)
        {
            if (position < mutated.Length)
            {
                mutated[position] = b;
            }
        }

        return mutated[..Math.Min(mutated.Length, cut == 0 ? mutated.Length : cut)];
    }

    [Fact]
    public void Gatt_RandomBytes_GiveReadingsOrAReason()
    {
        Gen.Select(Gen.Int[0, Characteristics.Length - 1], Gen.Byte.Array[0, 64]).Sample((index, value) =>
            Holds(GattDecoder.Decode(Characteristics[index], value, Received)), iter: 20_000);
    }

    [Fact]
    public void Gatt_MutatedValidValues_GiveReadingsOrAReason()
    {
        MutatedGatt.Sample(t => Holds(GattDecoder.Decode(Characteristics[t.Characteristic], t.Value, Received)), iter: 20_000);
    }

    [Fact]
    public void DeviceJson_RandomText_GivesReadingsOrAReason()
    {
        var json = Gen.Char["[]{}\":,0123456789.-eE vitalimeunsqcoprhtz\\"].Array[0, 200].Select(c => new string(c));
        json.Sample(text =>
        {
            var batch = DeviceJsonFormat.Decode(System.Text.Encoding.UTF8.GetBytes(text));
            return batch.Problem is not null || batch.Items.All(i => (i.Submission is null) != (i.Problem is null));
        }, iter: 20_000);
    }

    [Fact]
    public void Hl7_MutatedMessages_GiveReadingsOrAReason()
    {
        const string valid = "MSH|^~\\&|MON|ICU|OW|OW|20261120083000+0000||ORU^R01|7|P|2.6\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%^%^UCUM|||||R|||20261120083000+0000||||mon-1\rOBX|2|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||120|266016^MDC_DIM_MMHG^MDC|||||R|||20261120083000+0000";
        var mutations = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Char["|^~\\&\r0123456789+-.ANMOBXLNMDC"]).Array[1, 8];
        mutations.Sample(changes =>
        {
            var text = valid.ToCharArray();
            foreach (var (position, c) in changes)
            {
                text[position] = c;
            }

            if (!Hl7Message.TryParse(new string(text), out var message, out var problem))
            {
                return problem is not null;
            }

            var oru = OruR01Reader.Read(message!);
            return oru.Problem is not null || oru.Observations.All(o => (o.Submission is null) != (o.Problem is null));
        }, iter: 20_000);
    }

    private static bool Holds(GattDecodeResult result) =>
        result.Problem is not null
        || result.Readings.All(r => r.Vital is not null && r.Time is not null && (r.Value is { } v ? double.IsFinite(v) : r.Components is not null));
}

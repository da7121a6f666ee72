using System.Buffers.Binary;

namespace OpenWard.Core.Bluetooth;

/// <summary>
/// Reads the little-endian fields of a GATT characteristic value in order. Reading past the end
/// never throws: it records that the value was too short, which the decoder reports.
/// </summary>
public ref struct GattReader(ReadOnlySpan<byte> value)
{
    private readonly ReadOnlySpan<byte> value = value;
    private int position;

    /// <summary>True once a read went past the end of the value.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => value.Length - position;

    /// <summary>An unsigned 8-bit field.</summary>
    public byte UInt8() => Take(1) is { Length: 1 } b ? b[0] : (byte)0;

    /// <summary>An unsigned 16-bit field.</summary>
    public ushort UInt16() => Take(2) is { Length: 2 } b ? BinaryPrimitives.ReadUInt16LittleEndian(b) : (ushort)0;

    /// <summary>A signed 16-bit field.</summary>
    public short SInt16() => Take(2) is { Length: 2 } b ? BinaryPrimitives.ReadInt16LittleEndian(b) : (short)0;

    /// <summary>An unsigned 24-bit field.</summary>
    public uint UInt24() => Take(3) is { Length: 3 } b ? (uint)(b[0] | b[1] << 8 | b[2] << 16) : 0;

    /// <summary>An IEEE 11073 16-bit SFLOAT.</summary>
    public MedicalFloat SFloat() => MedicalFloat.FromSFloat(UInt16());

    /// <summary>An IEEE 11073 32-bit FLOAT.</summary>
    public MedicalFloat Float() => Take(4) is { Length: 4 } b
        ? MedicalFloat.FromFloat(BinaryPrimitives.ReadUInt32LittleEndian(b))
        : new MedicalFloat(MedicalFloatKind.NaN, double.NaN);

    /// <summary>
    /// A Bluetooth Date Time (year, month, day, hours, minutes, seconds), taken as UTC; null when
    /// the fields are zero ("not known") or not a valid date.
    /// </summary>
    public DateTimeOffset? DateTime()
    {
        var year = UInt16();
        var month = UInt8();
        var day = UInt8();
        var hours = UInt8();
        var minutes = UInt8();
        var seconds = UInt8();
        if (Truncated || year is < 1582 or > 9999 || month is < 1 or > 12 || day < 1 || day > System.DateTime.DaysInMonth(year, month)
            || hours > 23 || minutes > 59 || seconds > 59)
        {
            return null;
        }

        return new DateTimeOffset(year, month, day, hours, minutes, seconds, TimeSpan.Zero);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (Remaining < count)
        {
            Truncated = true;
            position = value.Length;
            return [];
        }

        var slice = value.Slice(position, count);
        position += count;
        return slice;
    }
}

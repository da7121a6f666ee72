using System.Globalization;

namespace OpenWard.Server.Readings;

/// <summary>
/// Where a page of readings ordered by (device time, stored id) ends: the next page starts after it,
/// so readings stored between two pages neither shift nor repeat what is already read.
/// </summary>
public readonly record struct ReadingKeyset(long DeviceTime, long Id)
{
    /// <summary>The key of a stored reading.</summary>
    public static ReadingKeyset Of(StoredReading stored) => new(stored.Reading.DeviceTime.ToUnixTimeMilliseconds(), stored.Id);

    /// <summary>The keyset as a cursor text, <c>{device time ms}_{id}</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{DeviceTime}_{Id}");

    /// <summary>Reads a cursor text; false when it is not one <see cref="ToString"/> gave.</summary>
    public static bool TryParse(string text, out ReadingKeyset keyset)
    {
        keyset = default;
        var parts = text.Split('_');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var time)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        keyset = new ReadingKeyset(time, id);
        return true;
    }
}

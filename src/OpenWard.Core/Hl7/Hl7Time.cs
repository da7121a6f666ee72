using System.Globalization;

namespace OpenWard.Core.Hl7;

/// <summary>HL7 v2 timestamps (DTM: <c>YYYYMMDDHHMM[SS[.S…]]±ZZZZ</c>).</summary>
public static class Hl7Time
{
    /// <summary>Parses a timestamp that states its UTC offset; a time without one is ambiguous and refused.</summary>
    public static bool TryParse(string text, out DateTimeOffset time)
    {
        time = default;
        var sign = text.IndexOfAny(['+', '-']);
        if (sign < 12 || text.Length != sign + 5)
        {
            return false;
        }

        var local = text[..sign];
        var dot = local.IndexOf('.', StringComparison.Ordinal);
        var fraction = dot >= 0 ? local[(dot + 1)..] : "";
        var whole = dot >= 0 ? local[..dot] : local;
        if (whole.Length == 12)
        {
            whole += "00";
        }

        if (whole.Length != 14 || fraction.Length > 4 || !fraction.All(char.IsAsciiDigit)
            || !int.TryParse(text.AsSpan(sign + 1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var offsetHours)
            || !int.TryParse(text.AsSpan(sign + 3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var offsetMinutes)
            || offsetHours > 14 || offsetMinutes > 59
            || !DateTime.TryParseExact(whole, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0) * (text[sign] == '-' ? -1 : 1);
        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0'), CultureInfo.InvariantCulture);
        time = new DateTimeOffset(parsed.AddTicks(ticks), offset).ToUniversalTime();
        return true;
    }

    /// <summary>Formats a time as HL7 DTM in UTC, e.g. for an ACK's MSH-7.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0000";
}

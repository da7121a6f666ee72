using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenWard.Server.Fhir;

/// <summary>
/// A FHIR <c>date</c> search value — a prefix (<c>eq</c>, <c>ge</c>, <c>gt</c>, <c>le</c>, <c>lt</c>) and a
/// date or date-time of any precision — read into the range of device times it admits,
/// [<see cref="From"/>, <see cref="To"/>). A value of a given precision stands for the whole of it:
/// <c>2026-12-06</c> is that UTC day, <c>ge2026-12</c> everything from the first of December.
/// </summary>
public sealed partial record DateParameter(DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>Reads one value; null with <paramref name="problem"/> saying why when it cannot be read.</summary>
    public static DateParameter? Parse(string text, out string? problem)
    {
        problem = null;
        var match = Value().Match(text);
        if (!match.Success)
        {
            problem = $"date \"{text}\" is not a FHIR date search value: a prefix (eq, ge, gt, le, lt) and a date or date-time, e.g. ge2026-12-01 or lt2026-12-06T10:00:00Z";
            return null;
        }

        var prefix = match.Groups["prefix"].Success ? match.Groups["prefix"].Value : "eq";
        if (prefix is "ne" or "sa" or "eb" or "ap")
        {
            problem = $"date prefix \"{prefix}\" is not supported; use eq, ge, gt, le or lt";
            return null;
        }

        if (!TryRange(match, out var start, out var end))
        {
            problem = $"date \"{text}\" is not a valid date or time";
            return null;
        }

        return prefix switch
        {
            "ge" => new DateParameter(start, null),
            "gt" => new DateParameter(end, null),
            "le" => new DateParameter(null, end),
            "lt" => new DateParameter(null, start),
            _ => new DateParameter(start, end),
        };
    }

    /// <summary>The range every one of <paramref name="parameters"/> admits (a repeated <c>date</c> is a range).</summary>
    public static DateParameter Intersect(IEnumerable<DateParameter> parameters)
    {
        DateTimeOffset? from = null, to = null;
        foreach (var parameter in parameters)
        {
            from = parameter.From is { } f && (from is null || f > from) ? f : from;
            to = parameter.To is { } t && (to is null || t < to) ? t : to;
        }

        return new DateParameter(from, to);
    }

    private static bool TryRange(Match match, out DateTimeOffset start, out DateTimeOffset end)
    {
        start = end = default;
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        var month = match.Groups["month"].Success ? int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture) : 1;
        var day = match.Groups["day"].Success ? int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture) : 1;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        if (!match.Groups["month"].Success)
        {
            start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            end = start.AddYears(1);
            return true;
        }

        if (!match.Groups["day"].Success)
        {
            start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
            end = start.AddMonths(1);
            return true;
        }

        if (!match.Groups["hour"].Success)
        {
            start = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
            end = start.AddDays(1);
            return true;
        }

        var hour = int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture);
        var second = match.Groups["second"].Success ? int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture) : 0;
        if (hour > 23 || minute > 59 || second > 59 || !TryOffset(match.Groups["zone"].Value, out var offset))
        {
            return false;
        }

        start = new DateTimeOffset(year, month, day, hour, minute, second, offset);
        if (match.Groups["fraction"].Success)
        {
            var digits = match.Groups["fraction"].Value;
            var milliseconds = int.Parse(digits.PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
            start = start.AddMilliseconds(milliseconds);
            end = start.AddMilliseconds(1);
        }
        else
        {
            end = match.Groups["second"].Success ? start.AddSeconds(1) : start.AddMinutes(1);
        }

        start = start.ToUniversalTime();
        end = end.ToUniversalTime();
        return true;
    }

    private static bool TryOffset(string zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone == "Z")
        {
            return true;
        }

        var hours = int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0) * (zone[0] == '-' ? -1 : 1);
        return true;
    }

    // A time needs its offset: a device time without one could be any of 26 hours.
    [GeneratedRegex(@"^(?<prefix>eq|ne|gt|lt|ge|le|sa|eb|ap)?(?<year>\d{4})(-(?<month>\d{2})(-(?<day>\d{2})(T(?<hour>\d{2}):(?<minute>\d{2})(:(?<second>\d{2})(\.(?<fraction>\d{1,9}))?)?(?<zone>Z|[+-]\d{2}:\d{2}))?)?)?$")]
    private static partial Regex Value();
}

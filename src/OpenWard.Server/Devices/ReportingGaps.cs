using System.Collections.Immutable;
using System.Globalization;

namespace OpenWard.Server.Devices;

/// <summary>
/// A device's last few reporting gaps — each the time from when it was last heard from to its next
/// connection — from which its expected reporting interval is learnt: their median, once
/// <see cref="Needed"/> are known, so that one long outage among them does not stretch it. A wristband
/// holding its connection learns the seconds of a network blip; a scale that connects once a day, a day.
/// </summary>
public sealed record ReportingGaps
{
    /// <summary>How many of the latest gaps are kept.</summary>
    public const int Kept = 5;

    /// <summary>How many gaps are needed before an interval is learnt.</summary>
    public const int Needed = 3;

    private ReportingGaps(ImmutableArray<TimeSpan> gaps) => Gaps = gaps;

    /// <summary>No gap known yet.</summary>
    public static ReportingGaps None { get; } = new(ImmutableArray<TimeSpan>.Empty);

    /// <summary>The latest gaps, oldest first (whole seconds).</summary>
    public ImmutableArray<TimeSpan> Gaps { get; }

    /// <summary>The learnt reporting interval: the median gap, once enough are known.</summary>
    public TimeSpan? Expected
    {
        get
        {
            if (Gaps.Length < Needed)
            {
                return null;
            }

            var sorted = Gaps.Sort();
            var middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /// <summary>These gaps and one more, the oldest dropped beyond <see cref="Kept"/>.</summary>
    public ReportingGaps With(TimeSpan gap)
    {
        var whole = TimeSpan.FromSeconds(Math.Floor(gap.TotalSeconds));
        return new(Gaps.Length < Kept ? Gaps.Add(whole) : Gaps.RemoveAt(0).Add(whole));
    }

    /// <summary>As the store keeps them: seconds separated by spaces, oldest first.</summary>
    public string Stored => string.Join(' ', Gaps.Select(g => ((long)g.TotalSeconds).ToString(CultureInfo.InvariantCulture)));

    /// <summary>Gaps as the store keeps them; what is not a number of seconds is left out.</summary>
    public static ReportingGaps Parse(string? stored)
    {
        var gaps = (stored ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null)
            .OfType<TimeSpan>()
            .TakeLast(Kept);
        return new([.. gaps]);
    }

    /// <inheritdoc />
    public bool Equals(ReportingGaps? other) => other is not null && Gaps.SequenceEqual(other.Gaps);

    /// <inheritdoc />
    public override int GetHashCode() => Stored.GetHashCode(StringComparison.Ordinal);
}

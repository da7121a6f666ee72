namespace OpenWard.Core.Vitals;

/// <summary>The interval, in the vital sign's canonical unit, outside which a value cannot be physiological.</summary>
public readonly record struct PlausibleRange(double Min, double Max)
{
    /// <summary>True when <paramref name="value"/> lies within the range, bounds included.</summary>
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"{Min}–{Max}");
}

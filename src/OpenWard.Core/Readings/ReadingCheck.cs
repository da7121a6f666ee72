namespace OpenWard.Core.Readings;

/// <summary>The outcome of validating one submitted reading: the accepted reading, or the reason it was refused.</summary>
public readonly record struct ReadingCheck(Reading? Reading, string? Problem)
{
    /// <summary>True when the reading passed every check.</summary>
    public bool IsValid => Reading is not null;

    /// <summary>An accepted reading.</summary>
    public static ReadingCheck Accepted(Reading reading) => new(reading, null);

    /// <summary>A refused reading and why.</summary>
    public static ReadingCheck Refused(string problem) => new(null, problem);
}

namespace OpenWard.Cli.Evaluate;

/// <summary>
/// One labelled deterioration: when the patient's physiology began to leave its normal
/// (<see cref="Onset"/>) and when it was at its worst or clinically recognised (<see cref="Event"/>).
/// An alert between onset and one hour after the event detects it.
/// </summary>
public sealed record LabelledDeterioration
{
    /// <summary>The kind of deterioration, e.g. <c>sepsis</c>, <c>copd-exacerbation</c>.</summary>
    public required string Scenario { get; init; }

    /// <summary>When the deterioration began.</summary>
    public required DateTimeOffset Onset { get; init; }

    /// <summary>When it was at its worst, or would have been recognised clinically.</summary>
    public required DateTimeOffset Event { get; init; }

    /// <summary>Whether it stays within population limits until near the event (only the patient's own normal shows it).</summary>
    public bool Subtle { get; init; }

    /// <summary>The scenario as reported: subtle deteriorations apart from overt ones.</summary>
    public string Group => Subtle ? $"{Scenario} (subtle)" : Scenario;

    /// <summary>How long after the event an alert still counts as detecting it.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    /// <summary>Whether an alert at <paramref name="time"/> detects this deterioration.</summary>
    public bool IsDetectedBy(DateTimeOffset time) => time >= Onset && time <= Event + Grace;
}

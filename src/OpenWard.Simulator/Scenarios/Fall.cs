using OpenWard.Simulator.Physiology;

namespace OpenWard.Simulator.Scenarios;

/// <summary>
/// A fall at <see cref="Deterioration.Onset"/>: the patient's emergency pendant reports it, and a
/// minute later the patient presses its help button. Heart rate rises with the shock.
/// </summary>
public sealed record Fall(TimeSpan Onset) : Deterioration(Onset, TimeSpan.FromMinutes(2))
{
    /// <summary>How long after the fall the patient presses the help button.</summary>
    public static readonly TimeSpan CallAfter = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public override string Key => "fall";


    /// <inheritdoc />
    public override VitalState Apply(VitalState state, double progress) => state with { HeartRate = state.HeartRate + 15 * progress };
}

using OpenWard.Simulator.Physiology;

namespace OpenWard.Simulator.Scenarios;

/// <summary>
/// Heart-failure decompensation: fluid retention puts on about 1.5 kg a day (4.5 kg over the demo's
/// three days, well past the 2 kg-in-2-days rule whatever the time of day the ward starts), with
/// rising respiratory and heart rates and falling saturation.
/// </summary>
public sealed record HeartFailureDecompensation(TimeSpan Onset, TimeSpan Duration) : Deterioration(Onset, Duration)
{
    /// <summary>The weight fluid retention adds each day of the deterioration.</summary>
    public const double KilogramsPerDay = 1.5;

    /// <inheritdoc />
    public override string Key => "heart-failure";


    /// <inheritdoc />
    public override VitalState Apply(VitalState state, double progress) => state with
    {
        Weight = state.Weight + Duration.TotalDays * KilogramsPerDay * progress,
        RespiratoryRate = state.RespiratoryRate + 5 * progress,
        HeartRate = state.HeartRate + 10 * progress,
        SpO2 = state.SpO2 - 2 * progress,
    };
}

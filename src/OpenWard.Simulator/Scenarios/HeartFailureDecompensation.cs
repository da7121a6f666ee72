using OpenWard.Simulator.Physiology;

namespace OpenWard.Simulator.Scenarios;

/// <summary>Heart-failure decompensation: fluid retention puts on about 1 kg a day, with a rising respiratory rate.</summary>
public sealed record HeartFailureDecompensation(TimeSpan Onset, TimeSpan Duration) : Deterioration(Onset, Duration)
{
    /// <inheritdoc />
    public override string Key => "heart-failure";

    /// <inheritdoc />
    public override bool Acute => false;

    /// <inheritdoc />
    public override VitalState Apply(VitalState state, double progress) => state with
    {
        Weight = state.Weight + Duration.TotalDays * 1.0 * progress,
        RespiratoryRate = state.RespiratoryRate + 5 * progress,
        HeartRate = state.HeartRate + 10 * progress,
        SpO2 = state.SpO2 - 2 * progress,
    };
}

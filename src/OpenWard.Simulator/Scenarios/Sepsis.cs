using OpenWard.Simulator.Physiology;

namespace OpenWard.Simulator.Scenarios;

/// <summary>
/// Sepsis-like deterioration: heart rate and respiratory rate rise, SpO2 and blood pressure fall,
/// fever develops — at its worst well inside NEWS2's high-risk band.
/// </summary>
public sealed record Sepsis(TimeSpan Onset, TimeSpan Duration) : Deterioration(Onset, Duration)
{
    /// <inheritdoc />
    public override string Key => "sepsis";


    /// <inheritdoc />
    public override VitalState Apply(VitalState state, double progress) => state with
    {
        HeartRate = state.HeartRate + 48 * progress,
        RespiratoryRate = state.RespiratoryRate + 15 * progress,
        SpO2 = state.SpO2 - 9 * progress,
        Systolic = state.Systolic - 50 * progress,
        Diastolic = state.Diastolic - 28 * progress,
        Temperature = state.Temperature + 2.4 * progress,
    };
}

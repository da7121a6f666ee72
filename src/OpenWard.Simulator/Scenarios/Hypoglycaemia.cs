using OpenWard.Simulator.Physiology;

namespace OpenWard.Simulator.Scenarios;

/// <summary>Hypoglycaemia: blood glucose falls to about 42 mg/dL, with a sympathetic rise in heart rate.</summary>
public sealed record Hypoglycaemia(TimeSpan Onset, TimeSpan Duration) : Deterioration(Onset, Duration)
{
    private const double Nadir = 42;

    /// <inheritdoc />
    public override string Key => "hypoglycaemia";


    /// <inheritdoc />
    public override VitalState Apply(VitalState state, double progress) => state with
    {
        Glucose = state.Glucose + (Nadir - state.Glucose) * progress,
        HeartRate = state.HeartRate + 20 * progress,
    };
}

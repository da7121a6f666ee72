using OpenWard.Simulator.Physiology;

namespace OpenWard.Simulator.Scenarios;

/// <summary>
/// A scripted change in a patient's condition: from <see cref="Onset"/> (relative to the start of
/// the simulation; negative for a change already under way) it progresses linearly over
/// <see cref="Duration"/> and then stays at its worst.
/// </summary>
public abstract record Deterioration(TimeSpan Onset, TimeSpan Duration)
{
    /// <summary>The scenario's name on the command line, e.g. <c>sepsis</c>.</summary>
    public abstract string Key { get; }

    /// <summary>
    /// How often, once it has begun, the patient feels unwell enough to check themselves with their
    /// spot-check devices (cuff, thermometer, glucose meter) besides their daily routine — as a nurse
    /// re-checks a falling glucose; null when it brings no extra checks.
    /// </summary>
    public TimeSpan? Recheck { get; init; }

    /// <summary>How far the deterioration has gone at <paramref name="sinceStart"/>: 0 before onset, 1 at its worst.</summary>
    public double Progress(TimeSpan sinceStart) =>
        Math.Clamp((sinceStart - Onset).TotalSeconds / Duration.TotalSeconds, 0, 1);

    /// <summary>The state with the deterioration applied at <paramref name="progress"/>.</summary>
    public abstract VitalState Apply(VitalState state, double progress);

    /// <summary>How often the live scenarios' patients re-check themselves: the demo compresses hours of illness into minutes.</summary>
    public static readonly TimeSpan LiveRecheck = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Builds a scenario by name with the timing of the live demo ward and <c>openward simulate</c>, or
    /// null for an unknown name. Sepsis and hypoglycaemia are already under way when the simulation
    /// starts, so that their first alerts come within minutes (the README's table says when).
    /// </summary>
    public static Deterioration? Named(string key) => key switch
    {
        "sepsis" => new Sepsis(SepsisOnset, TimeSpan.FromMinutes(30)) { Recheck = LiveRecheck },
        "heart-failure" => new HeartFailureDecompensation(TimeSpan.FromDays(-3), TimeSpan.FromDays(3)),
        "hypoglycaemia" => new Hypoglycaemia(HypoglycaemiaOnset, TimeSpan.FromMinutes(15)) { Recheck = LiveRecheck },
        "fall" => new Fall(TimeSpan.FromMinutes(3)),
        _ => null,
    };

    private static readonly TimeSpan SepsisOnset = TimeSpan.FromMinutes(-25);
    private static readonly TimeSpan HypoglycaemiaOnset = TimeSpan.FromMinutes(-10);

    /// <summary>The scenario names <see cref="Named"/> knows.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["sepsis", "heart-failure", "hypoglycaemia", "fall"];
}

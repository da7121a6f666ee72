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

    /// <summary>Whether the patient feels unwell enough to check themselves every 15 minutes once it has begun.</summary>
    public abstract bool Acute { get; }

    /// <summary>How far the deterioration has gone at <paramref name="sinceStart"/>: 0 before onset, 1 at its worst.</summary>
    public double Progress(TimeSpan sinceStart) =>
        Math.Clamp((sinceStart - Onset).TotalSeconds / Duration.TotalSeconds, 0, 1);

    /// <summary>The state with the deterioration applied at <paramref name="progress"/>.</summary>
    public abstract VitalState Apply(VitalState state, double progress);

    /// <summary>Builds a scenario by name with its default timing, or null for an unknown name.</summary>
    public static Deterioration? Named(string key) => key switch
    {
        "sepsis" => new Sepsis(TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(30)),
        "heart-failure" => new HeartFailureDecompensation(TimeSpan.FromDays(-3), TimeSpan.FromDays(3)),
        "hypoglycaemia" => new Hypoglycaemia(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(20)),
        "fall" => new Fall(TimeSpan.FromMinutes(3)),
        _ => null,
    };

    /// <summary>The scenario names <see cref="Named"/> knows.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["sepsis", "heart-failure", "hypoglycaemia", "fall"];
}

namespace OpenWard.Core.Scores;

/// <summary>Level of consciousness on the ACVPU scale.</summary>
public enum Consciousness
{
    /// <summary>A: alert.</summary>
    Alert,

    /// <summary>C: new confusion (new-onset or worsening disorientation, delirium).</summary>
    NewConfusion,

    /// <summary>V: responds to voice.</summary>
    Voice,

    /// <summary>P: responds to pain.</summary>
    Pain,

    /// <summary>U: unresponsive.</summary>
    Unresponsive,
}

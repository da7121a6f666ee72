namespace OpenWard.Core.Scores;

/// <summary>The NEWS2 clinical-risk level that sets the urgency of the clinical response.</summary>
public enum ClinicalResponse
{
    /// <summary>Aggregate 0–4 with no single parameter scoring 3: ward-based response.</summary>
    Low,

    /// <summary>A single parameter scoring 3 (aggregate below 5): urgent ward-based response.</summary>
    LowMedium,

    /// <summary>Aggregate 5–6: key threshold for urgent response.</summary>
    Medium,

    /// <summary>Aggregate 7 or more: urgent or emergency response.</summary>
    High,
}

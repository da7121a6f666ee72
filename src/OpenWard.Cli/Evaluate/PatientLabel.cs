namespace OpenWard.Cli.Evaluate;

/// <summary>What <c>labels.json</c> says of one patient: stable, or the deteriorations that happened and when.</summary>
public sealed record PatientLabel
{
    /// <summary>Whether the patient stayed stable throughout (confounders such as exercise included).</summary>
    public bool Stable { get; init; }

    /// <summary>A free-text description of the patient (condition, confounders), shown in nothing but the dataset.</summary>
    public string? Profile { get; init; }

    /// <summary>The labelled deteriorations, empty for a stable patient.</summary>
    public IReadOnlyList<LabelledDeterioration> Deteriorations { get; init; } = [];
}

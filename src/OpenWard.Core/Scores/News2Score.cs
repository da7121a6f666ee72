namespace OpenWard.Core.Scores;

/// <summary>A NEWS2 result: each parameter's sub-score, the aggregate and the clinical-response level.</summary>
public sealed record News2Score
{
    /// <summary>The seven parameters in chart order, each with its sub-score.</summary>
    public required IReadOnlyList<News2Parameter> Parameters { get; init; }

    /// <summary>The sum of the sub-scores that could be scored.</summary>
    public required int Total { get; init; }

    /// <summary>The clinical-risk level of <see cref="Total"/> and the single-parameter rule.</summary>
    public required ClinicalResponse Response { get; init; }

    /// <summary>Which SpO2 scale was used.</summary>
    public required SpO2Scale SpO2Scale { get; init; }

    /// <summary>The parameters that were missing; a score with any missing is not a NEWS2 and must not be read as one.</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    /// <summary>Whether all seven parameters were present.</summary>
    public bool IsComplete => Missing.Count == 0;
}
